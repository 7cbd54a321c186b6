//! `bbgen verify DIR`: reads a dataset back against its `manifest.json`. Every listed file is
//! re-hashed (files in parallel, each streamed through SHA-256 in 1 MB reads, so memory stays
//! flat whatever their size); files that differ, are missing, or are not listed are reported
//! by name.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path};

use rayon::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::emit::manifest::hex;

/// One file as the manifest lists it.
#[derive(Deserialize, Debug, Clone)]
pub struct Listed {
    /// Path relative to the dataset directory.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Hex SHA-256.
    pub sha256: String,
}

#[derive(Deserialize)]
struct ManifestFiles {
    generator: String,
    files: Vec<Listed>,
}

/// The files listed by the bbgen manifest in `dir`. Fails, saying why, when there is no
/// manifest, it is not bbgen's, or it names a path outside `dir`.
pub fn read_listing(dir: &Path) -> Result<Vec<Listed>, String> {
    let path = dir.join("manifest.json");
    let bytes = fs::read(&path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => "no manifest.json".to_string(),
        _ => format!("cannot read {}: {e}", path.display()),
    })?;
    let m: ManifestFiles = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is not a bbgen manifest: {e}", path.display()))?;
    if m.generator != "bbgen" {
        return Err(format!(
            "{} was written by {:?}, not bbgen",
            path.display(),
            m.generator
        ));
    }
    if let Some(bad) = m.files.iter().find(|f| !is_inside(&f.path)) {
        return Err(format!(
            "{} lists {:?}, a path outside the dataset",
            path.display(),
            bad.path
        ));
    }
    Ok(m.files)
}

/// A relative path that stays below its root.
fn is_inside(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// What [`verify`] found.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    /// Files checked (those the manifest lists).
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Listed files whose size or SHA-256 differs.
    pub changed: Vec<String>,
    /// Listed files that are not there.
    pub missing: Vec<String>,
    /// Files present but not listed (besides `manifest.json`).
    pub unlisted: Vec<String>,
}

impl Report {
    /// Every file as the manifest says.
    pub fn is_intact(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.unlisted.is_empty()
    }
}

enum Check {
    Same(u64),
    Changed(u64),
    Missing,
}

/// Re-hashes every file the manifest in `dir` lists and looks for files it does not list.
pub fn verify(dir: &Path) -> Result<Report, String> {
    let listed = read_listing(dir)?;
    let checks: Vec<(String, Check)> = listed
        .par_iter()
        .map(|f| Ok((f.path.clone(), check(&dir.join(&f.path), f)?)))
        .collect::<Result<_, String>>()?;
    let mut report = Report {
        files: listed.len(),
        ..Report::default()
    };
    for (path, c) in checks {
        match c {
            Check::Same(n) => report.bytes += n,
            Check::Changed(n) => {
                report.bytes += n;
                report.changed.push(path);
            }
            Check::Missing => report.missing.push(path),
        }
    }
    let mut known: std::collections::HashSet<String> = listed.into_iter().map(|f| f.path).collect();
    known.insert("manifest.json".into());
    walk(dir, "", &mut |rel| {
        if !known.contains(rel) {
            report.unlisted.push(rel.to_string());
        }
    })?;
    report.unlisted.sort();
    Ok(report)
}

fn check(path: &Path, want: &Listed) -> Result<Check, String> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Check::Missing),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let (bytes, sha) =
        hash(&mut file).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(if bytes == want.bytes && sha == want.sha256 {
        Check::Same(bytes)
    } else {
        Check::Changed(bytes)
    })
}

/// Size and hex SHA-256 of everything `r` yields, read in 1 MB blocks.
fn hash(r: &mut impl Read) -> io::Result<(u64, String)> {
    let mut buf = vec![0u8; 1 << 20];
    let mut h = Sha256::new();
    let mut n = 0u64;
    loop {
        match r.read(&mut buf) {
            Ok(0) => return Ok((n, hex(&h.finalize()))),
            Ok(k) => {
                h.update(&buf[..k]);
                n += k as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Calls `seen` with the `/`-separated relative path of every file under `root`.
fn walk(root: &Path, rel: &str, seen: &mut impl FnMut(&str)) -> Result<(), String> {
    let dir = root.join(rel);
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for e in entries {
        let e = e.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            walk(root, &path, seen)?;
        } else {
            seen(&path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_below_the_root_are_inside() {
        assert!(is_inside("csv/carrier.csv"));
        assert!(is_inside("manifest.json"));
        for bad in ["", "/etc/passwd", "../x", "csv/../../x", "./x"] {
            assert!(!is_inside(bad), "{bad}");
        }
    }

    #[test]
    fn hashing_streams_what_it_reads() {
        let (n, sha) = hash(&mut &b"abc"[..]).unwrap();
        assert_eq!(n, 3);
        assert_eq!(sha, crate::emit::manifest::sha256_hex(b"abc"));
    }
}
