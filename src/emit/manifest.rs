//! `manifest.json`, written last: what was generated, from which options, and the SHA-256 of
//! every file, so a dataset can be verified and two runs compared without reading the data.

use serde::{Deserialize, Serialize};

/// The manifest.
#[derive(Serialize, Debug, Clone)]
pub struct Manifest {
    /// Always `bbgen`.
    pub generator: &'static str,
    /// The bbgen version that wrote the data.
    pub version: &'static str,
    /// Everything that decides the bytes.
    pub options: ManifestOptions,
    /// Rows per table or resource file, by path (before compression suffixes).
    pub counts: std::collections::BTreeMap<String, u64>,
    /// Every file, by path.
    pub files: Vec<FileEntry>,
}

/// The data options, as recorded.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ManifestOptions {
    /// Random seed.
    pub seed: u64,
    /// Users in the whole run.
    pub users: u64,
    /// First user index.
    pub offset: u64,
    /// Users written by this shard (all of them when not sharded).
    pub shard: Option<String>,
    /// Last day of the data window.
    pub end_date: String,
    /// First day of the data window.
    pub start_date: String,
    /// Claim volume multiplier.
    pub claims_scale: f64,
    /// Output formats.
    pub formats: Vec<String>,
    /// Compression of text outputs.
    pub compress: String,
    /// Compression of Parquet pages.
    pub parquet_compression: String,
    /// The `--code-tables` directory whose official files gave HCPCS and NDC descriptions
    /// (absent: the compiled-in tables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_tables: Option<String>,
}

/// One written file.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct FileEntry {
    /// Path relative to the output directory.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Rows (records, lines or resources) it holds.
    pub rows: u64,
    /// Hex SHA-256.
    pub sha256: String,
}

impl Manifest {
    /// The file's bytes: pretty JSON and a line end.
    pub fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).expect("manifest serializes");
        json.push(b'\n');
        json
    }
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
