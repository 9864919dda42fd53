/* bench.c: see bench.h. */
#define _GNU_SOURCE
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static size_t choose_repetitions(const char *arg, uint64_t one_run_ns) {
    if (arg != NULL) {
        char *end;
        unsigned long runs = strtoul(arg, &end, 10);
        if (*arg == '\0' || *end != '\0' || runs == 0 || runs > BENCH_MAX_RUNS)
            fail(arg, "repetitions must be an integer in 1...100000");
        return runs;
    }
    uint64_t runs = BENCH_TARGET_NS / (one_run_ns ? one_run_ns : 1);
    if (runs < BENCH_MIN_RUNS) runs = BENCH_MIN_RUNS;
    if (runs > BENCH_MAX_RUNS) runs = BENCH_MAX_RUNS;
    return (size_t)runs;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

uint64_t median_of(uint64_t *samples, size_t count) {
    qsort(samples, count, sizeof *samples, compare_u64);
    return count % 2 ? samples[count / 2]
                     : (samples[count / 2 - 1] + samples[count / 2]) / 2;
}

bench_stats bench_run(bench_body body, bench_cleanup cleanup, void *context,
                      const char *repetitions) {
    bench_stats s;
    s.checksum = body(context); /* warm-up */
    if (cleanup) cleanup(context);
    uint64_t start = now_ns();
    uint64_t checksum = body(context);
    uint64_t elapsed = now_ns() - start;
    if (cleanup) cleanup(context);
    if (checksum != s.checksum)
        fail("bench", "the measured operation is not deterministic");
    s.runs = choose_repetitions(repetitions, elapsed);

    uint64_t *samples = malloc(s.runs * sizeof *samples);
    if (samples == NULL)
        fail("bench", "out of memory");
    for (size_t r = 0; r < s.runs; r++) {
        start = now_ns();
        checksum = body(context);
        samples[r] = now_ns() - start;
        if (cleanup) cleanup(context);
        if (checksum != s.checksum)
            fail("bench", "the measured operation is not deterministic");
    }
    s.median_ns = median_of(samples, s.runs); /* sorts */
    s.min_ns = samples[0];
    s.max_ns = samples[s.runs - 1];
    free(samples);
    return s;
}

void fail(const char *context, const char *message) {
    fprintf(stderr, "%s: %s\n", context, message);
    exit(1);
}
