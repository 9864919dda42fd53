/* file_table.c: see file_table.h. */
#include "file_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "central_directory.h"
#include "name_hash.h"
#include "zip_io.h"

static inline uint32_t slot_for(uint64_t hash, uint32_t capacity) {
    return (uint32_t)(((unsigned __int128)hash * capacity) >> 64);
}

static inline int name_equals(const file_table *t, uint32_t index,
                              const uint8_t *name, size_t length) {
    size_t stored_length;
    const uint8_t *stored = file_table_name(t, index, &stored_length);
    return stored_length == length && memcmp(stored, name, length) == 0;
}

/* Points the name's slot at `index`, replacing an earlier entry with the
 * same name. */
static void insert(file_table *t, uint32_t index, const uint8_t *name, size_t length) {
    uint64_t hash = name_hash(name, length);
    uint8_t tag = (uint8_t)hash;
    uint32_t slot = slot_for(hash, t->capacity);
    for (;;) {
        uint32_t occupant = t->slots[slot];
        if (occupant == 0) {
            t->tags[slot] = tag;
            t->slots[slot] = index + 1;
            return;
        }
        if (t->tags[slot] == tag && name_equals(t, occupant - 1, name, length)) {
            t->slots[slot] = index + 1; /* duplicate: the later entry wins */
            return;
        }
        if (++slot == t->capacity)
            slot = 0;
    }
}

int64_t file_table_find(const file_table *t, const uint8_t *name, size_t length) {
    uint64_t hash = name_hash(name, length);
    uint8_t tag = (uint8_t)hash;
    uint32_t slot = slot_for(hash, t->capacity);
    for (;;) {
        uint32_t occupant = t->slots[slot];
        if (occupant == 0)
            return -1;
        if (t->tags[slot] == tag && name_equals(t, occupant - 1, name, length))
            return occupant - 1;
        if (++slot == t->capacity)
            slot = 0;
    }
}

/* Stores a value in a 32-bit record field, or the saturated marker when it
 * needs the wide table. Returns 1 when it did not fit. */
static inline int narrow(uint32_t *field, uint64_t value) {
    *field = value < U32_SATURATED ? (uint32_t)value : U32_SATURATED;
    return value >= U32_SATURATED;
}

static const char *add_wide(file_table *t, uint32_t index,
                            const central_directory_header *h, uint64_t header_offset) {
    /* Grows by doubling; only archives with >4 GiB members or offsets get here. */
    if ((t->wide_count & (t->wide_count - 1)) == 0) {
        size_t grown = t->wide_count ? 2 * (size_t)t->wide_count : 4;
        wide_entry *wide = realloc(t->wide, grown * sizeof *wide);
        if (wide == NULL)
            return "out of memory";
        t->wide = wide;
    }
    t->wide[t->wide_count++] = (wide_entry){index, h->local_header_offset,
                                            h->compressed_size, h->uncompressed_size,
                                            header_offset};
    return NULL;
}

/* Allocates the table for `count` entries and at most `name_bytes` of names. */
static const char *allocate(file_table *t, uint64_t count, uint64_t name_bytes) {
    if (count >= UINT32_MAX / 2 || name_bytes >= UINT32_MAX)
        return "archive too large for 32-bit table indexes";
    t->capacity = (uint32_t)(count + count / 3 + 1);
    t->records = malloc((count ? count : 1) * sizeof *t->records);
    t->names = malloc(name_bytes ? name_bytes : 1);
    t->slots = calloc(t->capacity, sizeof *t->slots);
    t->tags = malloc(t->capacity);
    if (!t->records || !t->names || !t->slots || !t->tags)
        return "out of memory";
    return NULL;
}

/* Walks the directory, filling records and names. */
static const char *read_entries(file_table *t, int fd, const central_directory *cd,
                                uint8_t *buffer) {
    central_directory_cursor cursor;
    cursor_init(&cursor, fd, cd, buffer);
    for (uint32_t i = 0; i < cd->entry_count; i++) {
        central_directory_header h;
        uint64_t header_offset;
        const char *error = read_central_header(&cursor, &h, &header_offset);
        if (error != NULL)
            return error;
        entry_record *r = &t->records[i];
        int wide = narrow(&r->local_offset, h.local_header_offset) |
                   narrow(&r->compressed_size, h.compressed_size) |
                   narrow(&r->uncompressed_size, h.uncompressed_size) |
                   narrow(&r->header_offset, header_offset);
        r->crc32 = h.crc32;
        r->name_start = (uint32_t)t->names_length;
        r->dos_datetime = (uint32_t)h.dos_date << 16 | h.dos_time;
        r->external_attrs = h.external_attrs;
        r->method = h.method;
        r->flags = h.flags;
        r->version_made_by = h.version_made_by;
        r->internal_attrs = h.internal_attrs;
        if (wide && (error = add_wide(t, i, &h, header_offset)) != NULL)
            return error;

        memcpy(t->names + t->names_length, h.name, h.name_length);
        t->names_length += h.name_length;
        t->count = i + 1;
    }
    if (!cursor_at_end(&cursor))
        return "central directory continues past the declared entry count";
    return NULL;
}

/* Inserts every name, in directory order so later duplicates win. This is a
 * second pass rather than part of the walk: at a million entries the
 * random slot accesses then compete only with sequential name reads, not
 * with the walk's streaming writes, which measured ~25% faster. */
static void index_names(file_table *t) {
    for (uint32_t i = 0; i < t->count; i++) {
        size_t length;
        const uint8_t *name = file_table_name(t, i, &length);
        insert(t, i, name, length);
    }
}

const char *file_table_build(file_table *t, const char *path, uint8_t *buffer) {
    memset(t, 0, sizeof *t);
    uint64_t file_size;
    int fd = open_archive(path, &file_size);
    if (fd < 0)
        return strerror(errno);
    central_directory cd;
    const char *error = locate_central_directory(fd, file_size, &cd);
    if (error == NULL) {
        t->base_offset = cd.base_offset;
        /* Names, extras and comments share what the fixed headers leave. */
        error = allocate(t, cd.entry_count,
                         cd.size - cd.entry_count * CENTRAL_DIRECTORY_HEADER_LENGTH);
    }
    if (error == NULL)
        error = read_entries(t, fd, &cd, buffer);
    close(fd);
    if (error == NULL)
        index_names(t);
    if (error != NULL)
        file_table_free(t);
    return error;
}

void file_table_free(file_table *t) {
    free(t->records);
    free(t->names);
    free(t->wide);
    free(t->slots);
    free(t->tags);
    memset(t, 0, sizeof *t);
}

size_t file_table_bytes(const file_table *t) {
    return (size_t)t->count * sizeof *t->records +
           (size_t)t->wide_count * sizeof *t->wide +
           (size_t)t->capacity * (sizeof *t->slots + sizeof *t->tags);
}
