/*
 * zip_io.h: positional reads that either deliver every byte asked for or
 * fail. pread(2) may return short counts and EINTR; callers should never
 * have to care.
 */
#ifndef ZIP_IO_H
#define ZIP_IO_H

#include <stddef.h>
#include <stdint.h>

/* Reads exactly `length` bytes at `offset`, retrying on EINTR and short
 * reads. Returns 0, or -1 on error or end of file (errno set, or 0 at EOF). */
int read_exactly(int fd, void *buffer, size_t length, uint64_t offset);

/* Opens `path` read-only and stores its size. Returns the descriptor or -1. */
int open_archive(const char *path, uint64_t *size);

#endif
