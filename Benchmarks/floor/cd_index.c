/*
 * cd_index: the floor for "open an archive and make it ready for lookups".
 *
 *   cd_index [--fresh-pages] ARCHIVE [REPETITIONS]
 *       Each repetition opens the file, walks the central directory as
 *       cd_walk does, and builds a file_table (40-byte records, one name
 *       arena, hash index over names; see file_table.h). Freeing the table
 *       happens outside the timed region. Prints {"entries", "runs",
 *       "medianNs", "minNs", "maxNs", "nsPerEntry", "tableBytes",
 *       "bytesPerEntry", "nameBytes", "freshPages"}; table bytes exclude
 *       the name arena.
 *
 *       By default malloc keeps freed memory mapped, so repetitions after
 *       the first reuse pages that are already faulted in: the floor. With
 *       --fresh-pages every allocation above 128 KiB gets new pages from
 *       mmap, so each repetition pays the page faults a one-shot open pays.
 *       (glibc's default sits unpredictably between the two: whether it
 *       trims the heap depends on allocation history.)
 *
 *   cd_index lookup ARCHIVE
 *       Builds the table once, then times lookups of random existing names
 *       and of random missing names (an existing name with one byte
 *       changed, so it shares the prefix a real near-miss would). Queries
 *       live in their own buffer, as a caller's strings would. Lookups run
 *       in batches of LOOKUP_BATCH; prints the median batch time per lookup
 *       as {"hitNs", "missNs"}. The lookups in a batch are independent, so
 *       the CPU may overlap their cache misses.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "central_directory.h"
#include "file_table.h"

#define LOOKUP_QUERIES (1u << 19)
#define LOOKUP_BATCH 1024u
#define LOOKUP_BATCHES 2048u

typedef struct {
    const char *path;
    uint8_t *buffer; /* CENTRAL_DIRECTORY_CHUNK bytes */
    file_table table;
} build_context;

static uint64_t build(void *context) {
    build_context *b = context;
    const char *error = file_table_build(&b->table, b->path, b->buffer);
    if (error != NULL)
        fail(b->path, error);
    return b->table.count ^ (b->table.names_length << 32);
}

static void release(void *context) {
    file_table_free(&((build_context *)context)->table);
}

/* Every name must find its own entry, or a later entry with the same name. */
static void check_table(const file_table *t, const char *path) {
    for (uint32_t i = 0; i < t->count; i++) {
        size_t length;
        const uint8_t *name = file_table_name(t, i, &length);
        int64_t found = file_table_find(t, name, length);
        size_t found_length;
        const uint8_t *found_name =
            found < 0 ? NULL : file_table_name(t, (uint32_t)found, &found_length);
        if (found < (int64_t)i || found_length != length || memcmp(found_name, name, length))
            fail(path, "lookup of an existing name failed");
    }
}

/* ---- lookup mode ------------------------------------------------------ */

typedef struct {
    uint8_t *bytes;
    uint64_t *starts; /* query k is bytes[starts[k] ..< starts[k + 1]] */
    size_t count;
} query_set;

static uint64_t random_state = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void) { /* xorshift64* */
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    return random_state * 0x2545f4914f6cdd1dull;
}

/* LOOKUP_QUERIES names drawn at random from the table; with `missing`, each
 * has its middle byte's case bit flipped and is kept only if absent. */
static query_set make_queries(const file_table *t, int missing, const char *path) {
    query_set q;
    q.count = LOOKUP_QUERIES;
    q.starts = malloc((q.count + 1) * sizeof *q.starts);
    size_t capacity = 1 << 20, used = 0;
    q.bytes = malloc(capacity);
    if (q.starts == NULL || q.bytes == NULL)
        fail(path, "out of memory");
    for (size_t k = 0, attempts = 0; k < q.count; attempts++) {
        if (attempts > 100 * (uint64_t)q.count)
            fail(path, "cannot make enough missing names");
        size_t length;
        const uint8_t *name = file_table_name(t, (uint32_t)(next_random() % t->count), &length);
        if (missing && length == 0)
            continue;
        while (used + length > capacity) {
            capacity *= 2;
            if ((q.bytes = realloc(q.bytes, capacity)) == NULL)
                fail(path, "out of memory");
        }
        uint8_t *copy = q.bytes + used;
        memcpy(copy, name, length);
        if (missing) {
            copy[length / 2] ^= 0x20;
            if (file_table_find(t, copy, length) >= 0)
                continue;
        }
        q.starts[k++] = used;
        used += length;
    }
    q.starts[q.count] = used;
    return q;
}

/* Median over LOOKUP_BATCHES batches of the time per lookup, in ns. */
static double time_lookups(const file_table *t, const query_set *q, int expect_hit,
                           const char *path) {
    uint64_t samples[LOOKUP_BATCHES];
    uint64_t found = 0;
    for (size_t k = 0; k < q->count; k++) /* warm-up pass */
        found += file_table_find(t, q->bytes + q->starts[k],
                                 q->starts[k + 1] - q->starts[k]) >= 0;
    if (found != (expect_hit ? q->count : 0))
        fail(path, "lookup returned the wrong kind of result");

    size_t k = 0;
    int64_t sink = 0;
    for (size_t b = 0; b < LOOKUP_BATCHES; b++) {
        uint64_t start = now_ns();
        for (size_t i = 0; i < LOOKUP_BATCH; i++, k = k + 1 == q->count ? 0 : k + 1)
            sink += file_table_find(t, q->bytes + q->starts[k],
                                    q->starts[k + 1] - q->starts[k]);
        samples[b] = now_ns() - start;
    }
    if (sink == INT64_MIN) /* never true; keeps the results observable */
        puts("");
    return (double)median_of(samples, LOOKUP_BATCHES) / LOOKUP_BATCH;
}

static int lookup_mode(const char *path) {
    build_context b = {path, malloc(CENTRAL_DIRECTORY_CHUNK), {0}};
    if (b.buffer == NULL)
        fail(path, "out of memory");
    build(&b);
    if (b.table.count == 0)
        fail(path, "archive has no entries to look up");
    check_table(&b.table, path);
    query_set hits = make_queries(&b.table, 0, path);
    query_set misses = make_queries(&b.table, 1, path);
    double hit_ns = time_lookups(&b.table, &hits, 1, path);
    double miss_ns = time_lookups(&b.table, &misses, 0, path);
    printf("{\"entries\": %u, \"queries\": %zu, \"batch\": %u, \"batches\": %u, "
           "\"hitNs\": %.2f, \"missNs\": %.2f}\n",
           b.table.count, hits.count, LOOKUP_BATCH, LOOKUP_BATCHES, hit_ns, miss_ns);
    free(hits.bytes); free(hits.starts);
    free(misses.bytes); free(misses.starts);
    release(&b);
    free(b.buffer);
    return 0;
}

/* ---- build mode ------------------------------------------------------- */

/* Makes glibc's malloc either keep freed memory (all allocations from the
 * heap, which is never trimmed) or return it (fixed 128 KiB mmap threshold). */
static void set_page_policy(int fresh_pages) {
    if (fresh_pages) {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    } else {
        mallopt(M_MMAP_MAX, 0);
        mallopt(M_TRIM_THRESHOLD, -1); /* -1 converts to the largest size_t */
    }
}

static int build_mode(const char *path, const char *repetitions, int fresh_pages) {
    set_page_policy(fresh_pages);
    build_context b = {path, malloc(CENTRAL_DIRECTORY_CHUNK), {0}};
    if (b.buffer == NULL)
        fail(path, "out of memory");
    bench_stats s = bench_run(build, release, &b, repetitions);

    build(&b); /* once more, untimed, to check it and measure it */
    check_table(&b.table, path);
    uint32_t n = b.table.count;
    size_t table_bytes = file_table_bytes(&b.table);
    printf("{\"entries\": %u, \"runs\": %zu, \"medianNs\": %llu, \"minNs\": %llu, "
           "\"maxNs\": %llu, \"nsPerEntry\": %.2f, \"tableBytes\": %zu, "
           "\"bytesPerEntry\": %.2f, \"nameBytes\": %llu, \"freshPages\": %s}\n",
           n, s.runs, (unsigned long long)s.median_ns, (unsigned long long)s.min_ns,
           (unsigned long long)s.max_ns, n ? (double)s.median_ns / n : 0.0,
           table_bytes, n ? (double)table_bytes / n : 0.0,
           (unsigned long long)b.table.names_length, fresh_pages ? "true" : "false");
    release(&b);
    free(b.buffer);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "lookup") == 0)
        return lookup_mode(argv[2]);
    int fresh_pages = argc > 1 && strcmp(argv[1], "--fresh-pages") == 0;
    argv += fresh_pages;
    argc -= fresh_pages;
    if (argc == 2 || argc == 3)
        return build_mode(argv[1], argc > 2 ? argv[2] : NULL, fresh_pages);
    fprintf(stderr, "usage: %s [--fresh-pages] ARCHIVE [REPETITIONS]\n"
                    "       %s lookup ARCHIVE\n", argv[0], argv[0]);
    return 2;
}
