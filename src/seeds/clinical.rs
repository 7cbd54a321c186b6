//! Clinical seed data: the scenarios every claim is drawn from (`seeds/scenarios.txt`) and the
//! tables they refer to — fee levels per HCPCS code (`seeds/fees.tsv`), DMEPOS items
//! (`seeds/dmepos.tsv`), revenue centers (`seeds/revenue.tsv`), drugs (`seeds/drugs.tsv`),
//! Medicare contractors by state (`seeds/macs.tsv`) and yearly payment parameters
//! (`seeds/medicare.tsv`). Each file is parsed once, on first
//! use; codes stay `&'static str` slices of the compiled-in text, and every reference between
//! the files is resolved at load time, so generation only follows pointers.
//!
//! A malformed file is a defect of the source tree: loading panics and names the line.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::model::{ClaimType, PerType, Sex};
use crate::rng::Draw;
use crate::seeds::{Weighted, tsv_rows};

/// A money amount written in dollars (`123.45`, `7`, `0.5`) as integer cents.
pub fn parse_cents(s: &str) -> Option<i64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || frac.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut cents: i64 = whole.parse::<i64>().ok()? * 100;
    if !frac.is_empty() {
        let f: i64 = frac.parse().ok()?;
        cents += if frac.len() == 1 { f * 10 } else { f };
    }
    Some(cents)
}

fn opt(s: &'static str) -> Option<&'static str> {
    (s != "-").then_some(s)
}

fn list(s: &'static str) -> Vec<&'static str> {
    if s == "-" {
        Vec::new()
    } else {
        s.split(',').collect()
    }
}

fn range(s: &str, what: &str) -> (u32, u32) {
    let (lo, hi) = s.split_once('-').unwrap_or((s, s));
    let p = |x: &str| {
        x.parse::<u32>()
            .unwrap_or_else(|_| panic!("{what}: bad range {s}"))
    };
    (p(lo), p(hi))
}

/// A professional or outpatient service (a row of `seeds/fees.tsv`).
#[derive(Debug)]
pub struct Fee {
    /// HCPCS / CPT code.
    pub code: &'static str,
    /// Medicare allowed amount for one unit, physician fee schedule level, in cents.
    pub fee: i64,
    /// CMS type of service (LINE_CMS_TYPE_SRVC_CD).
    pub tos: &'static str,
    /// Place of service if the code fixes it (inpatient visits, emergency visits, labs).
    pub pos: Option<&'static str>,
    /// Provider specialty if the code fixes it (labs, radiology, anesthesia).
    pub spec: Option<&'static str>,
    /// Hospital outpatient payment (OPPS or lab fee) for one unit, in cents; 0 = packaged.
    pub opps: i64,
    /// Outpatient revenue center.
    pub rev: &'static str,
    /// OPPS status indicator.
    pub si: &'static str,
    /// APC, if paid by one.
    pub apc: Option<&'static str>,
    /// Units billed (inclusive range).
    pub units: (u32, u32),
    /// Candidate modifiers (empty: none).
    pub mods: Vec<&'static str>,
}

impl PartialEq for Fee {
    /// Fee rows are identified by their code.
    fn eq(&self, other: &Fee) -> bool {
        self.code == other.code
    }
}

impl PartialEq for Dmepos {
    /// DMEPOS rows are identified by their code.
    fn eq(&self, other: &Dmepos) -> bool {
        self.code == other.code
    }
}

impl Fee {
    /// Clinical laboratory services are paid in full (no deductible, no coinsurance).
    pub fn is_lab(&self) -> bool {
        self.tos == "5"
    }

    /// Preventive services without cost sharing (wellness visits, vaccines, screenings).
    pub fn is_preventive(&self) -> bool {
        self.tos == "V" || matches!(self.si, "L") || PREVENTIVE.contains(&self.code)
    }

    /// Anesthesia services, billed in time units.
    pub fn is_anesthesia(&self) -> bool {
        self.tos == "7"
    }
}

/// Preventive services Medicare pays in full (no Part B deductible or coinsurance).
const PREVENTIVE: [&str; 14] = [
    "G0438", "G0439", "G0402", "G0444", "77067", "77063", "G0121", "G0105", "G0328", "81528",
    "G0103", "G0447", "G0473", "82270",
];

/// A DMEPOS item (a row of `seeds/dmepos.tsv`).
#[derive(Debug)]
pub struct Dmepos {
    /// HCPCS code.
    pub code: &'static str,
    /// Allowed amount per unit (monthly rental or purchase), in cents.
    pub fee: i64,
    /// Purchase price of the item, in cents.
    pub purchase: i64,
    /// CMS type of service (R rental, P purchase, S supplies…).
    pub tos: &'static str,
    /// Units per claim line (inclusive range).
    pub units: (u32, u32),
    /// Candidate modifiers (the first is always used, the rest are optional).
    pub mods: Vec<&'static str>,
    /// Supplier specialty.
    pub spec: &'static str,
}

/// A revenue center (a row of `seeds/revenue.tsv`).
#[derive(Debug)]
pub struct Revenue {
    /// Four-digit revenue center code.
    pub code: &'static str,
    /// Typical hospital charge per unit, in cents.
    pub charge: i64,
    /// What a unit is: `day`, `unit` or `visit`.
    pub unit: &'static str,
}

/// An institutional line template: a revenue center, optionally with a HCPCS code.
#[derive(Debug, Clone, Copy)]
pub struct RevLine {
    /// The revenue center.
    pub rev: &'static Revenue,
    /// HCPCS code billed on the line, if any.
    pub hcpcs: Option<&'static str>,
}

/// A drug (a row of `seeds/drugs.tsv`).
#[derive(Debug)]
pub struct Drug {
    /// Key used by the scenarios.
    pub key: &'static str,
    /// NDC, 11 digits.
    pub ndc: &'static str,
    /// `B` brand or `G` generic.
    pub brand_generic: &'static str,
    /// Quantity dispensed for 30 days, in thousandths of a unit.
    pub qty30: i64,
    /// Total cost of 30 days' supply, in cents.
    pub cost30: i64,
    /// Days-supply choices.
    pub days: Vec<u32>,
}

/// Medicare contractors and pricing locality of a state (a row of `seeds/macs.tsv`).
#[derive(Debug)]
pub struct Mac {
    /// Postal state abbreviation.
    pub state: &'static str,
    /// SSA state code.
    pub ssa: &'static str,
    /// Part B carrier (MAC) number.
    pub carrier: &'static str,
    /// Physician fee schedule pricing locality.
    pub locality: &'static str,
    /// DME MAC number.
    pub dme: &'static str,
    /// Part A MAC number (FI_NUM).
    pub part_a: &'static str,
    /// Home health and hospice MAC number.
    pub hhh: &'static str,
}

/// One kind of hospital stay in a scenario: the MS-DRGs it groups to, the ICD-10-PCS
/// procedures performed and the revenue centers the procedures bring.
#[derive(Debug)]
pub struct Stay {
    /// MS-DRG codes (three digits), by weight.
    pub drgs: Weighted<&'static str>,
    /// ICD-10-PCS procedure codes (empty for medical stays); the first is the principal.
    pub pcs: Vec<&'static str>,
    /// Extra revenue-center lines of the stay (operating room, implants…).
    pub rev: Vec<RevLine>,
    /// Whether the admission is planned (elective).
    pub elective: bool,
    /// Principal diagnoses of the stay (empty: the scenario's); they decide the DRG.
    pub dx: Vec<&'static str>,
}

/// A clinical scenario: one condition or encounter, with every code a claim of it may carry.
#[derive(Debug)]
pub struct Scenario {
    /// Identifier (`lung_cancer`).
    pub id: &'static str,
    /// Human-readable title.
    pub title: &'static str,
    /// Selection weight per claim type (by `ClaimType::index`).
    pub type_weight: PerType<u32>,
    /// The one sex the scenario fits (`sex F` / `sex M`: its codes are sex-specific), so only
    /// beneficiaries of that sex receive its claims; `None` for either sex.
    pub sex: Option<Sex>,
    /// Principal diagnosis candidates (ICD-10-CM).
    pub dx: Weighted<&'static str>,
    /// Principal diagnosis candidates for particular claim types (override `dx`).
    pub dx_for: PerType<Option<Weighted<&'static str>>>,
    /// Secondary diagnosis candidates.
    pub dx2: Vec<&'static str>,
    /// Signs and symptoms a patient of the scenario presents with on an unplanned hospital
    /// admission (the admitting diagnosis, before the workup finds the principal one).
    pub admitting: Vec<&'static str>,
    /// External cause codes (injuries).
    pub ecode: Vec<&'static str>,
    /// Professional specialties (CMS specialty codes).
    pub spec: Weighted<&'static str>,
    /// Usual place of service of professional claims.
    pub pos: Weighted<&'static str>,
    /// Professional services.
    pub carrier: Weighted<&'static Fee>,
    /// Hospital outpatient services.
    pub outpatient: Weighted<&'static Fee>,
    /// ICD-10-PCS procedures an outpatient claim may report.
    pub op_pcs: Vec<&'static str>,
    /// Outpatient type of bill (facility type, classification), e.g. `13` or `72`.
    pub op_bill: (&'static str, &'static str),
    /// DMEPOS items.
    pub dme: Weighted<&'static Dmepos>,
    /// Hospital stays.
    pub stays: Weighted<Stay>,
    /// Extra SNF lines.
    pub snf: Vec<RevLine>,
    /// Home health clinical group letter (PDGM).
    pub hha_group: &'static str,
    /// Drugs.
    pub drugs: Weighted<&'static Drug>,
}

impl Scenario {
    /// The principal-diagnosis candidates for claims of type `t`.
    pub fn principal_for(&self, t: ClaimType) -> &Weighted<&'static str> {
        self.dx_for[t].as_ref().unwrap_or(&self.dx)
    }

    /// Every ICD-10-CM code the scenario may put on a claim (principal, secondary, external
    /// cause), not counting the shared comorbidities.
    pub fn diagnoses(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.dx
            .items
            .iter()
            .chain(self.dx_for.iter().flatten().flat_map(|w| w.items.iter()))
            .chain(self.dx2.iter())
            .chain(self.admitting.iter())
            .chain(self.ecode.iter())
            .chain(self.stays.items.iter().flat_map(|s| s.dx.iter()))
            .copied()
    }
}

/// A setting's generic line pool (`setting` blocks of `seeds/scenarios.txt`).
#[derive(Debug, Default)]
pub struct Setting {
    /// Room-and-board (or per-diem) lines.
    pub room: Weighted<RevLine>,
    /// Other lines.
    pub lines: Weighted<RevLine>,
}

impl Setting {
    /// A line from the pool, redrawn (up to six times) while it repeats one of `used` (same
    /// revenue center and HCPCS code), so a bill rarely lists a service twice.
    pub fn pick_new(&self, used: &[RevLine], d: &mut Draw) -> RevLine {
        let mut l = *self.lines.pick(d);
        for _ in 0..6 {
            if !used
                .iter()
                .any(|u| u.rev.code == l.rev.code && u.hcpcs == l.hcpcs)
            {
                break;
            }
            l = *self.lines.pick(d);
        }
        l
    }
}

/// Everything in `seeds/scenarios.txt`, resolved.
#[derive(Debug)]
pub struct Clinical {
    /// All scenarios, in file order.
    pub scenarios: Vec<Scenario>,
    /// Per claim type and holder's sex (male, female): indexes of the scenarios with a
    /// positive weight that fit that sex, and their weights.
    pub by_type: PerType<[Weighted<u16>; 2]>,
    /// Comorbidities any claim may list as secondary diagnoses.
    pub comorbid: Vec<&'static str>,
    /// Quality-data codes practitioners report beside office visits ($0.00 lines).
    pub quality: Weighted<&'static Fee>,
    /// Generic line pools by setting name (`inpatient`, `snf`, `hha`, `hospice`).
    pub settings: HashMap<&'static str, Setting>,
}

impl Clinical {
    /// A setting's line pool. Panics on an unknown name (a source defect).
    pub fn setting(&self, name: &str) -> &Setting {
        self.settings
            .get(name)
            .unwrap_or_else(|| panic!("scenarios.txt has no setting {name}"))
    }

    /// A scenario by id.
    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }
}

static FEES: LazyLock<HashMap<&'static str, Fee>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for f in tsv_rows(include_str!("../../seeds/fees.tsv"), 11) {
        let bad = |what: &str| panic!("fees.tsv {}: bad {what}", f[0]);
        let fee = Fee {
            code: f[0],
            fee: parse_cents(f[1]).unwrap_or_else(|| bad("fee")),
            tos: f[2],
            pos: opt(f[3]),
            spec: opt(f[4]),
            opps: match f[5] {
                "-" => -1,
                s => parse_cents(s).unwrap_or_else(|| bad("opps")),
            },
            rev: f[6],
            si: f[7],
            apc: opt(f[8]),
            units: range(f[9], "fees.tsv"),
            mods: list(f[10]),
        };
        let fee = Fee {
            // Without an explicit outpatient amount, the facility payment is about twice the
            // professional fee (labs and drugs are paid the same in both settings).
            opps: if fee.opps >= 0 {
                fee.opps
            } else if fee.is_lab() || fee.code.starts_with(['J', 'Q', 'P']) {
                fee.fee
            } else {
                fee.fee * 2
            },
            ..fee
        };
        assert!(
            m.insert(fee.code, fee).is_none(),
            "fees.tsv: duplicate {}",
            f[0]
        );
    }
    m
});

static DMEPOS: LazyLock<HashMap<&'static str, Dmepos>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for f in tsv_rows(include_str!("../../seeds/dmepos.tsv"), 7) {
        let bad = |what: &str| panic!("dmepos.tsv {}: bad {what}", f[0]);
        let item = Dmepos {
            code: f[0],
            fee: parse_cents(f[1]).unwrap_or_else(|| bad("fee")),
            purchase: parse_cents(f[2]).unwrap_or_else(|| bad("purchase")),
            tos: f[3],
            units: range(f[4], "dmepos.tsv"),
            mods: list(f[5]),
            spec: f[6],
        };
        assert!(
            m.insert(item.code, item).is_none(),
            "dmepos.tsv: duplicate {}",
            f[0]
        );
    }
    m
});

static REVENUE: LazyLock<HashMap<&'static str, Revenue>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for f in tsv_rows(include_str!("../../seeds/revenue.tsv"), 4) {
        let r = Revenue {
            code: f[0],
            charge: parse_cents(f[1]).unwrap_or_else(|| panic!("revenue.tsv {}: bad charge", f[0])),
            unit: f[2],
        };
        assert!(
            matches!(r.unit, "day" | "unit" | "visit"),
            "revenue.tsv {}",
            f[0]
        );
        assert!(
            m.insert(r.code, r).is_none(),
            "revenue.tsv: duplicate {}",
            f[0]
        );
    }
    m
});

static DRUGS: LazyLock<HashMap<&'static str, Drug>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for f in tsv_rows(include_str!("../../seeds/drugs.tsv"), 7) {
        let bad = |what: &str| panic!("drugs.tsv {}: bad {what}", f[0]);
        let qty = parse_thousandths(f[3]).unwrap_or_else(|| bad("qty30"));
        let d = Drug {
            key: f[0],
            ndc: f[1],
            brand_generic: f[2],
            qty30: qty,
            cost30: parse_cents(f[4]).unwrap_or_else(|| bad("cost30")),
            days: f[5]
                .split(',')
                .map(|x| {
                    x.parse()
                        .unwrap_or_else(|_| panic!("drugs.tsv {}: bad days", f[0]))
                })
                .collect(),
        };
        assert!(d.ndc.len() == 11 && d.ndc.bytes().all(|b| b.is_ascii_digit()));
        assert!(matches!(d.brand_generic, "B" | "G"), "drugs.tsv {}", f[0]);
        assert!(
            m.insert(d.key, d).is_none(),
            "drugs.tsv: duplicate {}",
            f[0]
        );
    }
    m
});

static MACS: LazyLock<HashMap<&'static str, Mac>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for f in tsv_rows(include_str!("../../seeds/macs.tsv"), 7) {
        let mac = Mac {
            state: f[0],
            ssa: f[1],
            carrier: f[2],
            locality: f[3],
            dme: f[4],
            part_a: f[5],
            hhh: f[6],
        };
        assert!(
            m.insert(mac.state, mac).is_none(),
            "macs.tsv: duplicate {}",
            f[0]
        );
    }
    m
});

fn parse_thousandths(s: &str) -> Option<i64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 3 {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().ok()? * 10i64.pow(3 - frac.len() as u32)
    };
    Some(w * 1000 + f)
}

/// The fee row of a HCPCS code.
pub fn fee(code: &str) -> Option<&'static Fee> {
    FEES.get(code)
}

/// All fee rows.
pub fn fees() -> impl Iterator<Item = &'static Fee> {
    FEES.values()
}

/// The DMEPOS row of a HCPCS code.
pub fn dmepos(code: &str) -> Option<&'static Dmepos> {
    DMEPOS.get(code)
}

/// All DMEPOS rows.
pub fn dmepos_items() -> impl Iterator<Item = &'static Dmepos> {
    DMEPOS.values()
}

/// A revenue center row.
pub fn revenue(code: &str) -> Option<&'static Revenue> {
    REVENUE.get(code)
}

/// All revenue center rows.
pub fn revenues() -> impl Iterator<Item = &'static Revenue> {
    REVENUE.values()
}

/// A drug by key.
pub fn drug(key: &str) -> Option<&'static Drug> {
    DRUGS.get(key)
}

/// All drugs.
pub fn drugs() -> impl Iterator<Item = &'static Drug> {
    DRUGS.values()
}

/// The contractors of a state (postal abbreviation).
pub fn mac(state: &str) -> Option<&'static Mac> {
    MACS.get(state)
}

/// All contractor rows.
pub fn macs() -> impl Iterator<Item = &'static Mac> {
    MACS.values()
}

/// Medicare payment parameters of one calendar year (a row of `seeds/medicare.tsv`); every
/// amount in cents.
#[derive(Debug)]
pub struct Params {
    /// Calendar year.
    pub year: i32,
    /// Part B annual deductible.
    pub partb_deductible: i64,
    /// Part A inpatient deductible per benefit period.
    pub parta_deductible: i64,
    /// SNF coinsurance per day, days 21–100.
    pub snf_coinsurance: i64,
    /// Hospice routine home care per day, days 1–60.
    pub hospice_rhc_1_60: i64,
    /// Hospice routine home care per day, days 61 and later.
    pub hospice_rhc_61: i64,
    /// Home health 30-day period base payment.
    pub hha_period_base: i64,
    /// IPPS operating standardized amount.
    pub ipps_operating: i64,
    /// IPPS capital federal rate.
    pub ipps_capital: i64,
    /// Average SNF PPS per diem.
    pub snf_per_diem: i64,
    /// Hospice general inpatient care per day.
    pub hospice_gip: i64,
}

static PARAMS: LazyLock<Vec<Params>> = LazyLock::new(|| {
    let mut v: Vec<Params> = tsv_rows(include_str!("../../seeds/medicare.tsv"), 11)
        .map(|f| {
            let c = |i: usize| {
                parse_cents(f[i]).unwrap_or_else(|| panic!("medicare.tsv {}: bad amount", f[0]))
            };
            Params {
                year: f[0].parse().expect("medicare.tsv: year"),
                partb_deductible: c(1),
                parta_deductible: c(2),
                snf_coinsurance: c(3),
                hospice_rhc_1_60: c(4),
                hospice_rhc_61: c(5),
                hha_period_base: c(6),
                ipps_operating: c(7),
                ipps_capital: c(8),
                snf_per_diem: c(9),
                hospice_gip: c(10),
            }
        })
        .collect();
    v.sort_by_key(|p| p.year);
    assert!(!v.is_empty(), "medicare.tsv is empty");
    v
});

/// The payment parameters of `year` (the nearest year the table has).
pub fn params(year: i32) -> &'static Params {
    let v = &*PARAMS;
    let first = v[0].year;
    let i = (year - first).clamp(0, v.len() as i32 - 1) as usize;
    &v[i]
}

static CLINICAL: LazyLock<Clinical> =
    LazyLock::new(|| parse_scenarios(include_str!("../../seeds/scenarios.txt")));

/// The scenarios and setting pools.
pub fn clinical() -> &'static Clinical {
    &CLINICAL
}

/// `code` or `code:weight`.
fn weighted_token(t: &'static str, line: usize) -> (&'static str, u32) {
    match t.split_once(':') {
        Some((c, w)) => (
            c,
            w.parse()
                .unwrap_or_else(|_| panic!("scenarios.txt line {line}: bad weight in {t}")),
        ),
        None => (t, 1),
    }
}

fn rev_line(t: &'static str, line: usize) -> RevLine {
    let (rev, hcpcs) = match t.split_once('/') {
        Some((r, h)) => (r, Some(h)),
        None => (t, None),
    };
    RevLine {
        rev: revenue(rev).unwrap_or_else(|| {
            panic!("scenarios.txt line {line}: revenue center {rev} is not in revenue.tsv")
        }),
        hcpcs,
    }
}

fn parse_scenarios(text: &'static str) -> Clinical {
    let mut scenarios: Vec<Scenario> = Vec::new();
    let mut comorbid = Vec::new();
    let mut quality = Weighted::default();
    let mut settings: HashMap<&'static str, Setting> = HashMap::new();
    enum Block {
        None,
        Scenario,
        Setting(&'static str),
    }
    let mut block = Block::None;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let l = raw.split('#').next().unwrap_or("").trim();
        if l.is_empty() {
            continue;
        }
        let (key, rest) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
        let rest = rest.trim();
        let toks = || rest.split_whitespace();
        match key {
            "scenario" => {
                let (id, title) = rest.split_once(char::is_whitespace).unwrap_or((rest, rest));
                assert!(
                    scenarios.iter().all(|s| s.id != id),
                    "scenarios.txt line {n}: duplicate scenario {id}"
                );
                scenarios.push(Scenario {
                    id,
                    title: title.trim(),
                    type_weight: PerType::default(),
                    sex: None,
                    dx: Weighted::default(),
                    dx_for: Default::default(),
                    dx2: Vec::new(),
                    admitting: Vec::new(),
                    ecode: Vec::new(),
                    spec: Weighted::default(),
                    pos: Weighted::default(),
                    carrier: Weighted::default(),
                    outpatient: Weighted::default(),
                    op_pcs: Vec::new(),
                    op_bill: ("1", "3"),
                    dme: Weighted::default(),
                    stays: Weighted::default(),
                    snf: Vec::new(),
                    hha_group: "L",
                    drugs: Weighted::default(),
                });
                block = Block::Scenario;
                continue;
            }
            "setting" => {
                settings.entry(rest).or_default();
                block = Block::Setting(rest);
                continue;
            }
            "comorbid" => {
                comorbid.extend(toks());
                continue;
            }
            "quality" => {
                for t in toks() {
                    let (c, w) = weighted_token(t, n);
                    let f = fee(c).unwrap_or_else(|| {
                        panic!("scenarios.txt line {n}: {c} has no row in fees.tsv")
                    });
                    quality.push(f, w);
                }
                continue;
            }
            _ => {}
        }
        match block {
            Block::None => panic!("scenarios.txt line {n}: {key} outside a block"),
            Block::Setting(name) => {
                let s = settings.get_mut(name).expect("setting exists");
                let target = match key {
                    "room" => &mut s.room,
                    "lines" => &mut s.lines,
                    _ => panic!("scenarios.txt line {n}: unknown setting key {key}"),
                };
                for t in toks() {
                    let (c, w) = weighted_token(t, n);
                    target.push(rev_line(c, n), w);
                }
            }
            Block::Scenario => {
                let s = scenarios.last_mut().expect("a scenario is open");
                parse_scenario_line(s, key, rest, n);
            }
        }
    }
    let by_type = PerType::from_fn(|t| {
        [Sex::Male, Sex::Female].map(|sex| {
            let mut w = Weighted::default();
            for (i, s) in scenarios.iter().enumerate() {
                if s.type_weight[t] > 0 && s.sex.is_none_or(|only| only == sex) {
                    w.push(i as u16, s.type_weight[t]);
                }
            }
            w
        })
    });
    let c = Clinical {
        scenarios,
        by_type,
        comorbid,
        quality,
        settings,
    };
    check(&c);
    c
}

fn parse_scenario_line(s: &mut Scenario, key: &str, rest: &'static str, n: usize) {
    let toks = || rest.split_whitespace();
    let codes = |w: &mut Weighted<&'static str>| {
        for t in toks() {
            let (c, wt) = weighted_token(t, n);
            w.push(c, wt);
        }
    };
    if let Some(t) = key.strip_prefix("dx@") {
        let t = ClaimType::from_name(t)
            .unwrap_or_else(|| panic!("scenarios.txt line {n}: unknown claim type {t}"));
        let mut w = Weighted::default();
        codes(&mut w);
        s.dx_for[t] = Some(w);
        return;
    }
    match key {
        "types" => {
            for t in toks() {
                let (name, w) = t
                    .split_once('=')
                    .unwrap_or_else(|| panic!("scenarios.txt line {n}: {t}"));
                let ct = ClaimType::from_name(name)
                    .unwrap_or_else(|| panic!("scenarios.txt line {n}: unknown type {name}"));
                s.type_weight[ct] = w
                    .parse()
                    .unwrap_or_else(|_| panic!("scenarios.txt line {n}: {t}"));
            }
        }
        "sex" => {
            s.sex = Some(match rest {
                "F" => Sex::Female,
                "M" => Sex::Male,
                _ => panic!("scenarios.txt line {n}: sex {rest}, expected F or M"),
            })
        }
        "dx" => codes(&mut s.dx),
        "dx2" => s.dx2.extend(toks()),
        "adm" => s.admitting.extend(toks()),
        "ecode" => s.ecode.extend(toks()),
        "spec" => codes(&mut s.spec),
        "pos" => codes(&mut s.pos),
        "carrier" | "outpatient" => {
            let target = if key == "carrier" {
                &mut s.carrier
            } else {
                &mut s.outpatient
            };
            for t in toks() {
                let (c, w) = weighted_token(t, n);
                let f = fee(c).unwrap_or_else(|| {
                    panic!("scenarios.txt line {n}: {c} has no row in fees.tsv")
                });
                target.push(f, w);
            }
        }
        "oppcs" => s.op_pcs.extend(toks()),
        "opbill" => {
            let (a, b) = rest.split_at(1);
            s.op_bill = (a, b);
        }
        "dme" => {
            for t in toks() {
                let (c, w) = weighted_token(t, n);
                let item = dmepos(c).unwrap_or_else(|| {
                    panic!("scenarios.txt line {n}: {c} has no row in dmepos.tsv")
                });
                s.dme.push(item, w);
            }
        }
        "stay" => {
            let mut stay = Stay {
                drgs: Weighted::default(),
                pcs: Vec::new(),
                rev: Vec::new(),
                elective: false,
                dx: Vec::new(),
            };
            let mut w = 1;
            for t in toks() {
                let (k, v) = t
                    .split_once('=')
                    .unwrap_or_else(|| panic!("scenarios.txt line {n}: {t}"));
                match k {
                    "drg" => {
                        for x in v.split(',') {
                            let (c, wt) = weighted_token(x, n);
                            stay.drgs.push(c, wt);
                        }
                    }
                    "pcs" => stay.pcs.extend(v.split(',')),
                    "dx" => stay.dx.extend(v.split(',')),
                    "rev" => stay.rev.extend(v.split(',').map(|r| rev_line(r, n))),
                    "w" => w = v.parse().expect("stay weight"),
                    "elective" => stay.elective = v == "1",
                    _ => panic!("scenarios.txt line {n}: unknown stay key {k}"),
                }
            }
            assert!(
                !stay.drgs.is_empty(),
                "scenarios.txt line {n}: stay without drg"
            );
            s.stays.push(stay, w);
        }
        "snf" => s.snf.extend(toks().map(|r| rev_line(r, n))),
        "hha" => s.hha_group = rest,
        "drugs" => {
            for t in toks() {
                let (c, w) = weighted_token(t, n);
                let d = drug(c).unwrap_or_else(|| {
                    panic!("scenarios.txt line {n}: drug {c} is not in drugs.tsv")
                });
                s.drugs.push(d, w);
            }
        }
        _ => panic!("scenarios.txt line {n}: unknown key {key}"),
    }
}

/// Every scenario that can be drawn for a type has what that type needs.
fn check(c: &Clinical) {
    for s in &c.scenarios {
        let w = |t: ClaimType| s.type_weight[t] > 0;
        let need = |ok: bool, what: &str| {
            assert!(ok, "scenario {}: {what}", s.id);
        };
        need(!s.dx.is_empty(), "no dx");
        need(
            !w(ClaimType::Carrier) || !s.carrier.is_empty(),
            "carrier without codes",
        );
        need(
            !w(ClaimType::Carrier) || !s.spec.is_empty(),
            "carrier without spec",
        );
        need(
            !w(ClaimType::Outpatient) || !s.outpatient.is_empty(),
            "outpatient without codes",
        );
        need(!w(ClaimType::Dme) || !s.dme.is_empty(), "dme without items");
        need(
            !w(ClaimType::Inpatient) || !s.stays.is_empty(),
            "inpatient without stays",
        );
        need(
            !w(ClaimType::PartD) || !s.drugs.is_empty(),
            "pde without drugs",
        );
    }
    for name in ["inpatient", "snf", "hha", "hospice"] {
        let st = c.setting(name);
        assert!(
            !st.room.is_empty() && !st.lines.is_empty(),
            "setting {name}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_parse_to_cents() {
        assert_eq!(parse_cents("123.45"), Some(12345));
        assert_eq!(parse_cents("7"), Some(700));
        assert_eq!(parse_cents("0.5"), Some(50));
        assert_eq!(parse_cents("1.234"), None);
        assert_eq!(parse_cents("-1"), None);
        assert_eq!(parse_thousandths("8.5"), Some(8500));
        assert_eq!(parse_thousandths("30"), Some(30_000));
    }

    #[test]
    fn every_type_has_scenarios() {
        let c = clinical();
        assert!(c.scenarios.len() >= 40, "{}", c.scenarios.len());
        for t in ClaimType::ALL {
            for by_sex in &c.by_type[t] {
                assert!(by_sex.items.len() >= 5, "{t:?}");
            }
        }
    }

    /// Every code of a scenario that fits only one sex (`codes::sex`) is in a scenario of that
    /// sex, and the codes any claim may carry (comorbidities, quality codes, settings) fit
    /// both: so a claim dealt by its holder's sex never carries the other sex's codes.
    #[test]
    fn sex_specific_codes_only_in_scenarios_of_that_sex() {
        use crate::codes::sex::{hcpcs_sex, icd10cm_sex, icd10pcs_sex};
        let c = clinical();
        let mut sexed = 0;
        for s in &c.scenarios {
            let pcs = s.stays.items.iter().flat_map(|st| st.pcs.iter());
            let hcpcs = s.carrier.items.iter().chain(s.outpatient.items.iter());
            let found: Vec<(String, Sex)> = s
                .diagnoses()
                .filter_map(|d| icd10cm_sex(d).map(|x| (d.to_string(), x)))
                .chain(
                    pcs.chain(s.op_pcs.iter())
                        .filter_map(|p| icd10pcs_sex(p).map(|x| (p.to_string(), x))),
                )
                .chain(hcpcs.filter_map(|f| hcpcs_sex(f.code).map(|x| (f.code.to_string(), x))))
                .collect();
            for (code, sex) in &found {
                assert_eq!(s.sex, Some(*sex), "scenario {}: {code}", s.id);
            }
            sexed += usize::from(s.sex.is_some());
        }
        assert!(sexed >= 3, "{sexed} scenarios of one sex");
        for d in &c.comorbid {
            assert_eq!(icd10cm_sex(d), None, "comorbidity {d}");
        }
        for f in &c.quality.items {
            assert_eq!(hcpcs_sex(f.code), None, "quality code {}", f.code);
        }
    }
}
