/*
 * cd_walk: the floor for "open an archive and visit every entry".
 *
 *   cd_walk ARCHIVE [REPETITIONS]
 *
 * Each repetition opens the file, preads its tail, finds the end records
 * (following ZIP64), preads the central directory in 256 KiB chunks and
 * decodes every 46-byte header: sizes, CRC, offset, lengths, attributes,
 * with the ZIP64 extra applied where a field is saturated. Names are not
 * touched. Nothing is kept, so this is the cost any reader pays before it
 * can build anything. The chunk buffer is allocated once, outside the timed
 * region.
 *
 * Prints {"entries", "runs", "medianNs", "minNs", "maxNs", "nsPerEntry"}.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "central_directory.h"
#include "zip_io.h"

typedef struct {
    const char *path;
    uint8_t *buffer;  /* CENTRAL_DIRECTORY_CHUNK bytes */
    uint64_t entries; /* set by each walk */
} walk_context;

/* One repetition: open, locate, walk, close. Returns a checksum of the
 * decoded fields so the compiler cannot drop the decoding. */
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

    central_directory_cursor cursor;
    cursor_init(&cursor, fd, &cd, w->buffer);
    uint64_t checksum = 0;
    for (uint64_t i = 0; i < cd.entry_count; i++) {
        central_directory_header h;
        uint64_t header_offset;
        error = read_central_header(&cursor, &h, &header_offset);
        if (error != NULL)
            fail(w->path, error);
        checksum += h.compressed_size ^ h.uncompressed_size ^ h.crc32 ^
                    (h.local_header_offset + cd.base_offset) ^ header_offset ^
                    h.name_length ^ ((uint64_t)h.method << 16) ^
                    ((uint64_t)h.flags << 32) ^ h.external_attrs ^
                    ((uint64_t)h.dos_date << 48) ^ h.dos_time;
    }
    if (!cursor_at_end(&cursor))
        fail(w->path, "central directory continues past the declared entry count");
    close(fd);
    w->entries = cd.entry_count;
    return checksum;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s ARCHIVE [REPETITIONS]\n", argv[0]);
        return 2;
    }
    walk_context w = {argv[1], malloc(CENTRAL_DIRECTORY_CHUNK), 0};
    if (w.buffer == NULL)
        fail(w.path, "out of memory");
    bench_stats s = bench_run(open_and_walk, NULL, &w, argc > 2 ? argv[2] : NULL);
    printf("{\"entries\": %llu, \"runs\": %zu, \"medianNs\": %llu, \"minNs\": %llu, "
           "\"maxNs\": %llu, \"nsPerEntry\": %.2f}\n",
           (unsigned long long)w.entries, s.runs, (unsigned long long)s.median_ns,
           (unsigned long long)s.min_ns, (unsigned long long)s.max_ns,
           w.entries ? (double)s.median_ns / (double)w.entries : 0.0);
    free(w.buffer);
    return 0;
}
