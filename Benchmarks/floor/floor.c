/*
 * floor: the C floor, the least a reader written in C does for each of
 * ZipIndex's scenarios; the README's ratios divide by these figures. Each
 * subcommand prints one JSON line. Without R, repetitions fill about 1.5 s
 * (bench.h) and the median is reported.
 *
 *   floor walk ARCHIVE [R]
 *       Each repetition opens the file, preads its tail, finds the end
 *       records (following ZIP64), preads the central directory in 256 KiB
 *       chunks and decodes every 46-byte header (sizes, CRC, offset, lengths,
 *       attributes, the ZIP64 extra where a field is saturated). Names are not
 *       touched and nothing is kept: the cost any reader pays before it builds
 *       anything. {"entries", "runs", "medianNs", "minNs", "maxNs", "nsPerEntry"}
 *   floor index ARCHIVE [R]
 *       The walk, building a table: 40-byte records, one name arena, an
 *       open-addressing hash index over the names (below). Freeing it is not
 *       timed, and malloc keeps freed memory, so repetitions after the first
 *       reuse faulted-in pages. Adds "tableBytes" (without the name arena),
 *       "bytesPerEntry" and "nameBytes".
 *   floor lookup ARCHIVE
 *       Builds the table once, then times lookups of random existing names
 *       and of random missing ones (an existing name with its middle byte's
 *       case bit flipped, checked absent), held in a buffer of their own, in
 *       batches of 1,024: the median batch time per lookup. {"hitNs", "missNs"}
 *   floor inflate ARCHIVE NAME [R]
 *       Opens the file, finds NAME by walking the directory (the last entry of
 *       that name wins), checks the local header, preads the data in 256 KiB
 *       chunks, inflates it (raw deflate) into a 256 KiB buffer and runs CRC-32
 *       over the output; size and CRC must match the directory. Stored entries
 *       are read the same way. {"bytes", "compressedBytes", "crc32", "runs",
 *       "medianNs", "mbPerSec"} (MB: 10^6 bytes). Built with -DFLOOR_ISAL
 *       (floor_isal), the same loop decodes with ISA-L's isal_inflate and
 *       crc32_gzip_refl instead of zlib.
 *   floor once [--list] ARCHIVE
 *       Builds the table once and exits: the whole-process and peak-RSS
 *       baseline. {"entries", "onceNs"}; --list instead writes every name and a
 *       newline to stdout through a 64 KiB buffer, as a listing process must.
 *
 * All fields are little-endian (APPNOTE.TXT); loads go through memcpy, and
 * the host must be little-endian too.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef FLOOR_ISAL
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
/* struct inflate_state has next_in, avail_in, next_out and avail_out, as
 * z_stream does, so the loop reads the same for both. */
typedef struct inflate_state decoder;
static uint32_t crc_update(uint32_t crc, const uint8_t *data, size_t length) {
    return crc32_gzip_refl(crc, data, length);
}
#else
#include <zlib.h>
typedef z_stream decoder;
static uint32_t crc_update(uint32_t crc, const uint8_t *data, size_t length) {
    return (uint32_t)crc32(crc, data, (uInt)length);
}
#endif

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the floor assumes a little-endian host"
#endif

/* The hot helpers are always inlined and the cold ones never, whichever
 * subcommands share them: the code each loop gets does not depend on how
 * many callers a helper has. */
#define OUT_OF_LINE __attribute__((noinline))
#define INLINE static inline __attribute__((always_inline))

/* ---- the records (APPNOTE 4.3.7, 4.3.12, 4.3.14-16, 4.5.3) --------------- */

#define LOCAL_HEADER_SIG 0x04034b50u
#define LOCAL_HEADER_LEN 30
#define CENTRAL_HEADER_SIG 0x02014b50u
#define CENTRAL_HEADER_LEN 46
#define END_SIG 0x06054b50u
#define END_LEN 22
#define ZIP64_LOCATOR_SIG 0x07064b50u
#define ZIP64_LOCATOR_LEN 20
#define ZIP64_END_SIG 0x06064b50u
#define ZIP64_END_LEN 56
/* The most a reader reads from the end to find the end records. */
#define MAX_TAIL (65535 + END_LEN + ZIP64_LOCATOR_LEN + ZIP64_END_LEN)
#define U16_SATURATED 0xffffu
#define U32_SATURATED 0xffffffffu
#define CHUNK (256 * 1024) /* directory and data reads, inflate output */

INLINE uint16_t load16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
INLINE uint32_t load32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
INLINE uint64_t load64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* One central directory header, with its ZIP64 extra applied. */
typedef struct {
    uint16_t version_made_by, version_needed, flags, method, dos_time, dos_date;
    uint32_t crc32;
    uint64_t compressed_size, uncompressed_size;
    uint16_t name_length, extra_length, comment_length;
    uint32_t disk_start;
    uint16_t internal_attrs;
    uint32_t external_attrs;
    uint64_t local_header_offset; /* as stored: relative to the archive start */
    const uint8_t *name;
} central_header;

INLINE size_t central_header_length(const uint8_t *p) {
    return CENTRAL_HEADER_LEN + (size_t)load16(p + 28) + load16(p + 30) + load16(p + 32);
}

/* A ZIP64 extra holds, in this order, only the fields whose slot is
 * saturated. Returns 0, or -1 when a saturated field has no value. */
static OUT_OF_LINE int apply_zip64_extra(central_header *h, const uint8_t *extra, size_t length) {
    while (length >= 4) {
        uint16_t id = load16(extra);
        size_t size = load16(extra + 2);
        extra += 4;
        length -= 4;
        if (size > length)
            return -1;
        if (id == 0x0001) {
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
    return -1;
}

INLINE int decode_central_header(const uint8_t *p, central_header *h) {
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
    h->name = p + CENTRAL_HEADER_LEN;
    if (h->compressed_size == U32_SATURATED || h->uncompressed_size == U32_SATURATED ||
        h->local_header_offset == U32_SATURATED || h->disk_start == U16_SATURATED) {
        central_header wide = *h; /* so that h itself never escapes */
        int result = apply_zip64_extra(&wide, h->name + h->name_length, h->extra_length);
        *h = wide;
        return result;
    }
    return 0;
}

/* ---- reading -------------------------------------------------------------- */

/* Reads exactly `length` bytes at `offset` (retrying short reads and EINTR). */
static OUT_OF_LINE int read_exactly(int fd, void *buffer, size_t length, uint64_t offset) {
    uint8_t *p = buffer;
    while (length > 0) {
        ssize_t n = pread(fd, p, length, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0) errno = 0; /* unexpected end of file */
            return -1;
        }
        p += n;
        length -= (size_t)n;
        offset += (uint64_t)n;
    }
    return 0;
}

static OUT_OF_LINE int open_archive(const char *path, uint64_t *size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        return -1;
    }
    if (fd >= 0) *size = (uint64_t)st.st_size;
    return fd;
}

typedef struct {
    uint64_t entry_count, offset, size; /* offset: of the first header, base applied */
    uint64_t base_offset;               /* bytes before the archive start */
} central_directory;

/* The end record, scanning backwards: one whose comment ends exactly at the
 * end of the file wins, else the last whose comment fits (Go's rule). */
static long find_end_record(const uint8_t *tail, size_t length) {
    if (length < END_LEN)
        return -1;
    long fitting = -1;
    for (size_t i = length - END_LEN + 1; i-- > 0;) {
        if (tail[i] != 'P' || load32(tail + i) != END_SIG)
            continue;
        size_t end = i + END_LEN + load16(tail + i + 20);
        if (end == length)
            return (long)i;
        if (end < length && fitting < 0)
            fitting = (long)i;
    }
    return fitting;
}

static int read_zip64_record(int fd, const uint8_t *tail, uint64_t tail_start,
                             uint64_t position, uint8_t *record) {
    if (position >= tail_start)
        memcpy(record, tail + (position - tail_start), ZIP64_END_LEN);
    else if (read_exactly(fd, record, ZIP64_END_LEN, position) != 0)
        return 0;
    return load32(record) == ZIP64_END_SIG;
}

/* Reads the tail with one pread, finds the end records and derives the base
 * offset as Python's zipfile does: the directory ends where they begin. */
static OUT_OF_LINE const char *locate_central_directory(int fd, uint64_t file_size,
                                                        central_directory *cd) {
    static uint8_t tail[MAX_TAIL];
    size_t tail_length = file_size < MAX_TAIL ? (size_t)file_size : MAX_TAIL;
    uint64_t tail_start = file_size - tail_length;
    if (read_exactly(fd, tail, tail_length, tail_start) != 0)
        return "cannot read the end of the file";
    long at = find_end_record(tail, tail_length);
    if (at < 0)
        return "no end of central directory record";
    const uint8_t *end_record = tail + at;
    uint64_t directory_end = tail_start + (uint64_t)at;
    cd->entry_count = load16(end_record + 10);
    cd->size = load32(end_record + 12);
    uint64_t stored_offset = load32(end_record + 16);
    /* A ZIP64 locator right before the end record: the real values are in
     * the ZIP64 record, normally right before the locator (true even with
     * prepended data), else where the locator says. */
    if ((size_t)at >= ZIP64_LOCATOR_LEN && load32(end_record - ZIP64_LOCATOR_LEN) == ZIP64_LOCATOR_SIG) {
        const uint8_t *locator = end_record - ZIP64_LOCATOR_LEN;
        uint64_t locator_position = directory_end - ZIP64_LOCATOR_LEN;
        uint8_t record[ZIP64_END_LEN];
        uint64_t position = locator_position - ZIP64_END_LEN;
        if (locator_position < ZIP64_END_LEN || !read_zip64_record(fd, tail, tail_start, position, record)) {
            position = load64(locator + 8);
            if (position >= locator_position || !read_zip64_record(fd, tail, tail_start, position, record))
                return "ZIP64 locator does not point at a ZIP64 end record";
        }
        cd->entry_count = load64(record + 32);
        cd->size = load64(record + 40);
        stored_offset = load64(record + 48);
        directory_end = position;
    }
    if (cd->size > directory_end || stored_offset > directory_end - cd->size)
        return "central directory size or offset points outside the file";
    if (cd->entry_count > cd->size / CENTRAL_HEADER_LEN)
        return "entry count does not fit in the central directory";
    cd->offset = directory_end - cd->size;
    cd->base_offset = cd->offset - stored_offset;
    return NULL;
}

/* Streams the directory through one CHUNK-byte buffer (a maximal header,
 * 46 + 3 * 65535 bytes, always fits). */
typedef struct {
    int fd;
    uint8_t *buffer;
    size_t length, position;      /* valid bytes; next unread byte */
    uint64_t buffer_offset, end;  /* file offsets of buffer[0] and the directory's end */
    uint64_t base_offset;
} cursor;

static void cursor_init(cursor *c, int fd, const central_directory *cd, uint8_t *buffer) {
    *c = (cursor){fd, buffer, 0, 0, cd->offset, cd->offset + cd->size, cd->base_offset};
}

/* Slides the unread bytes to the front and preads the next chunk behind them. */
static OUT_OF_LINE const uint8_t *cursor_refill(cursor *c, size_t needed) {
    size_t unread = c->length - c->position;
    uint64_t next = c->buffer_offset + c->length;
    memmove(c->buffer, c->buffer + c->position, unread);
    c->buffer_offset += c->position;
    c->position = 0;
    c->length = unread;
    uint64_t left = c->end - next;
    size_t room = CHUNK - unread;
    size_t want = left < room ? (size_t)left : room;
    if (want > 0 && read_exactly(c->fd, c->buffer + unread, want, next) != 0)
        return NULL;
    c->length += want;
    return c->length >= needed ? c->buffer : NULL;
}

INLINE const uint8_t *cursor_peek(cursor *c, size_t needed) {
    if (c->length - c->position >= needed)
        return c->buffer + c->position;
    return cursor_refill(c, needed);
}

INLINE int cursor_at_end(const cursor *c) {
    return c->position == c->length && c->buffer_offset + c->length == c->end;
}

/* Decodes the next header; h->name points into the buffer until the next call. */
INLINE const char *read_central_header(cursor *c, central_header *h, uint64_t *header_offset) {
    const uint8_t *p = cursor_peek(c, CENTRAL_HEADER_LEN);
    if (p == NULL)
        return "central directory ends before the declared entry count";
    if (load32(p) != CENTRAL_HEADER_SIG)
        return "bad central directory header signature";
    size_t total = central_header_length(p);
    if ((p = cursor_peek(c, total)) == NULL)
        return "central directory header runs past the directory";
    if (decode_central_header(p, h) != 0)
        return "bad ZIP64 extra field";
    *header_offset = c->buffer_offset + c->position - c->base_offset;
    c->position += total;
    return NULL;
}

/* ---- walk ----------------------------------------------------------------- */

typedef struct {
    const char *path;
    uint8_t *buffer;
    uint64_t entries;
} walk_context;

static uint64_t open_and_walk(void *context) {
    walk_context *w = context;
    uint64_t file_size;
    int fd = open_archive(w->path, &file_size);
    if (fd < 0)
        fail(w->path, strerror(errno));
    central_directory cd;
    const char *error = locate_central_directory(fd, file_size, &cd);
    if (error != NULL)
        fail(w->path, error);
    cursor c;
    cursor_init(&c, fd, &cd, w->buffer);
    uint64_t checksum = 0; /* of every decoded field, so none is optimised away */
    for (uint64_t i = 0; i < cd.entry_count; i++) {
        central_header h;
        uint64_t header_offset;
        if ((error = read_central_header(&c, &h, &header_offset)) != NULL)
            fail(w->path, error);
        checksum += h.compressed_size ^ h.uncompressed_size ^ h.crc32 ^
                    (h.local_header_offset + cd.base_offset) ^ header_offset ^ h.name_length ^
                    ((uint64_t)h.method << 16) ^ ((uint64_t)h.flags << 32) ^ h.external_attrs ^
                    ((uint64_t)h.dos_date << 48) ^ h.dos_time;
    }
    if (!cursor_at_end(&c))
        fail(w->path, "central directory continues past the declared entry count");
    close(fd);
    w->entries = cd.entry_count;
    return checksum;
}

/* ---- the table -------------------------------------------------------------
 * records: one 40-byte record per entry, in directory order; a name ends
 * where the next record's begins. wide: the rare entries whose sizes or
 * offsets need 64 bits (their record fields hold U32_SATURATED). slots/tags:
 * open addressing over the names, capacity about 4/3 of the entries (not a
 * power of two: slot = (u128)hash * capacity >> 64), linear probing; a slot
 * holds index + 1 (0: empty), tags[slot] the hash's low byte. A later entry
 * with a name already seen replaces the earlier one. */

typedef struct {
    uint32_t local_offset, compressed_size, uncompressed_size, crc32;
    uint32_t name_start, header_offset, dos_datetime, external_attrs;
    uint16_t method, flags, version_made_by, internal_attrs;
} entry_record;
_Static_assert(sizeof(entry_record) == 40, "entry_record must stay 40 bytes");

typedef struct {
    uint32_t index;
    uint64_t local_offset, compressed_size, uncompressed_size, header_offset;
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

/* wyhash's structure and constants without its 48-byte loop, which entry
 * names (20-80 bytes) rarely reach: 16-byte blocks folded by a 64x64->128
 * multiply whose halves are xored. */
INLINE uint64_t hash_mix(uint64_t a, uint64_t b) {
    unsigned __int128 r = (unsigned __int128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

INLINE uint64_t name_hash(const uint8_t *p, size_t length) {
    const uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
    uint64_t seed = 0x8ebc6af09c88c6e3ull, a, b;
    if (length <= 16) {
        if (length >= 4) { /* two possibly overlapping 4-byte loads from each end */
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
        for (; i > 16; i -= 16, p += 16)
            seed = hash_mix(load64(p) ^ k1, load64(p + 8) ^ seed);
        a = load64(p + i - 16); /* the last 16 bytes, overlapping when i < 16 */
        b = load64(p + i - 8);
    }
    unsigned __int128 r = (unsigned __int128)(a ^ k1) * (b ^ seed);
    return hash_mix((uint64_t)r ^ k0 ^ length, (uint64_t)(r >> 64) ^ k1);
}

INLINE const uint8_t *table_name(const file_table *t, uint32_t index, size_t *length) {
    uint64_t start = t->records[index].name_start;
    uint64_t end = index + 1 < t->count ? t->records[index + 1].name_start : t->names_length;
    *length = (size_t)(end - start);
    return t->names + start;
}

INLINE uint32_t slot_for(uint64_t hash, uint32_t capacity) {
    return (uint32_t)(((unsigned __int128)hash * capacity) >> 64);
}

INLINE int name_equals(const file_table *t, uint32_t index, const uint8_t *name, size_t length) {
    size_t stored_length;
    const uint8_t *stored = table_name(t, index, &stored_length);
    return stored_length == length && memcmp(stored, name, length) == 0;
}

/* Index of the entry named `name`, or -1. */
static OUT_OF_LINE int64_t table_find(const file_table *t, const uint8_t *name, size_t length) {
    uint64_t hash = name_hash(name, length);
    uint8_t tag = (uint8_t)hash;
    for (uint32_t slot = slot_for(hash, t->capacity);;) {
        uint32_t occupant = t->slots[slot];
        if (occupant == 0)
            return -1;
        if (t->tags[slot] == tag && name_equals(t, occupant - 1, name, length))
            return occupant - 1;
        if (++slot == t->capacity)
            slot = 0;
    }
}

/* Points the name's slot at `index`, replacing an earlier entry of that name. */
INLINE void insert(file_table *t, uint32_t index, const uint8_t *name, size_t length) {
    uint64_t hash = name_hash(name, length);
    uint8_t tag = (uint8_t)hash;
    for (uint32_t slot = slot_for(hash, t->capacity);;) {
        uint32_t occupant = t->slots[slot];
        if (occupant == 0 || (t->tags[slot] == tag && name_equals(t, occupant - 1, name, length))) {
            t->tags[slot] = tag;
            t->slots[slot] = index + 1;
            return;
        }
        if (++slot == t->capacity)
            slot = 0;
    }
}

INLINE int narrow(uint32_t *field, uint64_t value) {
    *field = value < U32_SATURATED ? (uint32_t)value : U32_SATURATED;
    return value >= U32_SATURATED;
}

static const char *read_entries(file_table *t, int fd, const central_directory *cd, uint8_t *buffer) {
    cursor c;
    cursor_init(&c, fd, cd, buffer);
    for (uint32_t i = 0; i < cd->entry_count; i++) {
        central_header h;
        uint64_t header_offset;
        const char *error = read_central_header(&c, &h, &header_offset);
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
        if (wide) { /* grows by doubling; only archives over 4 GiB get here */
            if ((t->wide_count & (t->wide_count - 1)) == 0) {
                size_t size = (t->wide_count ? 2 * (size_t)t->wide_count : 4) * sizeof(wide_entry);
                wide_entry *grown = realloc(t->wide, size);
                if (grown == NULL)
                    return "out of memory";
                t->wide = grown;
            }
            t->wide[t->wide_count++] = (wide_entry){i, h.local_header_offset, h.compressed_size,
                                                    h.uncompressed_size, header_offset};
        }
        memcpy(t->names + t->names_length, h.name, h.name_length);
        t->names_length += h.name_length;
        t->count = i + 1;
    }
    return cursor_at_end(&c) ? NULL : "central directory continues past the declared entry count";
}

static OUT_OF_LINE void table_free(file_table *t) {
    free(t->records);
    free(t->names);
    free(t->wide);
    free(t->slots);
    free(t->tags);
    memset(t, 0, sizeof *t);
}

/* Opens `path` and builds its table; on error nothing stays allocated. The
 * names are inserted in a second pass, in directory order (later duplicates
 * win): at a million entries the random slot accesses then compete only with
 * sequential name reads, not with the walk's writes (about 25% faster). */
static OUT_OF_LINE const char *table_build(file_table *t, const char *path, uint8_t *buffer) {
    memset(t, 0, sizeof *t);
    uint64_t file_size;
    int fd = open_archive(path, &file_size);
    if (fd < 0)
        return strerror(errno);
    central_directory cd;
    const char *error = locate_central_directory(fd, file_size, &cd);
    if (error == NULL) {
        uint64_t count = cd.entry_count;
        /* Names, extras and comments share what the fixed headers leave. */
        uint64_t name_bytes = cd.size - count * CENTRAL_HEADER_LEN;
        t->base_offset = cd.base_offset;
        if (count >= UINT32_MAX / 2 || name_bytes >= UINT32_MAX) {
            error = "archive too large for 32-bit table indexes";
        } else {
            t->capacity = (uint32_t)(count + count / 3 + 1);
            t->records = malloc((count ? count : 1) * sizeof *t->records);
            t->names = malloc(name_bytes ? name_bytes : 1);
            t->slots = calloc(t->capacity, sizeof *t->slots);
            t->tags = malloc(t->capacity);
            if (!t->records || !t->names || !t->slots || !t->tags)
                error = "out of memory";
        }
    }
    if (error == NULL)
        error = read_entries(t, fd, &cd, buffer);
    close(fd);
    if (error != NULL) {
        table_free(t);
        return error;
    }
    for (uint32_t i = 0; i < t->count; i++) {
        size_t length;
        const uint8_t *name = table_name(t, i, &length);
        insert(t, i, name, length);
    }
    return NULL;
}

/* Bytes of the table without the name arena. */
static size_t table_bytes(const file_table *t) {
    return (size_t)t->count * sizeof *t->records + (size_t)t->wide_count * sizeof *t->wide +
           (size_t)t->capacity * (sizeof *t->slots + sizeof *t->tags);
}

typedef struct {
    const char *path;
    uint8_t *buffer;
    file_table table;
} build_context;

static uint64_t build(void *context) {
    build_context *b = context;
    const char *error = table_build(&b->table, b->path, b->buffer);
    if (error != NULL)
        fail(b->path, error);
    return b->table.count ^ (b->table.names_length << 32);
}

static void release(void *context) { table_free(&((build_context *)context)->table); }

static build_context context_for(const char *path) {
    build_context b = {path, malloc(CHUNK), {0}};
    if (b.buffer == NULL)
        fail(path, "out of memory");
    return b;
}

/* Every name must find its own entry, or a later one with the same name. */
static void check_table(const file_table *t, const char *path) {
    for (uint32_t i = 0; i < t->count; i++) {
        size_t length, found_length = 0;
        const uint8_t *name = table_name(t, i, &length);
        int64_t found = table_find(t, name, length);
        const uint8_t *found_name = found < 0 ? NULL : table_name(t, (uint32_t)found, &found_length);
        if (found < (int64_t)i || found_length != length || memcmp(found_name, name, length))
            fail(path, "lookup of an existing name failed");
    }
}

/* ---- lookup ------------------------------------------------------------- */

#define LOOKUP_QUERIES (1u << 19)
#define LOOKUP_BATCH 1024u
#define LOOKUP_BATCHES 2048u

typedef struct {
    uint8_t *bytes;
    uint64_t *starts; /* query k is bytes[starts[k] ..< starts[k + 1]] */
} query_set;

static query_set make_queries(const file_table *t, int missing, const char *path) {
    query_set q = {malloc(1 << 20), malloc((LOOKUP_QUERIES + 1) * sizeof *q.starts)};
    size_t capacity = 1 << 20, used = 0;
    if (q.starts == NULL || q.bytes == NULL)
        fail(path, "out of memory");
    for (size_t k = 0, attempts = 0; k < LOOKUP_QUERIES; attempts++) {
        if (attempts > 100 * (uint64_t)LOOKUP_QUERIES)
            fail(path, "cannot make enough missing names");
        size_t length;
        const uint8_t *name = table_name(t, (uint32_t)(next_random() % t->count), &length);
        if (missing && length == 0)
            continue;
        while (used + length > capacity)
            if ((q.bytes = realloc(q.bytes, capacity *= 2)) == NULL)
                fail(path, "out of memory");
        uint8_t *copy = q.bytes + used;
        memcpy(copy, name, length);
        if (missing && ((copy[length / 2] ^= 0x20), table_find(t, copy, length) >= 0))
            continue;
        q.starts[k++] = used;
        used += length;
    }
    q.starts[LOOKUP_QUERIES] = used;
    return q;
}

/* Median over the batches of the time per lookup, in ns. */
static double time_lookups(const file_table *t, const query_set *q, int expect_hit, const char *path) {
    static uint64_t samples[LOOKUP_BATCHES];
    uint64_t found = 0;
    for (size_t k = 0; k < LOOKUP_QUERIES; k++) /* warm-up */
        found += table_find(t, q->bytes + q->starts[k], q->starts[k + 1] - q->starts[k]) >= 0;
    if (found != (expect_hit ? LOOKUP_QUERIES : 0))
        fail(path, "lookup returned the wrong kind of result");
    size_t k = 0;
    int64_t sink = 0;
    for (size_t b = 0; b < LOOKUP_BATCHES; b++) {
        uint64_t start = now_ns();
        for (size_t i = 0; i < LOOKUP_BATCH; i++, k = k + 1 == LOOKUP_QUERIES ? 0 : k + 1)
            sink += table_find(t, q->bytes + q->starts[k], q->starts[k + 1] - q->starts[k]);
        samples[b] = now_ns() - start;
    }
    if (sink == INT64_MIN) /* never true; keeps the results observable */
        puts("");
    return (double)median_of(samples, LOOKUP_BATCHES) / LOOKUP_BATCH;
}

static int lookup_mode(const char *path) {
    build_context b = context_for(path);
    build(&b);
    if (b.table.count == 0)
        fail(path, "archive has no entries to look up");
    check_table(&b.table, path);
    query_set hits = make_queries(&b.table, 0, path), misses = make_queries(&b.table, 1, path);
    double hit_ns = time_lookups(&b.table, &hits, 1, path);
    double miss_ns = time_lookups(&b.table, &misses, 0, path);
    printf("{\"entries\": %u, \"queries\": %u, \"batch\": %u, \"batches\": %u, "
           "\"hitNs\": %.2f, \"missNs\": %.2f}\n",
           b.table.count, LOOKUP_QUERIES, LOOKUP_BATCH, LOOKUP_BATCHES, hit_ns, miss_ns);
    return 0;
}

/* ---- index ---------------------------------------------------------------- */

static int index_mode(const char *path, const char *repetitions) {
    /* glibc's malloc keeps freed memory: everything from the heap, never
     * trimmed (its default trims unpredictably, by allocation history). */
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, -1);
    build_context b = context_for(path);
    bench_stats s = bench_run(build, release, &b, repetitions);
    build(&b); /* once more, untimed, to check and measure it */
    check_table(&b.table, path);
    uint32_t n = b.table.count;
    size_t bytes = table_bytes(&b.table);
    printf("{\"entries\": %u, \"runs\": %zu, \"medianNs\": %llu, \"minNs\": %llu, "
           "\"maxNs\": %llu, \"nsPerEntry\": %.2f, \"tableBytes\": %zu, "
           "\"bytesPerEntry\": %.2f, \"nameBytes\": %llu}\n",
           n, s.runs, (unsigned long long)s.median_ns, (unsigned long long)s.min_ns,
           (unsigned long long)s.max_ns, n ? (double)s.median_ns / n : 0.0, bytes,
           n ? (double)bytes / n : 0.0, (unsigned long long)b.table.names_length);
    return 0;
}

/* ---- once ------------------------------------------------------------------ */

static void write_all(const uint8_t *bytes, size_t length) {
    for (ssize_t wrote; length > 0; bytes += wrote, length -= (size_t)wrote)
        if ((wrote = write(1, bytes, length)) <= 0)
            fail("floor once", strerror(errno));
}

static int once_mode(const char *path, int list) {
    build_context b = context_for(path);
    uint64_t start = now_ns();
    build(&b);
    uint64_t elapsed = now_ns() - start;
    if (!list) {
        printf("{\"entries\": %u, \"onceNs\": %llu}\n", b.table.count, (unsigned long long)elapsed);
        return 0;
    }
    static uint8_t out[64 * 1024];
    size_t used = 0;
    for (uint32_t i = 0; i < b.table.count; i++) {
        size_t length;
        const uint8_t *name = table_name(&b.table, i, &length);
        if (used + length + 1 > sizeof out) {
            write_all(out, used);
            used = 0;
        }
        if (length + 1 > sizeof out) {
            write_all(name, length);
            write_all((const uint8_t *)"\n", 1);
            continue;
        }
        memcpy(out + used, name, length);
        out[used + length] = '\n';
        used += length + 1;
    }
    write_all(out, used);
    return 0;
}

/* ---- inflate --------------------------------------------------------------- */

typedef struct {
    const char *path, *name;
    uint8_t *directory_buffer, *in, *out; /* CHUNK bytes each */
    decoder *decoder;                     /* zlib's z_stream or ISA-L's state */
    uint64_t bytes, compressed_bytes;
} inflate_context;

/* Walks the whole directory for `name`; the last entry of that name wins. */
static const char *find_entry(int fd, const central_directory *cd, uint8_t *buffer,
                              const char *name, central_header *found) {
    size_t length = strlen(name);
    int matched = 0;
    cursor c;
    cursor_init(&c, fd, cd, buffer);
    for (uint64_t i = 0; i < cd->entry_count; i++) {
        central_header h;
        uint64_t header_offset;
        const char *error = read_central_header(&c, &h, &header_offset);
        if (error != NULL)
            return error;
        if (h.name_length == length && memcmp(h.name, name, length) == 0) {
            *found = h;
            found->name = NULL; /* pointed into the buffer */
            matched = 1;
        }
    }
    return matched ? NULL : "no entry with that name";
}

/* Streams the entry's data through the decoder (or straight through when
 * stored); `crc` and `produced` get the output's CRC-32 and length. */
static const char *read_data(int fd, uint64_t offset, const central_header *h,
                             inflate_context *c, uint32_t *crc, uint64_t *produced) {
    decoder *z = c->decoder;
    int deflated = h->method == 8;
    if (!deflated && h->method != 0)
        return "unsupported compression method";
#ifdef FLOOR_ISAL
    isal_inflate_init(z); /* sets avail_in to 0, as the memset does for zlib */
    z->crc_flag = ISAL_DEFLATE;
#else
    memset(z, 0, sizeof *z);
    if (deflated && inflateInit2(z, -MAX_WBITS) != Z_OK)
        return "inflateInit2 failed";
#endif
    uint64_t remaining = h->compressed_size;
    const char *error = NULL;
    *crc = 0;
    *produced = 0;
    /* Both decoders can hold the last input in their bit buffers with output
     * still to write: the input ends too early only when a call made no
     * progress with none left to give. */
    int progressed = 0;
    for (int done = 0; !done && error == NULL;) {
        if (z->avail_in == 0) {
            size_t n = remaining < CHUNK ? (size_t)remaining : CHUNK;
            if (n == 0 && deflated && !progressed) {
                error = "compressed data ends before the deflate stream does";
                break;
            }
            if (n > 0 && read_exactly(fd, c->in, n, offset) != 0) {
                error = "cannot read entry data";
                break;
            }
            offset += n;
            remaining -= n;
            z->next_in = c->in;
            z->avail_in = (uint32_t)n;
        }
        if (!deflated) {
            *crc = crc_update(*crc, z->next_in, z->avail_in);
            *produced += z->avail_in;
            z->avail_in = 0;
            done = remaining == 0;
            continue;
        }
        uint32_t available = z->avail_in;
        z->next_out = c->out;
        z->avail_out = CHUNK;
#ifdef FLOOR_ISAL
        if (isal_inflate(z) != ISAL_DECOMP_OK)
            error = "corrupt deflate stream";
        done = z->block_state == ISAL_BLOCK_FINISH;
#else
        int status = inflate(z, Z_NO_FLUSH); /* Z_BUF_ERROR: no progress */
        if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR)
            error = "corrupt deflate stream";
        done = status == Z_STREAM_END;
#endif
        size_t n = CHUNK - z->avail_out;
        *crc = crc_update(*crc, c->out, n);
        *produced += n;
        progressed = n > 0 || z->avail_in != available;
    }
#ifndef FLOOR_ISAL
    if (deflated)
        inflateEnd(z);
#endif
    return error;
}

static uint64_t open_and_inflate(void *context) {
    inflate_context *c = context;
    uint64_t file_size, offset = 0, produced = 0;
    int fd = open_archive(c->path, &file_size);
    if (fd < 0)
        fail(c->path, strerror(errno));
    central_directory cd;
    central_header h = {0};
    uint32_t crc = 0;
    uint8_t local[LOCAL_HEADER_LEN];
    const char *error = locate_central_directory(fd, file_size, &cd);
    if (error == NULL)
        error = find_entry(fd, &cd, c->directory_buffer, c->name, &h);
    if (error == NULL) { /* the data follows the local header */
        uint64_t at = h.local_header_offset + cd.base_offset;
        if (read_exactly(fd, local, sizeof local, at) != 0 || load32(local) != LOCAL_HEADER_SIG)
            error = "bad local file header";
        else if ((offset = at + LOCAL_HEADER_LEN + load16(local + 26) + load16(local + 28)) > file_size ||
                 h.compressed_size > file_size - offset)
            error = "entry data runs past the end of the file";
    }
    if (error == NULL)
        error = read_data(fd, offset, &h, c, &crc, &produced);
    if (error == NULL && produced != h.uncompressed_size)
        error = "size does not match the central directory";
    if (error == NULL && crc != h.crc32)
        error = "CRC-32 does not match the central directory";
    if (error != NULL)
        fail(c->name, error);
    close(fd);
    c->bytes = produced;
    c->compressed_bytes = h.compressed_size;
    return crc;
}

static int inflate_mode(const char *path, const char *name, const char *repetitions) {
    inflate_context c = {path, name, malloc(CHUNK), malloc(CHUNK), malloc(CHUNK),
                         malloc(sizeof(decoder)), 0, 0};
    if (!c.directory_buffer || !c.in || !c.out || !c.decoder)
        fail(path, "out of memory");
    bench_stats s = bench_run(open_and_inflate, NULL, &c, repetitions);
    printf("{\"bytes\": %llu, \"compressedBytes\": %llu, \"crc32\": \"%08x\", \"runs\": %zu, "
           "\"medianNs\": %llu, \"mbPerSec\": %.1f}\n",
           (unsigned long long)c.bytes, (unsigned long long)c.compressed_bytes, (unsigned)s.checksum,
           s.runs, (unsigned long long)s.median_ns,
           s.median_ns ? (double)c.bytes * 1e3 / (double)s.median_ns : 0.0);
    return 0;
}

int main(int argc, char **argv) {
    const char *command = argc > 1 ? argv[1] : "";
    int flag = argc > 2 && strcmp(command, "once") == 0 && strcmp(argv[2], "--list") == 0;
    char **a = argv + 2 + flag;
    int n = argc - 2 - flag;
    if (strcmp(command, "walk") == 0 && (n == 1 || n == 2)) {
        walk_context w = {a[0], malloc(CHUNK), 0};
        if (w.buffer == NULL)
            fail(w.path, "out of memory");
        bench_stats s = bench_run(open_and_walk, NULL, &w, n > 1 ? a[1] : NULL);
        printf("{\"entries\": %llu, \"runs\": %zu, \"medianNs\": %llu, \"minNs\": %llu, "
               "\"maxNs\": %llu, \"nsPerEntry\": %.2f}\n",
               (unsigned long long)w.entries, s.runs, (unsigned long long)s.median_ns,
               (unsigned long long)s.min_ns, (unsigned long long)s.max_ns,
               w.entries ? (double)s.median_ns / (double)w.entries : 0.0);
        return 0;
    }
    if (strcmp(command, "index") == 0 && (n == 1 || n == 2))
        return index_mode(a[0], n > 1 ? a[1] : NULL);
    if (strcmp(command, "lookup") == 0 && n == 1)
        return lookup_mode(a[0]);
    if (strcmp(command, "inflate") == 0 && (n == 2 || n == 3))
        return inflate_mode(a[0], a[1], n > 2 ? a[2] : NULL);
    if (strcmp(command, "once") == 0 && n == 1)
        return once_mode(a[0], flag);
    fprintf(stderr, "usage: floor walk ARCHIVE [R] | index ARCHIVE [R] | lookup ARCHIVE\n"
                    "       | inflate ARCHIVE NAME [R] | once [--list] ARCHIVE\n");
    return 2;
}
