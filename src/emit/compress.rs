//! Compression of text outputs (`--compress`): each part is compressed on its own, as one gzip
//! member or zstd frame; concatenated members and frames are valid files that every reader
//! decompresses as one, so parts can be compressed on the worker threads in any order.

use std::io::{self, Write};

/// Compression of text outputs (CSV, NDJSON, RIF).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Plain files.
    None,
    /// `.gz` (gzip level 1: fast, and about as small as text of this kind gets at level 6).
    Gzip,
    /// `.zst` (zstd level 1).
    Zstd,
}

impl Compression {
    /// Name on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// What it appends to a file name.
    pub fn suffix(self) -> &'static str {
        match self {
            Compression::None => "",
            Compression::Gzip => ".gz",
            Compression::Zstd => ".zst",
        }
    }

    /// Compresses `bytes` as one self-contained member or frame.
    pub fn compress(self, bytes: &[u8]) -> io::Result<Vec<u8>> {
        match self {
            Compression::None => Ok(bytes.to_vec()),
            Compression::Gzip => {
                let mut e = flate2::write::GzEncoder::new(
                    Vec::with_capacity(bytes.len() / 4),
                    flate2::Compression::fast(),
                );
                e.write_all(bytes)?;
                e.finish()
            }
            Compression::Zstd => zstd::bulk::compress(bytes, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn concatenated_members_decompress_as_one() {
        let (a, b) = (b"first part\n".as_slice(), b"second part\n".as_slice());
        let mut gz = Compression::Gzip.compress(a).unwrap();
        gz.extend(Compression::Gzip.compress(b).unwrap());
        let mut text = String::new();
        flate2::read::MultiGzDecoder::new(gz.as_slice())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "first part\nsecond part\n");

        let mut zst = Compression::Zstd.compress(a).unwrap();
        zst.extend(Compression::Zstd.compress(b).unwrap());
        assert_eq!(
            zstd::decode_all(zst.as_slice()).unwrap(),
            b"first part\nsecond part\n"
        );
    }
}
