/*
 * bench.h: the timing shared by the C programs (the floor, the libzip peer,
 * proctime). bench_run runs the operation once to warm the page cache and
 * CPU caches, times a second run to pick the repetition count, then times
 * every repetition with CLOCK_MONOTONIC: median, min, max. Without an
 * explicit count, repetitions fill BENCH_TARGET_MS (environment, default
 * 1500 ms), at least 5 and at most 100,000. With an explicit count and
 * BENCH_SKIP_WARMUP set, neither the warm-up nor the sizing run happens.
 */
#ifndef BENCH_H
#define BENCH_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    size_t runs;
    uint64_t median_ns, min_ns, max_ns;
    uint64_t checksum; /* what every run of the body returned */
} bench_stats;

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline _Noreturn void fail(const char *context, const char *message) {
    fprintf(stderr, "%s: %s\n", context, message);
    exit(1);
}

static inline int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts `samples` in place and returns their median. */
static inline uint64_t median_of(uint64_t *samples, size_t count) {
    qsort(samples, count, sizeof *samples, compare_u64);
    return count % 2 ? samples[count / 2]
                     : (samples[count / 2 - 1] + samples[count / 2]) / 2;
}

static inline size_t bench_runs(const char *arg, uint64_t one_run_ns) {
    if (arg != NULL) {
        char *end;
        unsigned long runs = strtoul(arg, &end, 10);
        if (*arg == '\0' || *end != '\0' || runs == 0 || runs > 100000)
            fail(arg, "repetitions must be an integer in 1...100000");
        return runs;
    }
    uint64_t target = 1500000000ull;
    const char *env = getenv("BENCH_TARGET_MS");
    if (env != NULL && atol(env) > 0)
        target = (uint64_t)atol(env) * 1000000ull;
    uint64_t runs = target / (one_run_ns ? one_run_ns : 1);
    return runs < 5 ? 5 : runs > 100000 ? 100000 : (size_t)runs;
}

/* Times body(context), which returns a checksum of its work (two runs that
 * disagree fail); cleanup (may be NULL) runs after each run, untimed.
 * `repetitions` is the argv string, or NULL. */
static inline bench_stats bench_run(uint64_t (*body)(void *), void (*cleanup)(void *),
                                    void *context, const char *repetitions) {
    bench_stats s = {0};
    uint64_t one = 0, start, checksum;
    int skip = repetitions != NULL && getenv("BENCH_SKIP_WARMUP") != NULL;
    if (!skip) {
        s.checksum = body(context); /* warm-up */
        if (cleanup) cleanup(context);
        start = now_ns();
        checksum = body(context);
        one = now_ns() - start;
        if (cleanup) cleanup(context);
        if (checksum != s.checksum)
            fail("bench", "the measured operation is not deterministic");
    }
    s.runs = bench_runs(repetitions, one);
    uint64_t *samples = malloc(s.runs * sizeof *samples);
    if (samples == NULL)
        fail("bench", "out of memory");
    for (size_t r = 0; r < s.runs; r++) {
        start = now_ns();
        checksum = body(context);
        samples[r] = now_ns() - start;
        if (cleanup) cleanup(context);
        if (skip && r == 0) s.checksum = checksum;
        if (checksum != s.checksum)
            fail("bench", "the measured operation is not deterministic");
    }
    s.median_ns = median_of(samples, s.runs); /* sorts */
    s.min_ns = samples[0];
    s.max_ns = samples[s.runs - 1];
    free(samples);
    return s;
}

/* xorshift64*: the generator of every lookup scenario's random names. */
static uint64_t random_state = 0x9e3779b97f4a7c15ull;
static inline uint64_t next_random(void) {
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    return random_state * 0x2545f4914f6cdd1dull;
}

#endif
