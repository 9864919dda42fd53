/* zip_io.c: see zip_io.h. */
#define _GNU_SOURCE
#include "zip_io.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int read_exactly(int fd, void *buffer, size_t length, uint64_t offset) {
    uint8_t *p = buffer;
    while (length > 0) {
        ssize_t n = pread(fd, p, length, (off_t)offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0) {
            errno = 0; /* unexpected end of file */
            return -1;
        }
        p += n;
        length -= (size_t)n;
        offset += (uint64_t)n;
    }
    return 0;
}

int open_archive(const char *path, uint64_t *size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    *size = (uint64_t)st.st_size;
    return fd;
}
