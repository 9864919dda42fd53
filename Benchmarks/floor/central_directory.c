/* central_directory.c: see central_directory.h. */
#include "central_directory.h"

#include <string.h>

#include "zip_io.h"

_Static_assert(CENTRAL_DIRECTORY_HEADER_LENGTH + 3 * 65535 <= CENTRAL_DIRECTORY_CHUNK,
               "a maximal header must fit in one chunk");

/* Backward scan for the end record (APPNOTE 4.3.16). A candidate whose
 * comment ends exactly at the end of the file wins; failing that, the last
 * candidate whose comment fits (Go's rule), which tolerates trailing bytes.
 * Preferring the exact fit keeps a "PK\5\6" inside a comment from being
 * taken for the record. Returns the record's index in tail, or -1. */
static long find_end_record(const uint8_t *tail, size_t length) {
    if (length < END_OF_CENTRAL_DIRECTORY_LENGTH)
        return -1;
    long fitting = -1;
    for (size_t i = length - END_OF_CENTRAL_DIRECTORY_LENGTH + 1; i-- > 0;) {
        if (tail[i] != 'P' || load32(tail + i) != END_OF_CENTRAL_DIRECTORY_SIGNATURE)
            continue;
        size_t end = i + END_OF_CENTRAL_DIRECTORY_LENGTH + load16(tail + i + 20);
        if (end == length)
            return (long)i;
        if (end < length && fitting < 0)
            fitting = (long)i;
    }
    return fitting;
}

/* Reads the ZIP64 end record at `position` into `record`, from the tail
 * buffer when it is there. Returns 1 if the signature matches. */
static int read_zip64_record(int fd, const uint8_t *tail, uint64_t tail_start,
                             uint64_t position, uint8_t *record) {
    if (position >= tail_start) {
        memcpy(record, tail + (position - tail_start), ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH);
    } else if (read_exactly(fd, record, ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH, position) != 0) {
        return 0;
    }
    return load32(record) == ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE;
}

const char *locate_central_directory(int fd, uint64_t file_size,
                                     central_directory *cd) {
    static uint8_t tail[MAX_TAIL_LENGTH]; /* too large to want on the stack */
    size_t tail_length = file_size < MAX_TAIL_LENGTH ? (size_t)file_size : MAX_TAIL_LENGTH;
    uint64_t tail_start = file_size - tail_length;
    if (read_exactly(fd, tail, tail_length, tail_start) != 0)
        return "cannot read the end of the file";

    long at = find_end_record(tail, tail_length);
    if (at < 0)
        return "no end of central directory record";
    const uint8_t *end_record = tail + at;
    uint64_t end_record_position = tail_start + (uint64_t)at;
    cd->entry_count = load16(end_record + 10);
    cd->size = load32(end_record + 12);
    uint64_t stored_offset = load32(end_record + 16);
    uint64_t directory_end = end_record_position; /* where the end records begin */
    cd->zip64 = 0;

    /* APPNOTE 4.3.15: a locator right before the end record means the real
     * values are in the ZIP64 record. */
    if (end_record_position >= ZIP64_LOCATOR_LENGTH && (size_t)at >= ZIP64_LOCATOR_LENGTH &&
        load32(end_record - ZIP64_LOCATOR_LENGTH) == ZIP64_LOCATOR_SIGNATURE) {
        const uint8_t *locator = end_record - ZIP64_LOCATOR_LENGTH;
        uint64_t locator_position = end_record_position - ZIP64_LOCATOR_LENGTH;
        uint8_t record[ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH];
        /* The record normally sits right before the locator, which stays true
         * when data was prepended and the stored offset is off by the base.
         * A record with extensible data is found through the stored offset. */
        uint64_t record_position = locator_position - ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH;
        if (locator_position < ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH ||
            !read_zip64_record(fd, tail, tail_start, record_position, record)) {
            record_position = load64(locator + 8);
            if (record_position >= locator_position ||
                !read_zip64_record(fd, tail, tail_start, record_position, record))
                return "ZIP64 locator does not point at a ZIP64 end record";
        }
        cd->entry_count = load64(record + 32);
        cd->size = load64(record + 40);
        stored_offset = load64(record + 48);
        directory_end = record_position;
        cd->zip64 = 1;
    }

    if (cd->size > directory_end || stored_offset > directory_end - cd->size)
        return "central directory size or offset points outside the file";
    if (cd->entry_count > cd->size / CENTRAL_DIRECTORY_HEADER_LENGTH)
        return "entry count does not fit in the central directory";
    cd->offset = directory_end - cd->size;
    cd->base_offset = cd->offset - stored_offset;
    return NULL;
}

void cursor_init(central_directory_cursor *c, int fd,
                 const central_directory *cd, uint8_t *buffer) {
    c->fd = fd;
    c->buffer = buffer;
    c->length = 0;
    c->position = 0;
    c->buffer_offset = cd->offset;
    c->end = cd->offset + cd->size;
    c->base_offset = cd->base_offset;
}

const uint8_t *cursor_refill(central_directory_cursor *c, size_t needed) {
    size_t unread = c->length - c->position;
    uint64_t next = c->buffer_offset + c->length; /* first byte not yet read */
    memmove(c->buffer, c->buffer + c->position, unread);
    c->buffer_offset += c->position;
    c->position = 0;
    c->length = unread;
    uint64_t left = c->end - next;
    size_t room = CENTRAL_DIRECTORY_CHUNK - unread;
    size_t want = left < room ? (size_t)left : room;
    if (want > 0 && read_exactly(c->fd, c->buffer + unread, want, next) != 0)
        return NULL;
    c->length += want;
    return c->length >= needed ? c->buffer : NULL;
}
