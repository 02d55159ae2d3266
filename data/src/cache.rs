//! Where fetched data live, and writing files so that a crash never leaves half a file behind.
//!
//! The cache folder is `$CNN_DATA_DIR` when set, else `<workspace>/.cache/data` (git-ignored) when this
//! crate is built from the workspace, else the user's cache folder (`$XDG_CACHE_HOME` or `~/.cache`,
//! then `cnn-toolkit/data`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{DataError, Result};

/// The environment variable that overrides the cache folder.
pub const CACHE_ENV: &str = "CNN_DATA_DIR";

/// The default cache folder (see the module docs).
pub fn default_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(CACHE_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(workspace) = manifest.parent()
        && workspace.join("Cargo.toml").is_file()
    {
        return workspace.join(".cache").join("data");
    }
    let user_cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
    match user_cache {
        Some(dir) => dir.join("cnn-toolkit").join("data"),
        None => PathBuf::from(".cache").join("data"),
    }
}

/// A sibling of `path` to write into before renaming it into place (unique per process and call).
pub fn temp_name(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(
        ".tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    path.with_file_name(name)
}

/// Writes `bytes` to `path` through a temporary name, an fsync and a rename, so `path` is either
/// absent, the old file or the complete new file, even after a crash or `kill -9`. Every file the
/// workspace writes (data caches, run folders, checkpoints) goes through this one function.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;

    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(DataError::io(parent))?;
    }
    let tmp = temp_name(path);
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        // The file meant, not its temporary name (a full disk says which file it cost).
        return Err(DataError::io(path)(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        DataError::io(path)(e)
    })
}

/// Lowercase hex MD5 of `bytes`.
pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    hex(&Md5::digest(bytes))
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
