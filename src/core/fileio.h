/*
 * fileio.h — writing a file whole: every byte or an error, whatever write(2)
 * does with signals and short writes.
 */
#ifndef RP_FILEIO_H
#define RP_FILEIO_H

#include <stddef.h>

/* Write n bytes of p to fd, again after EINTR and short writes; 0, or -1
 * with errno set (a write of 0 bytes sets EIO). */
int rp_write_full(int fd, const void *p, size_t n);

#endif
