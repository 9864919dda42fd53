// Intel's ISA-L (apt libisal-dev): igzip's raw deflate decoder and its
// CRC-32, for the ISAL trait.
#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>
