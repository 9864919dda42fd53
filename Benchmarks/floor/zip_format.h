/*
 * zip_format.h: the zip records the floor programs read, as PKWARE's
 * APPNOTE.TXT lays them out: signatures, fixed lengths, field offsets, and
 * the decoding of one central directory header (including its ZIP64 extra).
 *
 * All multi-byte fields are little-endian. The loads go through memcpy so
 * they are alignment-safe; they assume a little-endian host (x86-64,
 * arm64), which is all these benchmarks run on.
 */
#ifndef ZIP_FORMAT_H
#define ZIP_FORMAT_H

#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the floor programs assume a little-endian host"
#endif

/* APPNOTE 4.3.7 local file header. */
#define LOCAL_FILE_HEADER_SIGNATURE 0x04034b50u
#define LOCAL_FILE_HEADER_LENGTH 30

/* APPNOTE 4.3.12 central directory header. */
#define CENTRAL_DIRECTORY_HEADER_SIGNATURE 0x02014b50u
#define CENTRAL_DIRECTORY_HEADER_LENGTH 46

/* APPNOTE 4.3.16 end of central directory record. */
#define END_OF_CENTRAL_DIRECTORY_SIGNATURE 0x06054b50u
#define END_OF_CENTRAL_DIRECTORY_LENGTH 22
#define MAX_COMMENT_LENGTH 65535

/* APPNOTE 4.3.15 zip64 end of central directory locator. */
#define ZIP64_LOCATOR_SIGNATURE 0x07064b50u
#define ZIP64_LOCATOR_LENGTH 20

/* APPNOTE 4.3.14 zip64 end of central directory record (without extensible data). */
#define ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE 0x06064b50u
#define ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH 56

/* APPNOTE 4.5.3 zip64 extended information extra field. */
#define ZIP64_EXTRA_ID 0x0001u

/* The most any reader has to look at from the end of the file to find the
 * end records: a maximal comment, the end record, the locator and the ZIP64
 * record. */
#define MAX_TAIL_LENGTH                                                        \
    (MAX_COMMENT_LENGTH + END_OF_CENTRAL_DIRECTORY_LENGTH +                    \
     ZIP64_LOCATOR_LENGTH + ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH)

#define U16_SATURATED 0xffffu
#define U32_SATURATED 0xffffffffu

#define METHOD_STORED 0
#define METHOD_DEFLATED 8

static inline uint16_t load16(const uint8_t *p) {
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t load32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* One decoded central directory header (APPNOTE 4.3.12), with the ZIP64
 * extra already applied: sizes and offset are the real 64-bit values. */
typedef struct {
    uint16_t version_made_by;
    uint16_t version_needed;
    uint16_t flags;
    uint16_t method;
    uint16_t dos_time;
    uint16_t dos_date;
    uint32_t crc32;
    uint64_t compressed_size;
    uint64_t uncompressed_size;
    uint16_t name_length;
    uint16_t extra_length;
    uint16_t comment_length;
    uint32_t disk_start;
    uint16_t internal_attrs;
    uint32_t external_attrs;
    uint64_t local_header_offset; /* as stored: relative to the archive start */
    const uint8_t *name;
} central_directory_header;

/* Bytes one header occupies, given its first 46 bytes. */
static inline size_t central_header_total_length(const uint8_t *p) {
    return CENTRAL_DIRECTORY_HEADER_LENGTH + (size_t)load16(p + 28) +
           load16(p + 30) + load16(p + 32);
}

/* APPNOTE 4.5.3: a ZIP64 extra holds, in this order, only the fields whose
 * 32-bit (or 16-bit) slot is saturated. Returns 0, or -1 if a saturated
 * field has no value in a well-formed ZIP64 extra. */
static inline int apply_zip64_extra(central_directory_header *h,
                                    const uint8_t *extra, size_t length) {
    while (length >= 4) {
        uint16_t id = load16(extra);
        size_t size = load16(extra + 2);
        extra += 4;
        length -= 4;
        if (size > length)
            return -1;
        if (id == ZIP64_EXTRA_ID) {
            const uint8_t *p = extra, *end = extra + size;
            if (h->uncompressed_size == U32_SATURATED) {
                if (end - p < 8) return -1;
                h->uncompressed_size = load64(p), p += 8;
            }
            if (h->compressed_size == U32_SATURATED) {
                if (end - p < 8) return -1;
                h->compressed_size = load64(p), p += 8;
            }
            if (h->local_header_offset == U32_SATURATED) {
                if (end - p < 8) return -1;
                h->local_header_offset = load64(p), p += 8;
            }
            if (h->disk_start == U16_SATURATED) {
                if (end - p < 4) return -1;
                h->disk_start = load32(p);
            }
            return 0;
        }
        extra += size;
        length -= size;
    }
    return -1; /* saturated fields but no ZIP64 extra */
}

/* Decodes the header at p; the caller guarantees that
 * central_header_total_length(p) bytes are readable and the signature has
 * been checked. Returns 0, or -1 on a broken ZIP64 extra. */
static inline int decode_central_header(const uint8_t *p,
                                        central_directory_header *h) {
    h->version_made_by = load16(p + 4);
    h->version_needed = load16(p + 6);
    h->flags = load16(p + 8);
    h->method = load16(p + 10);
    h->dos_time = load16(p + 12);
    h->dos_date = load16(p + 14);
    h->crc32 = load32(p + 16);
    h->compressed_size = load32(p + 20);
    h->uncompressed_size = load32(p + 24);
    h->name_length = load16(p + 28);
    h->extra_length = load16(p + 30);
    h->comment_length = load16(p + 32);
    h->disk_start = load16(p + 34);
    h->internal_attrs = load16(p + 36);
    h->external_attrs = load32(p + 38);
    h->local_header_offset = load32(p + 42);
    h->name = p + CENTRAL_DIRECTORY_HEADER_LENGTH;
    if (h->compressed_size == U32_SATURATED ||
        h->uncompressed_size == U32_SATURATED ||
        h->local_header_offset == U32_SATURATED ||
        h->disk_start == U16_SATURATED)
        return apply_zip64_extra(h, h->name + h->name_length, h->extra_length);
    return 0;
}

#endif
