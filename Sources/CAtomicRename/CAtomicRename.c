// The glibc wrappers of renameat2 and its flags are declared only under _GNU_SOURCE, which the
// Swift Glibc module is not built with, so two one-line wrappers live here in C.
#define _GNU_SOURCE
#include "CAtomicRename.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int sgk_rename_no_replace(const char *from, const char *to) {
#if defined(__APPLE__)
    return renamex_np(from, to, RENAME_EXCL);
#else
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
#endif
}

int sgk_rename_exchange(const char *a, const char *b) {
#if defined(__APPLE__)
    return renamex_np(a, b, RENAME_SWAP);
#else
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#endif
}

int sgk_sync_path(const char *path) {
    int descriptor = open(path, O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return -1;
    int result = fsync(descriptor);
    int saved = errno;
    close(descriptor);
    errno = saved;
    return result;
}
