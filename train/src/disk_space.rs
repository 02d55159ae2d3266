//! Room on the device before a checkpoint is written. Burn's file metric logger panics when a write
//! fails, so a disk that fills up under a run must be noticed before it is full: a checkpoint that
//! would leave less than [`RESERVE`] free is not written, and the run stops with an error naming
//! the file and the space (the previous checkpoint stays, and `--resume` continues from it once
//! there is room).

use std::path::Path;

use crate::error::TrainError;

/// Space kept free for the logs and small files written between two checkpoints.
pub const RESERVE: u64 = 4 << 20;

/// Bytes free for an unprivileged writer on the device holding `dir` (`None` when unknown).
pub fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `path` is a valid NUL-terminated string and `stat` a writable statvfs buffer;
    // statvfs writes it in full when it returns 0, the only case in which it is read.
    let stat = unsafe {
        if libc::statvfs(path.as_ptr(), stat.as_mut_ptr()) != 0 {
            return None;
        }
        stat.assume_init()
    };
    // Both fields are u64 on 64-bit Linux, narrower elsewhere.
    #[allow(clippy::useless_conversion)]
    let (blocks, size) = (u64::from(stat.f_bavail), u64::from(stat.f_frsize));
    Some(blocks.saturating_mul(size))
}

/// An error unless the device of `path`'s folder has room for `bytes` and [`RESERVE`] more.
pub fn ensure_room(path: &Path, bytes: u64) -> Result<(), TrainError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    match free_bytes(dir) {
        Some(free) if free < bytes.saturating_add(RESERVE) => Err(TrainError::Checkpoint {
            path: path.to_path_buf(),
            problem: format!(
                "not written: no space left on device ({free} bytes free; it needs {bytes} plus \
                 {RESERVE} kept free for the logs); the previous checkpoint is kept: free some \
                 space, then continue with --resume"
            ),
        }),
        _ => Ok(()),
    }
}
