/*
 * floor_once: the C table-and-index floor as a whole process, for the
 * whole-process comparisons (zipls, unzip -Z1) and the peak-RSS baseline.
 *
 *   floor_once ARCHIVE          build the floor's file_table once (open, walk
 *                               the central directory, 40-byte records, name
 *                               arena, hash index: ../../floor/file_table.h)
 *                               and exit. Prints {"entries", "onceNs"} (the
 *                               build's own time).
 *   floor_once --list ARCHIVE   the same, then write every name and a newline
 *                               to stdout through a 64 KiB buffer: the least
 *                               a process that lists an archive must do.
 *
 * Built from the floor's own sources (read, not changed) by compare.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../floor/bench.h"
#include "../../floor/central_directory.h"
#include "../../floor/file_table.h"

static void write_all(const uint8_t *bytes, size_t length) {
    while (length > 0) {
        ssize_t wrote = write(1, bytes, length);
        if (wrote <= 0) {
            perror("floor_once: write");
            exit(2);
        }
        bytes += wrote;
        length -= (size_t)wrote;
    }
}

int main(int argc, char **argv) {
    int list = argc == 3 && strcmp(argv[1], "--list") == 0;
    if (argc != 2 + list) {
        fprintf(stderr, "usage: floor_once [--list] ARCHIVE\n");
        return 2;
    }
    const char *path = argv[1 + list];
    uint8_t *buffer = malloc(CENTRAL_DIRECTORY_CHUNK);
    file_table table;
    uint64_t start = now_ns();
    const char *error = buffer ? file_table_build(&table, path, buffer) : "out of memory";
    uint64_t elapsed = now_ns() - start;
    if (error != NULL) {
        fprintf(stderr, "floor_once: %s: %s\n", path, error);
        return 2;
    }
    if (!list) {
        printf("{\"entries\": %u, \"onceNs\": %llu}\n", table.count, (unsigned long long)elapsed);
        return 0;
    }
    static uint8_t out[64 * 1024];
    size_t used = 0;
    for (uint32_t i = 0; i < table.count; i++) {
        size_t length;
        const uint8_t *name = file_table_name(&table, i, &length);
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
