//! Scopes: the sandbox's default capabilities, the consent form's condensing and demographic
//! choice, refresh narrowing, and what each scope unlocks. A set is a bit mask written in one
//! fixed order (the sandbox builds its string from a Python set, in no fixed order).

/// The three FHIR resource types an app can be given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Patient = 0,
    Coverage = 1,
    ExplanationOfBenefit = 2,
}

const RESOURCES: [&str; 3] = ["Patient", "Coverage", "ExplanationOfBenefit"];

impl Resource {
    /// The three, in the order the routes are registered.
    pub const ALL: [Resource; 3] = [
        Resource::Patient,
        Resource::Coverage,
        Resource::ExplanationOfBenefit,
    ];

    /// The FHIR resource type, as its paths and scopes spell it.
    pub fn name(self) -> &'static str {
        RESOURCES[self as usize]
    }
}
/// Per-resource scope suffixes, in output order.
const KINDS: [&str; 4] = ["rs", "read", "r", "s"];
const OPENID: u32 = 1;
const PROFILE: u32 = 2;
const LAUNCH: u32 = 4;

fn bit(r: usize, kind: usize) -> u32 {
    8 << (r * 4 + kind)
}

/// A set of scopes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Scopes(u32);

impl Scopes {
    /// Every default capability of an app (what an authorize without `scope` asks for).
    pub fn defaults() -> Scopes {
        Scopes((1 << (3 + 12)) - 1)
    }

    /// Parses a space-separated list; `None` if any scope is unknown (→ "Invalid scopes.").
    pub fn parse(text: &str) -> Option<Scopes> {
        let mut set = 0;
        for s in text.split_whitespace() {
            set |= match s {
                "openid" => OPENID,
                "profile" => PROFILE,
                "launch/patient" => LAUNCH,
                _ => resource_scope(s)?,
            };
        }
        Some(Scopes(set))
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// `.r` + `.s` of a resource become `.rs` (the consent form's `clean`).
    pub fn condensed(self) -> Scopes {
        let mut set = self.0;
        for r in 0..RESOURCES.len() {
            let (rs, read, search) = (bit(r, 0), bit(r, 2), bit(r, 3));
            if set & read != 0 && set & search != 0 {
                set = (set & !(read | search)) | rs;
            }
        }
        Scopes(set)
    }

    /// Without `profile` and `patient/Patient.*` (the beneficiary did not share demographics).
    pub fn without_demographics(self) -> Scopes {
        let patient = (0..KINDS.len()).fold(0, |m, k| m | bit(0, k));
        Scopes(self.0 & !(PROFILE | patient))
    }

    /// Whether `profile` is in the set (needed by userinfo).
    pub fn has_profile(self) -> bool {
        self.0 & PROFILE != 0
    }

    /// Whether the set lets a token read resources of type `r` by id.
    pub fn can_read(self, r: Resource) -> bool {
        let r = r as usize;
        self.0 & (bit(r, 0) | bit(r, 1) | bit(r, 2)) != 0
    }

    /// Whether the set lets a token search resources of type `r`.
    pub fn can_search(self, r: Resource) -> bool {
        let r = r as usize;
        self.0 & (bit(r, 0) | bit(r, 1) | bit(r, 3)) != 0
    }

    /// Whether every scope of `asked` is within this (original) set, counting `.r` and `.s`
    /// as parts of `.rs` and `.read` (refresh may narrow, never widen).
    pub fn covers(self, asked: Scopes) -> bool {
        let plain = OPENID | PROFILE | LAUNCH;
        if asked.0 & plain & !self.0 != 0 {
            return false;
        }
        (0..RESOURCES.len()).all(|r| {
            let res = Resource::ALL[r];
            let wants_read = asked.0 & (bit(r, 0) | bit(r, 1) | bit(r, 2)) != 0;
            let wants_search = asked.0 & (bit(r, 0) | bit(r, 1) | bit(r, 3)) != 0;
            (!wants_read || self.can_read(res)) && (!wants_search || self.can_search(res))
        })
    }

    /// `self` ∩ `other`.
    pub fn and(self, other: Scopes) -> Scopes {
        Scopes(self.0 & other.0)
    }
}

fn resource_scope(s: &str) -> Option<u32> {
    let (res, kind) = s.strip_prefix("patient/")?.split_once('.')?;
    let r = RESOURCES.iter().position(|x| *x == res)?;
    let k = KINDS.iter().position(|x| *x == kind)?;
    Some(bit(r, k))
}

impl std::fmt::Display for Scopes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<String> = Vec::new();
        for (b, name) in [
            (OPENID, "openid"),
            (PROFILE, "profile"),
            (LAUNCH, "launch/patient"),
        ] {
            if self.0 & b != 0 {
                names.push(name.to_string());
            }
        }
        for (r, res) in RESOURCES.iter().enumerate() {
            for (k, kind) in KINDS.iter().enumerate() {
                if self.0 & bit(r, k) != 0 {
                    names.push(format!("patient/{res}.{kind}"));
                }
            }
        }
        f.write_str(&names.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_condense_and_print() {
        let s = Scopes::parse("patient/Coverage.s openid patient/Coverage.r").unwrap();
        assert_eq!(s.condensed().to_string(), "openid patient/Coverage.rs");
        assert!(Scopes::parse("patient/AuditEvent.read").is_none());
        assert!(Scopes::parse("patient/Coverage.write").is_none());
        let d = Scopes::defaults().condensed();
        assert!(
            d.to_string()
                .starts_with("openid profile launch/patient patient/Patient.rs")
        );
        assert!(!d.without_demographics().has_profile());
        assert!(!d.without_demographics().can_read(Resource::Patient));
    }

    #[test]
    fn enforcement_and_narrowing() {
        let r = Scopes::parse("patient/Patient.r").unwrap();
        assert!(r.can_read(Resource::Patient) && !r.can_search(Resource::Patient));
        let s = Scopes::parse("patient/Patient.s").unwrap();
        assert!(!s.can_read(Resource::Patient) && s.can_search(Resource::Patient));
        let orig = Scopes::parse("openid patient/Patient.rs").unwrap();
        assert!(orig.covers(r) && orig.covers(s));
        assert!(!orig.covers(Scopes::parse("profile").unwrap()));
        assert!(!r.covers(Scopes::parse("patient/Patient.rs").unwrap()));
    }
}
