#ifndef SLUICE_CSLUICEZLIB_SHIM_H
#define SLUICE_CSLUICEZLIB_SHIM_H

#include <zlib.h>

/* deflateInit2 is a macro (it passes the header's version and sizeof(z_stream) to
 * deflateInit2_), which Swift cannot import: this starts a raw deflate stream (no zlib
 * header or trailer, windowBits -15, as ZIP entries need) at `level` 0...9. */
static inline int sluice_deflate_init_raw(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

#endif
