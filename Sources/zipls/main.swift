// Placeholder: the zipls issue replaces this file.
print("zipls: not yet implemented")
