//! ExplanationOfBenefit for all eight claim types, as the Blue Button v2 API serves them.
//!
//! One builder serves every type; what differs between types is data in [`crate::emit::fhir::arrangement`].
//! [`write_eob`] writes the resource's elements in the API's order, one section writer per
//! part of the resource: the header (`header`), the care team (`care_team`), supporting
//! information (`supporting_info`), diagnoses and procedures (`diagnosis`), the lines
//! (`item`) and the totals (`totals`). Every element is written only when its column has
//! a value, so the output is valid whatever columns the generator fills.

mod care_team;
mod diagnosis;
mod header;
mod item;
mod supporting_info;
mod totals;

use crate::codes::Codes;
use crate::emit::fhir::Row;
use crate::emit::fhir::elements::{extensions, write_value};
use crate::emit::fhir::json::J;
use crate::model::{Claim, ClaimType};
use crate::value::Value;

use crate::emit::fhir::arrangement::{self, Shape, TypeSpec};

/// Everything the EOB needs besides the claim.
pub struct EobContext<'a> {
    /// `meta.lastUpdated` (an instant fixed by the run's options).
    pub last_updated: &'a str,
    /// The fallback `created` date.
    pub created: crate::value::Date,
    /// The run's HCPCS and NDC tables (the official files with `--code-tables`).
    pub codes: &'a Codes,
}

/// The resource id of a claim: `<type>-<claim id>` (`pde-<pde id>`).
pub fn write_id(out: &mut Vec<u8>, c: &Claim) {
    out.extend_from_slice(c.kind.name().as_bytes());
    out.push(b'-');
    let id = c.header.get(arrangement::spec(c.kind).rules.id.0);
    write_value(out, &id);
}

/// Writes one claim's ExplanationOfBenefit as one line of JSON (no newline).
pub fn write_eob(out: &mut Vec<u8>, c: &Claim, ctx: &EobContext<'_>) {
    let e = Eob::new(c);
    let mut sc = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    sc.clear();
    care_team::collect(&e, &mut sc);

    let mut j = J { out };
    let top = j.doc();
    header::opening(&mut j, &e, ctx.last_updated);
    let contained = j.arr("contained");
    header::organization(&mut j, &e);
    supporting_info::line_observations(&mut j, &e);
    j.end_arr(contained);
    extensions(&mut j, e.sp.ext, &e.h);
    header::identifiers(&mut j, &e);
    header::kind(&mut j, &e);
    header::period(&mut j, &e, ctx.created);
    header::provider(&mut j, &e);
    header::referral_and_facility(&mut j, &e);
    care_team::write(&mut j, &e, &sc);
    supporting_info::write(&mut j, &e, &mut sc);
    diagnosis::write(&mut j, &e, &mut sc);
    diagnosis::procedures(&mut j, &e);
    header::insurance(&mut j, &e, &mut sc.bene);
    item::write(&mut j, &e, &sc, ctx.codes);
    totals::write(&mut j, &e);
    j.end(top);
    SCRATCH.with(|s| *s.borrow_mut() = sc);
}

/// One claim as the section writers read it.
struct Eob<'a> {
    c: &'a Claim,
    t: ClaimType,
    sp: &'static TypeSpec,
    h: Row<'a>,
    lines: LinesView<'a>,
    /// Whether the claim has professional lines (carrier, DME).
    professional: bool,
}

impl<'a> Eob<'a> {
    fn new(c: &'a Claim) -> Eob<'a> {
        let t = c.kind;
        let sp = arrangement::spec(t);
        Eob {
            c,
            t,
            sp,
            h: c.header.view(),
            lines: LinesView(c.lines.as_ref()),
            professional: sp.rules.shape == Shape::Professional,
        }
    }
}

/// Per-thread buffers reused from one EOB to the next.
#[derive(Default)]
struct Scratch {
    /// Care team members: (provider value, role index, whether a UPIN rather than an NPI).
    members: Vec<(Value, usize, bool)>,
    /// Per line: the care team sequences of its performing and primary providers.
    line_care: Vec<[Option<usize>; 2]>,
    /// Per line: the sequence of its supporting-info entry.
    line_info: Vec<Option<i64>>,
    /// Per line: the sequence of its diagnosis.
    line_dx: Vec<Option<usize>>,
    /// The diagnosis codes written, in sequence order.
    dx_codes: Vec<Value>,
    /// The beneficiary id as text.
    bene: Vec<u8>,
}

impl Scratch {
    fn clear(&mut self) {
        self.members.clear();
        self.line_care.clear();
        self.line_info.clear();
        self.line_dx.clear();
        self.dx_codes.clear();
        self.bene.clear();
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// The lines of a claim (none for Part D), by index without collecting them.
#[derive(Clone, Copy)]
struct LinesView<'a>(Option<&'a crate::model::Lines>);

impl<'a> LinesView<'a> {
    fn len(self) -> usize {
        self.0.map_or(0, |l| l.len())
    }

    fn get(self, i: usize) -> Row<'a> {
        self.0.expect("a line table").get(i)
    }

    fn iter(self) -> impl Iterator<Item = Row<'a>> {
        self.0.into_iter().flat_map(|l| l.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dataset, Options};

    /// The first generated claim of each type, rendered and parsed.
    fn one_of_each() -> Vec<(ClaimType, serde_json::Value)> {
        let opts = Options {
            users: 64,
            ..Options::default()
        };
        let ds = Dataset::new(opts.clone()).unwrap();
        let r = crate::emit::fhir::Renderer::new(&opts, crate::codes::Codes::builtin_ref());
        let mut found = Vec::new();
        for i in 0..64 {
            for c in ds.claims(i) {
                if found.iter().any(|(t, _)| *t == c.kind) {
                    continue;
                }
                let mut out = Vec::new();
                r.eob(&mut out, &c);
                found.push((c.kind, serde_json::from_slice(&out).expect("JSON")));
            }
        }
        assert_eq!(found.len(), 8, "all eight types among 64 users");
        found
    }

    #[test]
    fn each_claim_type_has_its_id_profile_types_and_coverage() {
        for (t, e) in one_of_each() {
            let sp = arrangement::spec(t);
            let id = e["id"].as_str().unwrap();
            assert!(id.starts_with(&format!("{}--", t.name())), "{id}");
            assert_eq!(e["meta"]["profile"][0], sp.profile, "{id}");
            let codes: Vec<&str> = e["type"]["coding"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["code"].as_str().unwrap())
                .collect();
            assert!(codes.contains(&sp.eob_type), "{id} {codes:?}");
            assert!(codes.contains(&sp.claim_type.0), "{id} {codes:?}");
            let patient = e["patient"]["reference"].as_str().unwrap();
            let bene = patient.strip_prefix("Patient/").unwrap();
            assert_eq!(
                e["insurance"][0]["coverage"]["reference"],
                format!("Coverage/{}-{bene}", sp.part)
            );
            for k in [
                "status", "use", "created", "insurer", "provider", "outcome", "item",
            ] {
                assert!(!e[k].is_null(), "{id} lacks {k}");
            }
            for item in e["item"].as_array().unwrap() {
                assert!(item["productOrService"]["coding"][0]["code"].is_string());
                assert!(item["sequence"].is_u64());
            }
        }
    }

    #[test]
    fn amounts_are_numbers_with_decimals_and_usd() {
        for (t, e) in one_of_each() {
            let text = e.to_string();
            assert!(text.contains("\"currency\":\"USD\""), "{}", t.name());
            for a in e["item"][0]["adjudication"]
                .as_array()
                .into_iter()
                .flatten()
            {
                if let Some(v) = a["amount"]["value"].as_f64() {
                    assert!(v.is_finite());
                    assert_eq!(a["amount"]["currency"], "USD");
                }
            }
        }
    }

    #[test]
    fn institutional_claims_contain_their_provider_organization() {
        for (t, e) in one_of_each() {
            let institutional =
                !matches!(t, ClaimType::Carrier | ClaimType::Dme | ClaimType::PartD);
            if institutional {
                assert_eq!(e["provider"]["reference"], "#provider-org", "{}", t.name());
                assert_eq!(e["contained"][0]["id"], "provider-org");
            }
        }
    }
}
