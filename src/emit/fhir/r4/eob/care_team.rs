//! The care team: members named on the header, then on the lines, in order of appearance,
//! each once per (provider, role, NPI or UPIN); a line's performing member takes its
//! extensions and qualification from the first line that names it.

use crate::emit::fhir::Row;
use crate::emit::fhir::arrangement::{PERFORMING, PRIMARY, ROLES};
use crate::emit::fhir::elements::{concept, extensions, present, var_coding};
use crate::emit::fhir::json::J;
use crate::schema::Col;
use crate::value::Value;

use super::header::C4BB_IDENTIFIER;
use super::{Eob, Scratch};

/// Adds a member unless there already; its sequence (from 1), or `None` without a value.
fn add(
    members: &mut Vec<(Value, usize, bool)>,
    v: Value,
    role: usize,
    upin: bool,
) -> Option<usize> {
    if !present(&v) {
        return None;
    }
    if let Some(i) = members
        .iter()
        .position(|m| m.0 == v && m.1 == role && m.2 == upin)
    {
        return Some(i + 1);
    }
    members.push((v, role, upin));
    Some(members.len())
}

/// Collects the members, and each line's performing and primary member.
pub(super) fn collect(e: &Eob<'_>, sc: &mut Scratch) {
    let rules = e.sp.rules;
    for m in rules.care {
        add(&mut sc.members, e.h.get(m.col), m.role, m.upin);
    }
    let Some(lc) = rules.line_care else { return };
    for l in e.lines.iter() {
        let members = &mut sc.members;
        let a = add(members, l.get(lc.npi), PERFORMING, false).or_else(|| {
            lc.upin
                .and_then(|c| add(members, l.get(c), PERFORMING, true))
        });
        let b = lc
            .primary
            .and_then(|c| add(members, l.get(c), PRIMARY, false));
        sc.line_care.push([a, b]);
    }
}

/// `careTeam`.
pub(super) fn write(j: &mut J<'_>, e: &Eob<'_>, sc: &Scratch) {
    // The first line that names each member gives its qualification and extensions.
    let member_line = |i: usize| -> Option<Row<'_>> {
        sc.line_care
            .iter()
            .position(|lc| lc.contains(&Some(i + 1)))
            .map(|p| e.lines.get(p))
    };
    let line_ext = e.sp.rules.line_care.map_or(&[][..], |lc| lc.ext);
    let ct = j.arr("careTeam");
    for (i, (v, role, upin)) in sc.members.iter().enumerate() {
        let m = j.begin();
        let line = if *role == PERFORMING {
            member_line(i)
        } else {
            None
        };
        if let Some(l) = &line {
            extensions(j, line_ext, l);
        }
        j.int("sequence", i as i64 + 1);
        provider(j, v, *upin);
        if line.is_some() && e.professional {
            j.raw("responsible", "true");
        }
        let (code, display, system) = ROLES[*role];
        concept(j, "role", system, code, display);
        if let Some(l) = line {
            let s = l.get(Col::PRVDR_SPCLTY);
            if present(&s) {
                let q = j.obj("qualification");
                let a = j.arr("coding");
                var_coding(j, "prvdr_spclty", Col::PRVDR_SPCLTY, &s);
                j.end_arr(a);
                j.end(q);
            }
        }
        j.end(m);
    }
    j.end_arr(ct);
}

/// A member's `provider`: an NPI or a UPIN identifier.
fn provider(j: &mut J<'_>, v: &Value, upin: bool) {
    let p = j.obj("provider");
    let id = j.obj("identifier");
    if upin {
        concept(
            j,
            "type",
            "http://terminology.hl7.org/CodeSystem/v2-0203",
            "UPIN",
            "Medicare/CMS (formerly HCFA)'s Universal Physician Identification numbers",
        );
    } else {
        concept(
            j,
            "type",
            C4BB_IDENTIFIER,
            "npi",
            "National Provider Identifier",
        );
    }
    crate::emit::fhir::elements::put(j, "value", v);
    j.end(id);
    j.end(p);
}
