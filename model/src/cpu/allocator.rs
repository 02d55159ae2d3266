//! A training step allocates and frees the same few hundred megabytes of activations and
//! gradients again and again. glibc's malloc serves large blocks with `mmap` and hands freed
//! memory back to the kernel, so every step pays for fresh zeroed pages: page faults that took
//! as long as the batch norm's arithmetic in our measurements (the backward pass of a 64 × 16 ×
//! 28 × 28 batch norm: 6.0 ms with glibc's defaults, 1.4 ms with memory kept). We raise its mmap
//! threshold to the largest it accepts (32 MiB) and keep up to 1 GiB of freed memory at the top of
//! the heap (`mallopt`, glibc on Linux; nothing elsewhere). Once per process, when our kernels are
//! first used.

/// Keep freed memory for reuse rather than returning it to the kernel.
pub(super) fn keep_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes malloc's tuning parameters; any value is allowed (an
    // unacceptable one is refused with a return value of 0 and changes nothing).
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
    }
}
