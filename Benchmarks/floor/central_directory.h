/*
 * central_directory.h: finding the central directory from the end of the
 * file, then streaming its headers through one 256 KiB buffer.
 *
 * Errors are reported as static message strings; NULL means success.
 */
#ifndef CENTRAL_DIRECTORY_H
#define CENTRAL_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

#include "zip_format.h"

/* Where the central directory is, from the end records. */
typedef struct {
    uint64_t entry_count;
    uint64_t offset;      /* file offset of the first header (base applied) */
    uint64_t size;        /* bytes of central directory */
    uint64_t base_offset; /* bytes before the archive start (prepended data);
                             add to every stored offset */
    int zip64;            /* 1 when the counts came from the ZIP64 record */
} central_directory;

/* Reads the file's tail (at most MAX_TAIL_LENGTH bytes) with one pread,
 * finds the end record by scanning backwards, follows the ZIP64 locator
 * when there is one, and derives the base offset the way Python's zipfile
 * does: the directory is assumed to end where the end records begin. */
const char *locate_central_directory(int fd, uint64_t file_size,
                                     central_directory *cd);

/* Chunk size for reading the directory. Every header (at most
 * 46 + 3 * 65535 bytes) fits, so one buffer is always enough. */
#define CENTRAL_DIRECTORY_CHUNK (256 * 1024)

typedef struct {
    int fd;
    uint8_t *buffer;         /* CENTRAL_DIRECTORY_CHUNK bytes, owned by caller */
    size_t length;           /* valid bytes in buffer */
    size_t position;         /* next unread byte in buffer */
    uint64_t buffer_offset;  /* file offset of buffer[0] */
    uint64_t end;            /* file offset just past the directory */
    uint64_t base_offset;
} central_directory_cursor;

void cursor_init(central_directory_cursor *c, int fd,
                 const central_directory *cd, uint8_t *buffer);

/* Slow path of cursor_peek: slides the unread bytes to the front of the
 * buffer and preads the next chunk behind them. */
const uint8_t *cursor_refill(central_directory_cursor *c, size_t needed);

/* Returns a pointer to at least `needed` unread bytes, or NULL when the
 * directory has fewer left (or a read failed). The pointer is valid until
 * the next peek. */
static inline const uint8_t *cursor_peek(central_directory_cursor *c,
                                         size_t needed) {
    if (c->length - c->position >= needed)
        return c->buffer + c->position;
    return cursor_refill(c, needed);
}

/* 1 when every byte of the directory has been consumed. */
static inline int cursor_at_end(const central_directory_cursor *c) {
    return c->position == c->length && c->buffer_offset + c->length == c->end;
}

/* Decodes the next header and moves past it. `header_offset` receives the
 * header's offset relative to the archive start (like stored offsets).
 * h->name points into the cursor's buffer until the next call. */
static inline const char *read_central_header(central_directory_cursor *c,
                                              central_directory_header *h,
                                              uint64_t *header_offset) {
    const uint8_t *p = cursor_peek(c, CENTRAL_DIRECTORY_HEADER_LENGTH);
    if (p == NULL)
        return "central directory ends before the declared entry count";
    if (load32(p) != CENTRAL_DIRECTORY_HEADER_SIGNATURE)
        return "bad central directory header signature";
    size_t total = central_header_total_length(p);
    p = cursor_peek(c, total);
    if (p == NULL)
        return "central directory header runs past the directory";
    if (decode_central_header(p, h) != 0)
        return "bad ZIP64 extra field";
    *header_offset = c->buffer_offset + c->position - c->base_offset;
    c->position += total;
    return NULL;
}

#endif
