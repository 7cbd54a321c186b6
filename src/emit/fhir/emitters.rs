//! The FHIR output formats: Bulk Data NDJSON and per-patient bundle documents, in R4
//! (`fhir/`) or STU3 (`fhir-stu3/`).

use super::{FhirVersion, Renderer, parts};
use crate::emit::{Chunk, Emitter, Out, OutFile, Part, RenderContext, Stream, TableStream};

/// Bulk Data NDJSON: `fhir/Patient.ndjson`, `fhir/Coverage.ndjson`,
/// `fhir/ExplanationOfBenefit.ndjson` (under `fhir-stu3/` for STU3).
pub struct FhirNdjson(pub FhirVersion);

/// The folder of a version's files.
fn folder(v: FhirVersion) -> &'static str {
    match v {
        FhirVersion::R4 => "fhir",
        FhirVersion::Stu3 => "fhir-stu3",
    }
}

/// The resource types of [`FhirNdjson`], one file each.
#[derive(Clone, Copy)]
pub enum Resource {
    /// One Patient per beneficiary.
    Patient,
    /// One Coverage per part of Medicare the beneficiary is enrolled in.
    Coverage,
    /// One ExplanationOfBenefit per claim.
    ExplanationOfBenefit,
}

impl TableStream for FhirNdjson {
    type Item = Resource;

    fn items(&self) -> &[Resource] {
        &[
            Resource::Patient,
            Resource::Coverage,
            Resource::ExplanationOfBenefit,
        ]
    }

    fn stream(&self, r: &Resource) -> Stream {
        let name = match r {
            Resource::Patient => "Patient",
            Resource::Coverage => "Coverage",
            Resource::ExplanationOfBenefit => "ExplanationOfBenefit",
        };
        Stream::text(format!("{}/{name}.ndjson", folder(self.0)), Vec::new())
    }

    fn part(&self, ctx: &RenderContext<'_>, chunk: &Chunk, res: &Resource) -> Part {
        let r = Renderer::of(self.0, ctx.options, ctx.codes);
        Part::text(ctx, |out| {
            let mut n = 0u64;
            for (b, claims) in &chunk.entries {
                match res {
                    Resource::Patient => {
                        r.patient(out, b);
                        out.push(b'\n');
                        n += 1;
                    }
                    Resource::Coverage => {
                        for p in parts(b) {
                            r.coverage(out, b, p);
                            out.push(b'\n');
                            n += 1;
                        }
                    }
                    Resource::ExplanationOfBenefit => {
                        for c in claims {
                            r.eob(out, c);
                            out.push(b'\n');
                            n += 1;
                        }
                    }
                }
            }
            n
        })
    }
}

/// Per-patient documents: `fhir/bundles/<patient-id>.json` (see the module docs), under
/// `fhir-stu3/` for STU3.
pub struct FhirBundles(pub FhirVersion);

impl Emitter for FhirBundles {
    fn render(&self, ctx: &RenderContext<'_>, chunk: &Chunk, out: &mut Out) {
        let r = Renderer::of(self.0, ctx.options, ctx.codes);
        for (b, claims) in &chunk.entries {
            let mut bytes = Vec::new();
            r.bundle(&mut bytes, b, claims);
            out.files.push(OutFile {
                path: format!("{}/bundles/{}.json", folder(self.0), b.bene_id),
                bytes,
                rows: 1 + parts(b).count() as u64 + claims.len() as u64,
            });
        }
    }
}
