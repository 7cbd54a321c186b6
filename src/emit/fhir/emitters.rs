//! The FHIR output formats: Bulk Data NDJSON and per-patient bundle documents, in R4
//! (`fhir/`) or STU3 (`fhir-stu3/`).

use super::{FhirVersion, Renderer, parts};
use crate::emit::{Chunk, Emitter, Out, OutFile, Part, RenderContext, Stream, TableStream};

/// Bulk Data NDJSON: `fhir/Patient.ndjson`, `fhir/Coverage.ndjson`,
/// `fhir/ExplanationOfBenefit.ndjson` (under `fhir-stu3/` for STU3).
pub struct FhirNdjson(pub FhirVersion);

/// The resource types of [`FhirNdjson`], one file each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    /// One Patient per beneficiary.
    Patient,
    /// One Coverage per part of Medicare the beneficiary is enrolled in.
    Coverage,
    /// One ExplanationOfBenefit per claim.
    ExplanationOfBenefit,
}

impl Resource {
    /// Every resource type, in the order of the files.
    pub const ALL: [Resource; 3] = [
        Resource::Patient,
        Resource::Coverage,
        Resource::ExplanationOfBenefit,
    ];

    /// The resource type's name, which names its file.
    pub fn name(self) -> &'static str {
        match self {
            Resource::Patient => "Patient",
            Resource::Coverage => "Coverage",
            Resource::ExplanationOfBenefit => "ExplanationOfBenefit",
        }
    }

    /// Appends the resources of this type of `chunk` to `out` as NDJSON lines, in the files'
    /// order, calling `ended` with the length of `out` after each line's newline.
    pub fn write_lines(
        self,
        r: &Renderer<'_>,
        chunk: &Chunk,
        out: &mut Vec<u8>,
        mut ended: impl FnMut(usize),
    ) {
        let mut end_line = |out: &mut Vec<u8>| {
            out.push(b'\n');
            ended(out.len());
        };
        for (b, claims) in &chunk.entries {
            match self {
                Resource::Patient => {
                    r.patient(out, b);
                    end_line(out);
                }
                Resource::Coverage => {
                    for p in parts(b) {
                        r.coverage(out, b, p);
                        end_line(out);
                    }
                }
                Resource::ExplanationOfBenefit => {
                    for c in claims {
                        r.eob(out, c);
                        end_line(out);
                    }
                }
            }
        }
    }
}

impl TableStream for FhirNdjson {
    type Item = Resource;

    fn items(&self) -> &[Resource] {
        &Resource::ALL
    }

    fn stream(&self, r: &Resource) -> Stream {
        let path = format!("{}/{}.ndjson", self.0.folder(), r.name());
        Stream::text(path, Vec::new())
    }

    fn part(&self, ctx: &RenderContext<'_>, chunk: &Chunk, res: &Resource) -> Part {
        let r = Renderer::of(self.0, ctx.options, ctx.codes);
        Part::text(ctx, |out| {
            let mut n = 0u64;
            res.write_lines(&r, chunk, out, |_| n += 1);
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
                path: format!("{}/bundles/{}.json", self.0.folder(), b.bene_id),
                bytes,
                rows: 1 + parts(b).count() as u64 + claims.len() as u64,
            });
        }
    }
}
