// The system zlib for DiscordREST's response inflater. `inflateInit2` is a macro (it passes the library version and
// the stream's size); Swift calls this function instead.
#include <zlib.h>

static inline int czlib_inflate_init(z_streamp stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
