//! The output directory. A run locks `--out` ([`Lock`]), writes into `OUT/.bbgen-partial`
//! (inside the target, so on its file system even when `--out` is a mount point or a symlink),
//! and at the end moves what it wrote into place, `manifest.json` last. The swap deletes
//! nothing the run did not create, except, with `--force`, the files a previous bbgen dataset
//! listed in its manifest. Temporary data left by a killed run has the same fixed name, so the
//! next run into the same `--out` finds it and removes it.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::lock::{LOCK_FILE, Lock};
use super::{RunError, io_err};
use crate::verify;

/// The temporary directory's name inside `--out`.
pub const PARTIAL_DIR: &str = ".bbgen-partial";

/// `--out` while a run writes into it; dropped without [`Target::commit`], it removes the
/// temporary data (and `--out` itself if the run created it and it is empty).
#[derive(Debug)]
pub(super) struct Target {
    out: PathBuf,
    temp: PathBuf,
    created_out: bool,
    /// Files of the previous dataset that `--force` replaces (paths relative to `out`).
    replaces: Vec<String>,
    lock: Option<Lock>,
    committed: bool,
}

impl Target {
    /// Checks and locks `out`, removes what an interrupted run left there and creates the
    /// temporary directory. `notice` hears what was found and removed.
    pub(super) fn open(out: &Path, force: bool, notice: impl Fn(&str)) -> Result<Target, RunError> {
        let created_out = create_out(out)?;
        let mut target = Target {
            out: out.to_path_buf(),
            temp: out.join(PARTIAL_DIR),
            created_out,
            replaces: Vec::new(),
            lock: None,
            committed: false,
        };
        let (lock, previous) = Lock::acquire(out)?;
        target.lock = Some(lock);
        if target.temp.exists() {
            fs::remove_dir_all(&target.temp)
                .map_err(|e| io_err("cannot remove leftover temporary data", &target.temp, e))?;
            let who = previous.map_or(String::new(), |p| format!(" ({p})"));
            notice(&format!(
                "removed {}, left by an interrupted run{who}",
                target.temp.display()
            ));
        }
        mention_old_leftovers(out, &notice);
        target.replaces = replaceable(out, force)?;
        fs::create_dir(&target.temp)
            .map_err(|e| io_err("cannot create output directory", &target.temp, e))?;
        Ok(target)
    }

    /// Where the run writes.
    pub(super) fn temp(&self) -> &Path {
        &self.temp
    }

    /// Moves the finished dataset into `--out`, after removing the previous dataset's files
    /// when `--force` replaces one. Refuses, before moving anything, when a path the dataset
    /// needs holds something else (e.g. a file created there during the run).
    pub(super) fn commit(mut self) -> Result<(), RunError> {
        let mut entries = entries(&self.temp)?;
        // manifest.json last: a dataset without it is visibly incomplete.
        entries.sort_by_key(|name| name == "manifest.json");
        let replaced: HashSet<PathBuf> = self.replaces.iter().map(|p| self.out.join(p)).collect();
        for name in &entries {
            check_free(&self.temp.join(name), &self.out.join(name), &replaced)?;
        }
        // The old manifest first: a dataset half removed is visibly incomplete.
        for full in self.replaces.iter().map(|p| self.out.join(p)) {
            match fs::remove_file(&full) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(io_err("cannot replace", &full, e));
                }
                _ => remove_empty_parents(&self.out, &full),
            }
        }
        for name in &entries {
            move_into(&self.temp.join(name), &self.out.join(name))?;
        }
        fs::remove_dir_all(&self.temp).map_err(|e| io_err("cannot remove", &self.temp, e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        // Without the lock the temporary data may be another run's: leave it alone.
        if let Some(lock) = self.lock.take() {
            if !self.committed {
                let _ = fs::remove_dir_all(&self.temp);
            }
            drop(lock);
        }
        if self.created_out && !self.committed {
            let _ = fs::remove_dir(&self.out);
        }
    }
}

/// Creates `out` if missing; `true` if this run created it.
fn create_out(out: &Path) -> Result<bool, RunError> {
    match fs::metadata(out) {
        Ok(m) if m.is_dir() => Ok(false),
        Ok(_) => Err(RunError(format!(
            "--out {} exists and is not a directory",
            out.display()
        ))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(out).map_err(|e| io_err("cannot create", out, e))?;
            Ok(true)
        }
        Err(e) => Err(io_err("cannot use output directory", out, e)),
    }
}

/// Earlier bbgen versions wrote beside `out`, in `.<name>.bbgen-partial-<pid>`, and left it
/// there when interrupted. Such directories may be gigabytes; they are named, not removed
/// (nothing proves their run is over).
fn mention_old_leftovers(out: &Path, notice: &impl Fn(&str)) {
    let (Some(name), Some(parent)) = (out.file_name(), out.parent()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let prefix = format!(".{}.bbgen-partial-", name.to_string_lossy());
    let Ok(siblings) = fs::read_dir(parent) else {
        return;
    };
    for e in siblings.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            notice(&format!(
                "{} holds the temporary data of an interrupted run of an earlier bbgen; remove it to free its space",
                e.path().display()
            ));
        }
    }
}

/// The names in `dir`, without the run's own lock file and temporary directory.
fn entries(dir: &Path) -> Result<Vec<String>, RunError> {
    let mut names = Vec::new();
    for e in fs::read_dir(dir).map_err(|e| io_err("cannot read", dir, e))? {
        let e = e.map_err(|e| io_err("cannot read", dir, e))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name != LOCK_FILE && name != PARTIAL_DIR {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// What `--force` may delete in `out`: nothing if it is empty; the files of a previous bbgen
/// dataset (those its manifest lists, and the manifest). Anything else is refused.
fn replaceable(out: &Path, force: bool) -> Result<Vec<String>, RunError> {
    let names = entries(out)?;
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let holds = || {
        let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
        let more = names.len() - shown.len();
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!("{}{more}", shown.join(", "))
    };
    if !force {
        return Err(RunError(format!(
            "--out {} already exists and is not empty (it holds {}); use another --out, or --force to replace a previous bbgen dataset",
            out.display(),
            holds()
        )));
    }
    match verify::read_listing(out) {
        Ok(listed) => Ok(["manifest.json".to_string()]
            .into_iter()
            .chain(listed.into_iter().map(|f| f.path))
            .collect()),
        Err(why) => Err(RunError(format!(
            "--force replaces only an empty directory or a previous bbgen dataset, and --out {} is neither: it holds {} ({why})",
            out.display(),
            holds()
        ))),
    }
}

/// Fails if moving `from` to `to` would replace anything but the `replaced` files of the
/// previous dataset: directories merge, other files are never overwritten. Checked before
/// anything is removed or moved, so a refusal leaves `--out` as it was.
fn check_free(from: &Path, to: &Path, replaced: &HashSet<PathBuf>) -> Result<(), RunError> {
    match fs::symlink_metadata(to) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Ok(m) if m.is_file() && replaced.contains(to) => Ok(()),
        Err(e) => Err(io_err("cannot check", to, e)),
        Ok(m) if m.is_dir() && from.is_dir() => {
            for e in fs::read_dir(from).map_err(|e| io_err("cannot read", from, e))? {
                let name = e.map_err(|e| io_err("cannot read", from, e))?.file_name();
                check_free(&from.join(&name), &to.join(&name), replaced)?;
            }
            Ok(())
        }
        Ok(_) => Err(RunError(format!(
            "{} is in the way of the new dataset and no part of a previous one (created during the run?); it was left alone and nothing was moved into --out",
            to.display()
        ))),
    }
}

/// Moves `from` to `to`, merging into an existing directory, never replacing a file.
fn move_into(from: &Path, to: &Path) -> Result<(), RunError> {
    if to.is_dir() && from.is_dir() {
        for e in fs::read_dir(from).map_err(|e| io_err("cannot read", from, e))? {
            let name = e.map_err(|e| io_err("cannot read", from, e))?.file_name();
            move_into(&from.join(&name), &to.join(&name))?;
        }
        return Ok(());
    }
    rename_no_replace(from, to).map_err(|e| io_err("cannot move output into", to, e))
}

/// `rename`, failing instead of replacing an existing `to` (atomically where the kernel and
/// file system allow it).
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
        let (a, b) = (c(from)?, c(to)?);
        // SAFETY: both paths are NUL-terminated strings that outlive the call.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        // Older kernels and some file systems lack the flag: fall back to check-then-rename.
        if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
            return Err(e);
        }
    }
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    fs::rename(from, to)
}

/// Removes the directories between `file` and `root` that are left empty.
fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != root && d.starts_with(root)) {
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
