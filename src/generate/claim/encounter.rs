//! Encounter rules: which services one claim may bill together, as claim edits (NCCI,
//! the Medicare Claims Processing Manual) enforce them.
//!
//! - A service is billed once per claim and day; a second unit goes in the unit count, not
//!   on a second line (repeats on other days of a series are separate lines).
//! - At most one evaluation and management (E/M) service per provider and day, with
//!   modifier 25 only when a procedure is billed the same day.
//! - At most one major procedure (surgery) per claim; bilateral or multiple procedures would
//!   need modifiers 50/51, which the generator does not bill.
//! - The professional component (modifier 26) only on professional claims for services in a
//!   facility, never on a facility's own (outpatient) lines; in an office the global service
//!   is billed without a modifier.

use super::Cx;
use crate::seeds::Weighted;
use crate::seeds::clinical::Fee;

/// Whether `code` is an E/M service: CPT 99202–99499, the hospital outpatient clinic visit
/// (G0463) and the Medicare wellness and preventive visits (G0402, G0438, G0439).
pub(crate) fn is_em(code: &str) -> bool {
    match code.parse::<u32>() {
        Ok(n) => (99202..=99499).contains(&n),
        Err(_) => matches!(code, "G0402" | "G0438" | "G0439" | "G0463"),
    }
}

/// Whether `code` is an office or outpatient visit (CPT 99202–99215), beside which
/// practitioners report quality-data codes.
pub(crate) fn is_office_visit(code: &str) -> bool {
    code.parse::<u32>()
        .is_ok_and(|n| (99202..=99215).contains(&n))
}

/// Whether a service is a major procedure (CMS type of service 2, surgery).
pub(crate) fn is_major(f: &Fee) -> bool {
    f.tos == "2"
}

/// Whether `f` may join the services `chosen` already on the claim (same day).
fn admissible(chosen: &[&Fee], f: &Fee) -> bool {
    chosen.iter().all(|c| {
        c.code != f.code && !(is_em(c.code) && is_em(f.code)) && !(is_major(c) && is_major(f))
    })
}

/// Up to `n` services of one encounter from `pool`, starting with `first` when given, each
/// admissible with the others and accepted by `fits`. A small pool gives fewer services rather
/// than a repeated one: after a few draws with nothing new the list ends.
pub(crate) fn services(
    cx: &mut Cx,
    pool: &Weighted<&'static Fee>,
    first: Option<&'static Fee>,
    n: usize,
    fits: impl Fn(&Fee) -> bool,
) -> Vec<&'static Fee> {
    let mut out: Vec<&'static Fee> = first.into_iter().collect();
    while out.len() < n {
        let found = (0..12)
            .map(|_| *pool.pick(&mut cx.d))
            .find(|f| fits(f) && admissible(&out, f));
        match found {
            Some(f) => out.push(f),
            None => break,
        }
    }
    out
}

/// Places of service that are facilities (the practitioner bills the professional component).
fn in_facility(pos: &str) -> bool {
    matches!(pos, "19" | "21" | "22" | "23" | "24" | "31" | "61")
}

/// The modifier of a line billing `f`: modifier 25 on an E/M beside a same-day procedure,
/// 26 on facility-based interpretations of professional claims (`professional_pos` is the
/// line's place of service; `None` on facility claims, which never carry 26), otherwise one
/// of the fee's other candidate modifiers (laterality, therapy plans), or none.
pub(crate) fn modifier(
    cx: &mut Cx,
    f: &Fee,
    with_procedure: bool,
    professional_pos: Option<&str>,
) -> Option<&'static str> {
    if is_em(f.code) {
        return with_procedure.then_some("25");
    }
    if f.mods.contains(&"26") {
        return professional_pos.filter(|p| in_facility(p)).map(|_| "26");
    }
    let others: Vec<&'static str> = f.mods.iter().copied().filter(|m| *m != "25").collect();
    super::carrier::modifier(cx, &others)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn em_codes() {
        assert!(is_em("99213") && is_em("99232") && is_em("G0463") && is_em("G0439"));
        assert!(!is_em("93000") && !is_em("45378") && !is_em("G0008") && !is_em("99500"));
    }
}
