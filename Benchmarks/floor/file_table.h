/*
 * file_table.h: the compact in-memory index built from a central directory.
 *
 *  - records: one 40-byte entry_record per entry, in directory order.
 *  - names: every name concatenated in one arena. A record keeps only where
 *    its name starts; it ends where the next record's name starts (or at
 *    names_length for the last record).
 *  - wide: the rare entries whose sizes or offsets do not fit in 32 bits.
 *    Their record fields hold U32_SATURATED; the real values are here,
 *    sorted by index.
 *  - slots/tags: an open-addressing hash index over the names. `capacity`
 *    is about 4/3 of the entry count (not a power of two); a hash maps to a
 *    slot with ((u128)hash * capacity) >> 64 and collisions probe linearly.
 *    A slot holds entry index + 1 (0 = empty); tags[slot] holds the hash's
 *    low byte so most mismatches never touch the record or the name.
 *    A later entry with an already-seen name replaces the earlier one.
 */
#ifndef FILE_TABLE_H
#define FILE_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t local_offset;      /* as stored (add base_offset for the file) */
    uint32_t compressed_size;
    uint32_t uncompressed_size;
    uint32_t crc32;
    uint32_t name_start;        /* in names */
    uint32_t header_offset;     /* central header, relative to archive start */
    uint32_t dos_datetime;      /* date << 16 | time */
    uint32_t external_attrs;
    uint16_t method;
    uint16_t flags;
    uint16_t version_made_by;
    uint16_t internal_attrs;
} entry_record;

_Static_assert(sizeof(entry_record) == 40, "entry_record must stay 40 bytes");

typedef struct {
    uint32_t index;
    uint64_t local_offset;
    uint64_t compressed_size;
    uint64_t uncompressed_size;
    uint64_t header_offset;
} wide_entry;

typedef struct {
    entry_record *records;
    uint32_t count;
    uint8_t *names;
    uint64_t names_length;
    wide_entry *wide;
    uint32_t wide_count;
    uint32_t *slots;
    uint8_t *tags;
    uint32_t capacity;
    uint64_t base_offset;
} file_table;

/* Opens `path` and builds its table, reading the central directory in
 * chunks through `buffer` (CENTRAL_DIRECTORY_CHUNK bytes). Returns NULL or
 * an error message; on error nothing stays allocated. */
const char *file_table_build(file_table *t, const char *path, uint8_t *buffer);

void file_table_free(file_table *t);

/* Bytes of the table excluding the name arena. */
size_t file_table_bytes(const file_table *t);

/* Index of the entry named `name`, or -1. */
int64_t file_table_find(const file_table *t, const uint8_t *name, size_t length);

/* Name bytes of entry `index`. */
static inline const uint8_t *file_table_name(const file_table *t, uint32_t index,
                                             size_t *length) {
    uint64_t start = t->records[index].name_start;
    uint64_t end = index + 1 < t->count ? t->records[index + 1].name_start
                                        : t->names_length;
    *length = (size_t)(end - start);
    return t->names + start;
}

#endif
