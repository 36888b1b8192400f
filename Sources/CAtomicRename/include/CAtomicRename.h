#ifndef C_ATOMIC_RENAME_H
#define C_ATOMIC_RENAME_H

/// Renames `from` to `to` only if `to` does not exist, in one step (Linux: renameat2 with
/// RENAME_NOREPLACE; Darwin: renamex_np with RENAME_EXCL). Returns 0, or -1 with errno set.
int sgk_rename_no_replace(const char *from, const char *to);

/// Swaps the two paths in one step (Linux: renameat2 with RENAME_EXCHANGE; Darwin: renamex_np
/// with RENAME_SWAP). Returns 0, or -1 with errno set.
int sgk_rename_exchange(const char *a, const char *b);

/// Flushes a file or directory to stable storage (fsync of an open descriptor). Returns 0, or -1
/// with errno set.
int sgk_sync_path(const char *path);

#endif
