//! The output directory: checking `--out` before a run, and the temporary directory beside it
//! that is renamed into place when the dataset is complete.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{RunError, io_err};

pub(super) fn check_output_dir(out: &Path, force: bool) -> Result<(), RunError> {
    match fs::metadata(out) {
        Ok(m) if !m.is_dir() => Err(RunError(format!(
            "--out {} exists and is not a directory",
            out.display()
        ))),
        Ok(_) => {
            let mut entries =
                fs::read_dir(out).map_err(|e| io_err("cannot read output directory", out, e))?;
            if entries.next().is_some() && !force {
                Err(RunError(format!(
                    "--out {} already exists and is not empty; use --force to replace it",
                    out.display()
                )))
            } else {
                Ok(())
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("cannot use output directory", out, e)),
    }
}

/// A hidden sibling of `out` (same file system, so the final rename is atomic).
pub(super) fn temp_dir_for(out: &Path) -> Result<PathBuf, RunError> {
    let name = out
        .file_name()
        .ok_or_else(|| RunError(format!("--out {} is not a directory name", out.display())))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| io_err("cannot create", &parent, e))?;
    Ok(parent.join(format!(
        ".{}.bbgen-partial-{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}
