/* fileio.c — see fileio.h */
#include "core/fileio.h"

#include <errno.h>
#include <unistd.h>

int rp_write_full(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0) {
            errno = EIO;
            return -1;
        }
        c += k, n -= (size_t)k;
    }
    return 0;
}
