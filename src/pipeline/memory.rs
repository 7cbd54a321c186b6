//! The process's memory settings for a run.

/// Turns transparent huge pages off for the rest of the process. The allocator asks for huge
/// pages on its arenas, and with a heap per thread (workers and one writer per output file)
/// most of each 2 MiB page stays unused: a run then holds a third more memory than it uses,
/// and the kernel spends more time zeroing fresh huge pages than the run spends encoding
/// Parquet. Ordinary pages cost nothing measurable here. Best effort: where the kernel lacks
/// the setting, nothing changes.
pub(super) fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
