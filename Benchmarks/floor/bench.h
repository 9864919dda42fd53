/*
 * bench.h: timing for the floor programs. bench_run runs an operation once
 * to warm the page cache and CPU caches, times a second run to pick the
 * repetition count, times every repetition with CLOCK_MONOTONIC, and
 * reports median, min and max.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Target total time when the repetition count is not given. */
#define BENCH_TARGET_NS 1500000000ull
#define BENCH_MIN_RUNS 5
#define BENCH_MAX_RUNS 100000

typedef struct {
    size_t runs;
    uint64_t median_ns;
    uint64_t min_ns;
    uint64_t max_ns;
    uint64_t checksum; /* what every run of the body returned */
} bench_stats;

/* One repetition of the measured operation. It returns a checksum of its
 * work; bench_run fails if two runs disagree. */
typedef uint64_t (*bench_body)(void *context);

/* Undoes a run's side effects (frees what it built); untimed. May be NULL. */
typedef void (*bench_cleanup)(void *context);

/* Times `body`; `cleanup` runs after each run, outside the timed region.
 * `repetitions` is the argv string (NULL: enough runs to fill
 * BENCH_TARGET_NS, clamped to [BENCH_MIN_RUNS, BENCH_MAX_RUNS]). */
bench_stats bench_run(bench_body body, bench_cleanup cleanup, void *context,
                      const char *repetitions);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t now_ns(void);

/* Sorts `samples` in place and returns their median. */
uint64_t median_of(uint64_t *samples, size_t count);

/* Prints a message to stderr and exits with status 1. */
_Noreturn void fail(const char *context, const char *message);

#endif
