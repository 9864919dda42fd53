/*
 * inflate: the floor for reading one member's content.
 *
 *   inflate ARCHIVE NAME [REPETITIONS]
 *   inflate_isal ARCHIVE NAME [REPETITIONS]      (this file with -DFLOOR_ISAL)
 *
 * Each repetition opens the file, finds NAME by walking the central
 * directory, preads and checks the local header, then preads the compressed
 * data in 256 KiB chunks, inflates it (raw deflate, inflateInit2 with -15
 * window bits) into a 256 KiB output buffer, and runs CRC-32 over the
 * output. The size and CRC must match the central directory. Stored
 * members are read the same way, without inflating. Buffers are allocated
 * once, outside the timed region; the zlib stream is set up per repetition.
 *
 * Built with -DFLOOR_ISAL (inflate_isal, when libisal is installed), the
 * same loop decodes with ISA-L instead of zlib: isal_inflate_init with
 * crc_flag ISAL_DEFLATE (raw deflate) per repetition, isal_inflate into the
 * same 256 KiB buffer until block_state is ISAL_BLOCK_FINISH, and CRC-32 with
 * crc32_gzip_refl. Everything else is the same code.
 *
 * Prints {"bytes", "compressedBytes", "crc32", "runs", "medianNs",
 * "mbPerSec"}, with the CRC-32 as 8 hex digits (checked against the
 * directory) and throughput in uncompressed MB (10^6 bytes) per second.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef FLOOR_ISAL
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
/* struct inflate_state has next_in, avail_in, next_out and avail_out, as
 * z_stream does, so the loop below reads the same for both. */
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

#include "bench.h"
#include "central_directory.h"
#include "zip_io.h"

#define DATA_CHUNK (256 * 1024)

typedef struct {
    const char *path;
    const char *name;
    uint8_t *directory_buffer; /* CENTRAL_DIRECTORY_CHUNK bytes */
    uint8_t *in;               /* DATA_CHUNK bytes of compressed data */
    uint8_t *out;              /* DATA_CHUNK bytes of output */
    decoder *decoder;          /* zlib's z_stream or ISA-L's state (about 90 KiB) */
    uint64_t bytes, compressed_bytes;
} inflate_context;

/* Walks the whole central directory for `name`; like the index, the last
 * entry with that name wins. */
static const char *find_entry(int fd, const central_directory *cd, uint8_t *buffer,
                              const char *name, central_directory_header *found) {
    size_t length = strlen(name);
    int matched = 0;
    central_directory_cursor cursor;
    cursor_init(&cursor, fd, cd, buffer);
    for (uint64_t i = 0; i < cd->entry_count; i++) {
        central_directory_header h;
        uint64_t header_offset;
        const char *error = read_central_header(&cursor, &h, &header_offset);
        if (error != NULL)
            return error;
        if (h.name_length == length && memcmp(h.name, name, length) == 0) {
            *found = h;
            found->name = NULL; /* pointed into the cursor's buffer */
            matched = 1;
        }
    }
    return matched ? NULL : "no entry with that name";
}

/* File offset of the entry's data, after its local header (APPNOTE 4.3.7). */
static const char *locate_data(int fd, uint64_t file_size, const central_directory *cd,
                               const central_directory_header *h, uint64_t *offset) {
    uint8_t header[LOCAL_FILE_HEADER_LENGTH];
    uint64_t local = h->local_header_offset + cd->base_offset;
    if (read_exactly(fd, header, sizeof header, local) != 0 ||
        load32(header) != LOCAL_FILE_HEADER_SIGNATURE)
        return "bad local file header";
    *offset = local + LOCAL_FILE_HEADER_LENGTH + load16(header + 26) + load16(header + 28);
    if (*offset > file_size || h->compressed_size > file_size - *offset)
        return "entry data runs past the end of the file";
    return NULL;
}

/* Streams the member's data through the decoder (or straight through when
 * stored) and returns the CRC-32 of the output; `produced` gets its length. */
static const char *read_data(int fd, uint64_t offset, const central_directory_header *h,
                             inflate_context *c, uint32_t *crc, uint64_t *produced) {
    decoder *z = c->decoder;
    int deflated = h->method == METHOD_DEFLATED;
    if (!deflated && h->method != METHOD_STORED)
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
    /* Both decoders can hold the last input bytes in their bit buffers with
     * output still to write, so the input only runs out too early when a
     * call made no progress with none left to give. */
    int progressed = 0;
    for (int done = 0; !done && error == NULL;) {
        if (z->avail_in == 0) {
            size_t n = remaining < DATA_CHUNK ? (size_t)remaining : DATA_CHUNK;
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
        z->avail_out = DATA_CHUNK;
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
        size_t n = DATA_CHUNK - z->avail_out;
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
    uint64_t file_size;
    int fd = open_archive(c->path, &file_size);
    if (fd < 0)
        fail(c->path, strerror(errno));
    central_directory cd;
    central_directory_header h = {0};
    uint64_t offset = 0, produced = 0;
    uint32_t crc = 0;
    const char *error = locate_central_directory(fd, file_size, &cd);
    if (error == NULL)
        error = find_entry(fd, &cd, c->directory_buffer, c->name, &h);
    if (error == NULL)
        error = locate_data(fd, file_size, &cd, &h, &offset);
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

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s ARCHIVE NAME [REPETITIONS]\n", argv[0]);
        return 2;
    }
    inflate_context c = {argv[1], argv[2], malloc(CENTRAL_DIRECTORY_CHUNK),
                         malloc(DATA_CHUNK), malloc(DATA_CHUNK), malloc(sizeof(decoder)), 0, 0};
    if (!c.directory_buffer || !c.in || !c.out || !c.decoder)
        fail(c.path, "out of memory");
    bench_stats s = bench_run(open_and_inflate, NULL, &c, argc > 3 ? argv[3] : NULL);
    printf("{\"bytes\": %llu, \"compressedBytes\": %llu, \"crc32\": \"%08x\", \"runs\": %zu, "
           "\"medianNs\": %llu, \"mbPerSec\": %.1f}\n",
           (unsigned long long)c.bytes, (unsigned long long)c.compressed_bytes,
           (unsigned)s.checksum, s.runs,
           (unsigned long long)s.median_ns,
           s.median_ns ? (double)c.bytes * 1e3 / (double)s.median_ns : 0.0);
    free(c.directory_buffer);
    free(c.in);
    free(c.out);
    free(c.decoder);
    return 0;
}
