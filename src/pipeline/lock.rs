//! The advisory lock on `--out`: `OUT/.bbgen.lock`, held with `flock` for the whole run, so a
//! second run into the same directory is refused at start instead of destroying the first
//! one's data at the end. The file says who holds it; the kernel drops the lock when its owner
//! dies, even by SIGKILL, so a leftover file only tells the next run what was interrupted.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::{RunError, io_err};
use crate::value::Date;

/// The lock file's name inside `--out`.
pub const LOCK_FILE: &str = ".bbgen.lock";

/// A held lock; dropping it removes the file and releases the lock.
#[derive(Debug)]
pub(super) struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    /// Locks `dir`. Returns the lock and, when a previous owner died holding it, the owner
    /// it recorded.
    pub(super) fn acquire(dir: &Path) -> Result<(Lock, Option<String>), RunError> {
        let path = dir.join(LOCK_FILE);
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| io_err("cannot create the lock file", &path, e))?;
            // SAFETY: flock on a descriptor this function owns.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::WouldBlock {
                    return Err(io_err("cannot lock", &path, e));
                }
                return Err(RunError(format!(
                    "--out {} is in use by another bbgen run ({}); wait for it to finish or choose another --out",
                    dir.display(),
                    owner_of(&mut file)
                )));
            }
            // The previous holder may have removed the file between our open and our lock:
            // then we hold a lock nobody else can see, so start again on the new file.
            if !same_file(&file, &path) {
                continue;
            }
            let previous = Some(owner_of(&mut file)).filter(|o| !o.is_empty());
            write_owner(&mut file).map_err(|e| io_err("cannot write", &path, e))?;
            return Ok((Lock { file, path }, previous));
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked, so no other run can lock the old file after us.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.flush();
    }
}

fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn owner_of(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind().and_then(|()| file.read_to_string(&mut text));
    text.trim().to_string()
}

fn write_owner(file: &mut File) -> io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    writeln!(file, "pid {}, started {}", std::process::id(), utc_now())?;
    file.sync_data()
}

/// The current time as `YYYY-MM-DD HH:MM:SS UTC` (the lock file is the one place bbgen
/// reads the clock, and nothing of it reaches the data).
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = Date((secs / 86_400) as i32);
    let s = secs % 86_400;
    format!("{day} {:02}:{:02}:{:02} UTC", s / 3600, s / 60 % 60, s % 60)
}
