// Placeholder: the Importer issue replaces this file.
import ZipIndex
