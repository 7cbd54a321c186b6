//! Coverage (Parts A, B, C, D) as the Blue Button v2 API serves it; the extensions come from
//! the version-neutral [`crate::emit::fhir::bene`].

use crate::emit::fhir::bene::{coverage_extensions, coverage_id, coverage_period, part_ended};
use crate::emit::fhir::elements::{concept, put};
use crate::emit::fhir::json::J;
use crate::model::Beneficiary;
use crate::schema::Col;

use super::meta;

/// Writes the Coverage of `part` (`'a'`…`'d'`) (one line, no newline).
pub fn write_coverage(out: &mut Vec<u8>, b: &Beneficiary, part: char, last_updated: &str) {
    let r = &b.record;
    let mut j = J { out };
    let top = j.doc();
    j.lit("resourceType", "Coverage");
    let mut idb = itoa::Buffer::new();
    let id = idb.format(b.bene_id);
    coverage_id(&mut j, id, part);
    meta(
        &mut j,
        last_updated,
        "http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Coverage",
    );
    coverage_extensions(&mut j, b, part);
    let ended = part_ended(b, part);
    j.lit("status", if ended { "cancelled" } else { "active" });
    let t = j.obj("type");
    let a = j.arr("coding");
    let c = j.begin();
    j.lit("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode");
    j.lit("code", "SUBSIDIZ");
    j.end(c);
    j.end_arr(a);
    j.end(t);
    let mbi = r.get(Col::MBI_NUM);
    put(&mut j, "subscriberId", &mbi);
    let bn = j.obj("beneficiary");
    j.str_parts("reference", &["Patient/", id]);
    j.end(bn);
    concept(
        &mut j,
        "relationship",
        "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
        "self",
        "Self",
    );
    if let Some((from, to)) = coverage_period(part) {
        let pm = j.obj("period");
        put(&mut j, "start", &r.get(from));
        put(&mut j, "end", &r.get(to));
        j.end(pm);
    }
    let pa = j.arr("payor");
    let pe = j.begin();
    let i = j.obj("identifier");
    j.lit("value", "Centers for Medicare and Medicaid Services");
    j.end(i);
    j.end(pe);
    j.end_arr(pa);
    classes(&mut j, part);
    j.end(top);
}

/// `class`: the group (Medicare) and the plan (the part).
fn classes(j: &mut J<'_>, part: char) {
    let ca = j.arr("class");
    for (code, display, value) in [
        ("group", "Group", "Medicare"),
        (
            "plan",
            "Plan",
            match part {
                'a' => "Part A",
                'b' => "Part B",
                'c' => "Part C",
                _ => "Part D",
            },
        ),
    ] {
        let e = j.begin();
        concept(
            j,
            "type",
            "http://terminology.hl7.org/CodeSystem/coverage-class",
            code,
            display,
        );
        j.lit("value", value);
        j.end(e);
    }
    j.end_arr(ca);
}
