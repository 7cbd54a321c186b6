//! The FHIR output formats: Bulk Data NDJSON and per-patient bundle documents.

use super::{Renderer, parts};
use crate::emit::{Chunk, Emitter, Part, RenderContext, Stream, StreamKind, WrittenFile};

/// Bulk Data NDJSON: `fhir/Patient.ndjson`, `fhir/Coverage.ndjson`,
/// `fhir/ExplanationOfBenefit.ndjson`.
pub struct FhirNdjson;

impl Emitter for FhirNdjson {
    fn streams(&self) -> Vec<Stream> {
        ["Patient", "Coverage", "ExplanationOfBenefit"]
            .iter()
            .map(|r| Stream {
                path: format!("fhir/{r}.ndjson"),
                header: Vec::new(),
                kind: StreamKind::Text,
            })
            .collect()
    }

    fn render(
        &self,
        ctx: &RenderContext<'_>,
        chunk: &Chunk,
        parts_out: &mut Vec<Part>,
        _files: &mut Vec<WrittenFile>,
    ) -> std::io::Result<()> {
        let r = Renderer::new(ctx.options, ctx.codes);
        let n_claims: usize = chunk.entries.iter().map(|(_, c)| c.len()).sum();
        // Recycled buffers: steady-state rendering allocates nothing.
        let mut pat = ctx.buffers.take();
        let mut cov = ctx.buffers.take();
        let mut eobs = ctx.buffers.take();
        pat.reserve(chunk.entries.len() * 4096);
        cov.reserve(chunk.entries.len() * 4 * 8192);
        eobs.reserve(n_claims * 2048);
        let (mut n_cov, mut n_eob) = (0u64, 0u64);
        for (b, claims) in &chunk.entries {
            r.patient(&mut pat, b);
            pat.push(b'\n');
            for p in parts(b) {
                r.coverage(&mut cov, b, p);
                cov.push(b'\n');
                n_cov += 1;
            }
            for c in claims {
                r.eob(&mut eobs, c);
                eobs.push(b'\n');
                n_eob += 1;
            }
        }
        parts_out.push(Part::bytes(chunk.entries.len() as u64, pat));
        parts_out.push(Part::bytes(n_cov, cov));
        parts_out.push(Part::bytes(n_eob, eobs));
        Ok(())
    }
}

/// Per-patient documents: `fhir/bundles/<patient-id>.json` (see the module docs).
pub struct FhirBundles;

impl Emitter for FhirBundles {
    fn streams(&self) -> Vec<Stream> {
        Vec::new()
    }

    fn render(
        &self,
        ctx: &RenderContext<'_>,
        chunk: &Chunk,
        _parts: &mut Vec<Part>,
        files: &mut Vec<WrittenFile>,
    ) -> std::io::Result<()> {
        let r = Renderer::new(ctx.options, ctx.codes);
        let dir = ctx.dir.join("fhir").join("bundles");
        std::fs::create_dir_all(&dir)?;
        let mut out = ctx.buffers.take();
        for (b, claims) in &chunk.entries {
            out.clear();
            r.bundle(&mut out, b, claims);
            let name = format!("{}.json", b.bene_id);
            std::fs::write(dir.join(&name), &out)?;
            files.push(WrittenFile {
                path: format!("fhir/bundles/{name}"),
                bytes: out.len() as u64,
                sha256: crate::emit::manifest::sha256_hex(&out),
                rows: 1 + parts(b).count() as u64 + claims.len() as u64,
            });
        }
        ctx.buffers.give(out);
        Ok(())
    }
}
