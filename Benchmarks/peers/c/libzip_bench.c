/*
 * libzip_bench: libzip on the same scenarios as zipbench. Each subcommand
 * prints one JSON line.
 *
 *   libzip_bench parse ARCHIVE [R]
 *       zip_open(ZIP_RDONLY): reads the central directory and builds
 *       libzip's name hash table. zip_discard is not timed.
 *   libzip_bench lookup ARCHIVE
 *       zip_name_locate(flags 0, the hashed path) of random existing names
 *       and of the same names with their middle byte's case bit flipped (kept
 *       only if absent), in batches of 1,024; median per lookup.
 *   libzip_bench inflate ARCHIVE NAME [R]
 *       zip_open + zip_fopen + zip_fread into a 256 KiB buffer to the end +
 *       zip_fclose; libzip checks the CRC-32 when the data ends.
 *   libzip_bench once ARCHIVE
 *       zip_open once and exit: for whole-process time and peak RSS. Prints
 *       {"entries", "onceNs"}, the time of that one zip_open.
 */
#include "../../floor/bench.h"

#include <string.h>
#include <zip.h>

#define QUERIES (1u << 16)
#define BATCH 1024u
#define BATCHES 2048u
#define CHUNK (256 * 1024)

typedef struct {
    const char *path, *name;
    zip_t *za;
    uint8_t *buffer;
    uint64_t bytes;
} context;

static zip_t *open_archive(const char *path) {
    int error = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &error);
    if (za == NULL) {
        zip_error_t e;
        zip_error_init_with_code(&e, error);
        fail(path, zip_error_strerror(&e));
    }
    return za;
}

static uint64_t parse_body(void *p) {
    context *c = p;
    c->za = open_archive(c->path);
    return (uint64_t)zip_get_num_entries(c->za, 0);
}

static void parse_cleanup(void *p) {
    context *c = p;
    zip_discard(c->za);
    c->za = NULL;
}

static int parse(const char *path, const char *repetitions) {
    context c = {path, NULL, NULL, NULL, 0};
    bench_stats s = bench_run(parse_body, parse_cleanup, &c, repetitions);
    uint64_t n = parse_body(&c);
    parse_cleanup(&c);
    printf("{\"entries\": %llu, \"runs\": %zu, \"medianNs\": %llu, \"minNs\": %llu, "
           "\"maxNs\": %llu, \"nsPerEntry\": %.2f}\n",
           (unsigned long long)n, s.runs, (unsigned long long)s.median_ns,
           (unsigned long long)s.min_ns, (unsigned long long)s.max_ns,
           n ? (double)s.median_ns / (double)n : 0.0);
    return 0;
}

static double time_lookups(zip_t *za, char **queries, int expect_hit) {
    uint64_t found = 0;
    for (size_t k = 0; k < QUERIES; k++) /* warm-up */
        found += zip_name_locate(za, queries[k], 0) >= 0;
    if (found != (expect_hit ? QUERIES : 0))
        fail("lookup", "lookup returned the wrong kind of result");
    static uint64_t samples[BATCHES];
    size_t k = 0;
    int64_t sink = 0;
    for (size_t b = 0; b < BATCHES; b++) {
        uint64_t start = now_ns();
        for (size_t i = 0; i < BATCH; i++, k = k + 1 == QUERIES ? 0 : k + 1)
            sink += zip_name_locate(za, queries[k], 0);
        samples[b] = now_ns() - start;
    }
    if (sink == INT64_MIN)
        puts("");
    return (double)median_of(samples, BATCHES) / BATCH;
}

static int lookup(const char *path) {
    zip_t *za = open_archive(path);
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n <= 0)
        fail(path, "archive has no entries to look up");
    char **hits = malloc(QUERIES * sizeof *hits), **misses = malloc(QUERIES * sizeof *misses);
    if (hits == NULL || misses == NULL)
        fail(path, "out of memory");
    for (size_t k = 0; k < QUERIES; k++)
        hits[k] = strdup(zip_get_name(za, (zip_uint64_t)(next_random() % (uint64_t)n), ZIP_FL_ENC_RAW));
    for (size_t k = 0, attempts = 0; k < QUERIES; attempts++) {
        if (attempts > 100 * (size_t)QUERIES)
            fail(path, "cannot make enough missing names");
        char *name = strdup(zip_get_name(za, (zip_uint64_t)(next_random() % (uint64_t)n), ZIP_FL_ENC_RAW));
        size_t length = strlen(name);
        if (length == 0) { free(name); continue; }
        name[length / 2] ^= 0x20;
        if (zip_name_locate(za, name, 0) >= 0) { free(name); continue; }
        misses[k++] = name;
    }
    double hit_ns = time_lookups(za, hits, 1);
    double miss_ns = time_lookups(za, misses, 0);
    printf("{\"entries\": %lld, \"hitNs\": %.2f, \"missNs\": %.2f}\n", (long long)n, hit_ns, miss_ns);
    zip_discard(za);
    return 0;
}

static uint64_t inflate_body(void *p) {
    context *c = p;
    zip_t *za = open_archive(c->path);
    zip_file_t *f = zip_fopen(za, c->name, 0);
    if (f == NULL)
        fail(c->name, zip_strerror(za));
    uint64_t total = 0;
    zip_int64_t got;
    while ((got = zip_fread(f, c->buffer, CHUNK)) > 0)
        total += (uint64_t)got;
    if (got < 0)
        fail(c->name, zip_file_strerror(f)); /* e.g. CRC error */
    if (zip_fclose(f) != 0)
        fail(c->name, "zip_fclose failed");
    zip_discard(za);
    c->bytes = total;
    return total;
}

static int inflate(const char *path, const char *name, const char *repetitions) {
    context c = {path, name, NULL, malloc(CHUNK), 0};
    if (c.buffer == NULL)
        fail(path, "out of memory");
    bench_stats s = bench_run(inflate_body, NULL, &c, repetitions);
    printf("{\"bytes\": %llu, \"runs\": %zu, \"medianNs\": %llu, \"minNs\": %llu, "
           "\"maxNs\": %llu, \"mbPerSec\": %.2f}\n",
           (unsigned long long)c.bytes, s.runs, (unsigned long long)s.median_ns,
           (unsigned long long)s.min_ns, (unsigned long long)s.max_ns,
           (double)c.bytes / 1e6 / ((double)s.median_ns / 1e9));
    free(c.buffer);
    return 0;
}

int main(int argc, char **argv) {
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "parse") == 0)
        return parse(argv[2], argc == 4 ? argv[3] : NULL);
    if (argc == 3 && strcmp(argv[1], "lookup") == 0)
        return lookup(argv[2]);
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "inflate") == 0)
        return inflate(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
    if (argc == 3 && strcmp(argv[1], "once") == 0) {
        uint64_t start = now_ns();
        zip_t *za = open_archive(argv[2]);
        uint64_t elapsed = now_ns() - start;
        printf("{\"entries\": %lld, \"onceNs\": %llu}\n", (long long)zip_get_num_entries(za, 0),
               (unsigned long long)elapsed);
        zip_discard(za);
        return 0;
    }
    fprintf(stderr, "usage: %s parse ARCHIVE [R] | lookup ARCHIVE | inflate ARCHIVE NAME [R] | once ARCHIVE\n",
            argv[0]);
    return 2;
}
