#include <zlib.h>

/// `inflateInit2` is a macro; Swift cannot import it, so give it a name.
static inline int czlib_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -15);
}
