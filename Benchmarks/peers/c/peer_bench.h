/*
 * peer_bench.h: timing shared by the C peers (header-only). Like the C
 * floor's bench.c: one warm-up run, one run to size the repetition count,
 * then every repetition timed with CLOCK_MONOTONIC; median, min, max.
 * Without an explicit count, repetitions fill BENCH_TARGET_MS (environment,
 * default 1500 ms), at least 5 and at most 100,000. With an explicit count
 * and BENCH_SKIP_WARMUP set, neither the warm-up nor the sizing run happens.
 */
#ifndef PEER_BENCH_H
#define PEER_BENCH_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    size_t runs;
    uint64_t median_ns, min_ns, max_ns;
} peer_stats;

static inline uint64_t peer_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline _Noreturn void peer_fail(const char *context, const char *message) {
    fprintf(stderr, "%s: %s\n", context, message);
    exit(1);
}

static inline int peer_compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static inline uint64_t peer_median(uint64_t *samples, size_t count) {
    qsort(samples, count, sizeof *samples, peer_compare_u64);
    return samples[count / 2];
}

static inline size_t peer_runs(const char *arg, uint64_t one_run_ns) {
    if (arg != NULL) {
        char *end;
        unsigned long runs = strtoul(arg, &end, 10);
        if (*arg == '\0' || *end != '\0' || runs == 0 || runs > 100000)
            peer_fail(arg, "repetitions must be an integer in 1...100000");
        return runs;
    }
    uint64_t target = 1500000000ull;
    const char *env = getenv("BENCH_TARGET_MS");
    if (env != NULL && atol(env) > 0)
        target = (uint64_t)atol(env) * 1000000ull;
    uint64_t runs = target / (one_run_ns ? one_run_ns : 1);
    if (runs < 5) runs = 5;
    if (runs > 100000) runs = 100000;
    return (size_t)runs;
}

/* body returns a checksum; cleanup (may be NULL) runs untimed after each run. */
static inline peer_stats peer_run(uint64_t (*body)(void *), void (*cleanup)(void *),
                                  void *context, const char *repetitions) {
    peer_stats s;
    uint64_t expected = 0, one = 0, start;
    int skip = repetitions != NULL && getenv("BENCH_SKIP_WARMUP") != NULL;
    if (!skip) {
        expected = body(context);
        if (cleanup) cleanup(context);
        start = peer_now_ns();
        body(context);
        one = peer_now_ns() - start;
        if (cleanup) cleanup(context);
    }
    s.runs = peer_runs(repetitions, one);
    uint64_t *samples = malloc(s.runs * sizeof *samples);
    if (samples == NULL) peer_fail("bench", "out of memory");
    for (size_t r = 0; r < s.runs; r++) {
        start = peer_now_ns();
        uint64_t checksum = body(context);
        samples[r] = peer_now_ns() - start;
        if (cleanup) cleanup(context);
        if (skip && r == 0) expected = checksum;
        if (checksum != expected) peer_fail("bench", "the measured operation is not deterministic");
    }
    s.median_ns = peer_median(samples, s.runs);
    s.min_ns = samples[0];
    s.max_ns = samples[s.runs - 1];
    free(samples);
    return s;
}

/* xorshift64*, the generator of the C floor's lookup mode. */
static uint64_t peer_random_state = 0x9e3779b97f4a7c15ull;
static inline uint64_t peer_random(void) {
    peer_random_state ^= peer_random_state >> 12;
    peer_random_state ^= peer_random_state << 25;
    peer_random_state ^= peer_random_state >> 27;
    return peer_random_state * 0x2545f4914f6cdd1dull;
}

#endif
