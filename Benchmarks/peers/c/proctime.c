/*
 * proctime: whole-process wall time and peak RSS of a command.
 *
 *   proctime [--no-warmup] [--capture] RUNS COMMAND [ARG...]
 *
 * Runs COMMAND once untimed (page cache, dynamic loader; not with
 * --no-warmup), then RUNS times, stdin from /dev/null and stdout to
 * /dev/null (stderr kept), timing spawn to exit with CLOCK_MONOTONIC. Peak
 * RSS is ru_maxrss from wait4 ("Maximum resident set size" of
 * /usr/bin/time -v). Prints {"runs", "medianNs", "minNs", "maxNs",
 * "maxRssKb"} (medians: the upper middle of an even count). With --capture,
 * stdout goes to a file instead and the last JSON line of the last run is
 * added as "child". Fails if a run exits non-zero.
 */
#include "../../floor/bench.h"

#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static const char *output = "/dev/null";

static uint64_t run_once(char **argv, long *max_rss_kb) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_TRUNC, 0);
    uint64_t start = now_ns();
    pid_t pid;
    if (posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ) != 0)
        fail(argv[0], "cannot start");
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) != pid)
        fail(argv[0], "wait4 failed");
    uint64_t elapsed = now_ns() - start;
    posix_spawn_file_actions_destroy(&actions);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "proctime: %s exited with status %d\n", argv[0],
                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        exit(3);
    }
    *max_rss_kb = usage.ru_maxrss;
    return elapsed;
}

static uint64_t upper_median(uint64_t *samples, size_t count) {
    qsort(samples, count, sizeof *samples, compare_u64);
    return samples[count / 2];
}

int main(int argc, char **argv) {
    int warmup = 1, capture = 0;
    for (; argc > 1; argv++, argc--) {
        if (strcmp(argv[1], "--no-warmup") == 0) warmup = 0;
        else if (strcmp(argv[1], "--capture") == 0) capture = 1;
        else break;
    }
    static char captured[] = "/tmp/proctime.XXXXXX";
    if (capture) {
        int fd = mkstemp(captured);
        if (fd < 0) fail("proctime", "cannot make a temporary file");
        close(fd);
        output = captured;
    }
    if (argc < 3 || atoi(argv[1]) < 1) {
        fprintf(stderr, "usage: proctime [--no-warmup] [--capture] RUNS COMMAND [ARG...]\n");
        return 2;
    }
    size_t runs = (size_t)atoi(argv[1]);
    uint64_t *samples = malloc(runs * sizeof *samples), *rss = malloc(runs * sizeof *rss);
    long kb;
    if (warmup)
        run_once(argv + 2, &kb);
    for (size_t r = 0; r < runs; r++) {
        samples[r] = run_once(argv + 2, &kb);
        rss[r] = (uint64_t)kb;
    }
    uint64_t median = upper_median(samples, runs);
    printf("{\"runs\": %zu, \"medianNs\": %llu, \"minNs\": %llu, \"maxNs\": %llu, \"maxRssKb\": %llu",
           runs, (unsigned long long)median, (unsigned long long)samples[0],
           (unsigned long long)samples[runs - 1], (unsigned long long)upper_median(rss, runs));
    if (capture) {
        FILE *f = fopen(captured, "r");
        char line[4096], last[4096] = "";
        while (f != NULL && fgets(line, sizeof line, f) != NULL)
            if (line[0] == '{') {
                line[strcspn(line, "\n")] = '\0';
                strcpy(last, line);
            }
        if (f != NULL) fclose(f);
        unlink(captured);
        if (last[0] != '\0') printf(", \"child\": %s", last);
    }
    printf("}\n");
    return 0;
}
