/*
 * name_hash.h: a wyhash-style 64-bit hash for entry names.
 *
 * Names are read 8 bytes at a time (memcpy loads); 16-byte blocks are folded
 * with a 64x64->128-bit multiply whose halves are xored ("mix"). This is
 * wyhash's structure without its 48-byte three-lane loop, which entry names
 * (typically 20-80 bytes) rarely reach. The constants are wyhash's.
 */
#ifndef NAME_HASH_H
#define NAME_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "zip_format.h"

#define NAME_HASH_K0 0xa0761d6478bd642full
#define NAME_HASH_K1 0xe7037ed1a0b428dbull
#define NAME_HASH_SEED 0x8ebc6af09c88c6e3ull

static inline uint64_t hash_mix(uint64_t a, uint64_t b) {
    unsigned __int128 r = (unsigned __int128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t name_hash(const uint8_t *p, size_t length) {
    uint64_t seed = NAME_HASH_SEED;
    uint64_t a, b;
    if (length <= 16) {
        if (length >= 4) {
            /* Two possibly overlapping 4-byte loads from each end. */
            size_t q = (length >> 3) << 2;
            a = ((uint64_t)load32(p) << 32) | load32(p + q);
            b = ((uint64_t)load32(p + length - 4) << 32) | load32(p + length - 4 - q);
        } else if (length > 0) {
            a = ((uint64_t)p[0] << 16) | ((uint64_t)p[length >> 1] << 8) | p[length - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = length;
        while (i > 16) {
            seed = hash_mix(load64(p) ^ NAME_HASH_K1, load64(p + 8) ^ seed);
            p += 16;
            i -= 16;
        }
        /* The last 16 bytes, overlapping the final block when i < 16. */
        a = load64(p + i - 16);
        b = load64(p + i - 8);
    }
    unsigned __int128 r = (unsigned __int128)(a ^ NAME_HASH_K1) * (b ^ seed);
    return hash_mix((uint64_t)r ^ NAME_HASH_K0 ^ length, (uint64_t)(r >> 64) ^ NAME_HASH_K1);
}

#endif
