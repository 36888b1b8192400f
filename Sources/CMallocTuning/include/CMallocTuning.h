#ifndef C_MALLOC_TUNING_H
#define C_MALLOC_TUNING_H

/// Caps the number of malloc arenas (glibc: mallopt M_ARENA_MAX), so that memory freed by one
/// thread can be reused by another. Returns 1 on success, 0 where it failed or the C library has
/// no such setting (then nothing changes).
int sgk_limit_malloc_arenas(int arenas);

#endif
