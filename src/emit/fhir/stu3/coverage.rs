//! Coverage (Parts A, B, C, D) as the Blue Button v1 API serves it.

use crate::emit::fhir::bene::{coverage_extensions, coverage_id, coverage_period, part_ended};
use crate::emit::fhir::elements::put;
use crate::emit::fhir::json::J;
use crate::model::Beneficiary;

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
    meta(&mut j, last_updated);
    coverage_extensions(&mut j, b, part);
    let ended = part_ended(b, part);
    j.lit("status", if ended { "cancelled" } else { "active" });
    let plan = match part {
        'a' => "Part A",
        'b' => "Part B",
        'c' => "Part C",
        _ => "Part D",
    };
    let t = j.obj("type");
    let a = j.arr("coding");
    let c = j.begin();
    j.lit("system", "Medicare");
    j.lit("code", plan);
    j.end(c);
    j.end_arr(a);
    j.end(t);
    let bn = j.obj("beneficiary");
    j.str_parts("reference", &["Patient/", id]);
    j.end(bn);
    if let Some((from, to)) = coverage_period(part) {
        let pm = j.obj("period");
        put(&mut j, "start", &r.get(from));
        put(&mut j, "end", &r.get(to));
        j.end(pm);
    }
    let g = j.obj("grouping");
    j.lit("subGroup", "Medicare");
    j.lit("subPlan", plan);
    j.end(g);
    j.end(top);
}
