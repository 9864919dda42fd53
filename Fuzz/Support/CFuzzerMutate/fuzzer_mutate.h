#include <stddef.h>
#include <stdint.h>

/// libFuzzer's own mutator, callable from a custom mutator
/// (https://llvm.org/docs/LibFuzzer.html, "Using custom mutators").
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
