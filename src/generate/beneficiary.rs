//! Beneficiaries: sandbox log-in, demographics, address and a year of monthly enrollment.

use fake::Fake;
use fake::faker::address::en::{StreetName, StreetSuffix};
use fake::faker::name::en::{FirstName, LastName};

use crate::model::{Beneficiary, Record, ids};
use crate::options::Options;
use crate::rng::{Domain, Draw};
use crate::schema::{BENEFICIARIES, Col};
use crate::seeds::places;
use crate::value::{Date, InlineStr, Value};

/// The twelve monthly columns of each kind, January first.
macro_rules! months {
    ($p:literal, $s:literal) => {
        [
            concat!($p, "JAN", $s),
            concat!($p, "FEB", $s),
            concat!($p, "MAR", $s),
            concat!($p, "APR", $s),
            concat!($p, "MAY", $s),
            concat!($p, "JUN", $s),
            concat!($p, "JUL", $s),
            concat!($p, "AUG", $s),
            concat!($p, "SEPT", $s),
            concat!($p, "OCT", $s),
            concat!($p, "NOV", $s),
            concat!($p, "DEC", $s),
        ]
    };
}

/// Monthly column names by kind; resolved to [`Col`]s once.
struct MonthCols {
    fips: [Col; 12],
    status: [Col; 12],
    buyin: [Col; 12],
    hmo: [Col; 12],
    ptc_contract: [Col; 12],
    ptc_pbp: [Col; 12],
    ptc_type: [Col; 12],
    ptd_contract: [Col; 12],
    ptd_pbp: [Col; 12],
    ptd_segment: [Col; 12],
    rds: [Col; 12],
    dual: [Col; 12],
    cost_share: [Col; 12],
}

static MONTH_COLS: std::sync::LazyLock<MonthCols> = std::sync::LazyLock::new(|| {
    let c = |names: [&str; 12]| names.map(|n| Col::by_name(n).expect("monthly column"));
    let numbered = |fmt: &dyn Fn(usize) -> String| {
        std::array::from_fn(|m| Col::by_name(&fmt(m + 1)).expect("monthly column"))
    };
    MonthCols {
        fips: c(months!("FIPS_STATE_CNTY_", "_CD")),
        status: c(months!("MDCR_STUS_", "_CD")),
        buyin: numbered(&|m| format!("MDCR_ENTLMT_BUYIN_{m}_IND")),
        hmo: numbered(&|m| format!("HMO_{m}_IND")),
        ptc_contract: c(months!("PTC_CNTRCT_", "_ID")),
        ptc_pbp: c(months!("PTC_PBP_", "_ID")),
        ptc_type: c(months!("PTC_PLAN_TYPE_", "_CD")),
        ptd_contract: c(months!("PTD_CNTRCT_", "_ID")),
        ptd_pbp: c(months!("PTD_PBP_", "_ID")),
        ptd_segment: c(months!("PTD_SGMT_", "_ID")),
        rds: c(months!("RDS_", "_IND")),
        dual: c(months!("META_DUAL_ELGBL_STUS_", "_CD")),
        cost_share: c(months!("CST_SHR_GRP_", "_CD")),
    }
});

/// CCW race codes (BENE_RACE_CD) and their weights among Medicare beneficiaries
/// (1 White, 2 Black, 3 Other, 4 Asian, 5 Hispanic, 6 North American Native, 0 Unknown).
const RACES: [(&str, u32); 7] = [
    ("1", 760),
    ("2", 100),
    ("3", 20),
    ("4", 40),
    ("5", 70),
    ("6", 6),
    ("0", 4),
];

/// Part C (Medicare Advantage) contracts and plan types used for enrolled beneficiaries.
const PART_C_CONTRACTS: [&str; 6] = ["H0028", "H0524", "H1036", "H3312", "H5216", "R5826"];
/// Stand-alone Part D contracts (PDPs).
const PART_D_CONTRACTS: [&str; 6] = ["S4802", "S5601", "S5617", "S5810", "S5921", "S7694"];

/// The monthly Medicare status columns (`MDCR_STUS_JAN_CD` …), which repeat
/// `BENE_MDCR_STATUS_CD` for every month of the year.
pub(super) fn status_months() -> &'static [Col; 12] {
    &MONTH_COLS.status
}

/// Beneficiary `i` from the stream `(seed, Beneficiary, i)`.
pub fn beneficiary(opts: &Options, i: u64) -> Beneficiary {
    let mut d = Draw::new(opts.seed, Domain::Beneficiary, i);
    let mut r = Record::new(&BENEFICIARIES);
    let bene_id = ids::bene_id(i);
    let end = opts.end_date;
    let (ref_year, _, _) = end.ymd();

    r.set(Col::BENE_ID, Value::Int(bene_id));
    r.set(Col::MBI_NUM, Value::Text(ids::mbi(i)));
    r.set(
        Col::BENE_CRNT_HIC_NUM,
        Value::Text(InlineStr::build(|w| {
            w.push_str("T");
            w.push_num(i, 9);
            w.push_str("A");
        })),
    );

    // Sex, name.
    let female = d.chance(0.55);
    r.set(
        Col::BENE_SEX_IDENT_CD,
        Value::Str(if female { "2" } else { "1" }),
    );
    let given: String = FirstName().fake_with_rng(d.rng());
    let family: String = LastName().fake_with_rng(d.rng());
    let middle: String = FirstName().fake_with_rng(d.rng());
    r.set(Col::BENE_GVN_NAME, Value::text(clip(&given, 15)));
    r.set(Col::BENE_SRNM_NAME, Value::text(clip(&family, 24)));
    r.set(Col::BENE_MDL_NAME, Value::text(clip(&middle, 1)));

    // Race.
    let race = RACES[d.weighted(&RACES.map(|(_, w)| w))].0;
    r.set(Col::BENE_RACE_CD, Value::Str(race));
    r.set(Col::RTI_RACE_CD, Value::Str(race));

    // Entitlement: most are entitled by age; some younger through disability or ESRD.
    let reason = d.weighted(&[830, 150, 8, 12]); // 0 old age, 1 disability, 2 ESRD, 3 both
    let age_years = match reason {
        0 => 65 + d.weighted(&[30, 25, 20, 14, 8, 3]) as i32 * 5 + d.range(0, 4) as i32,
        _ => d.range(25, 64) as i32,
    };
    let birth = end.plus(-(age_years * 365 + d.range(0, 364) as i32));
    r.set(Col::BENE_BIRTH_DT, Value::Date(birth));
    let (by, bm, _) = birth.ymd();
    let age_at_end = ref_year - by - i32::from(end.ymd().1 < bm);
    r.set(Col::AGE, Value::Int(i64::from(age_at_end)));
    let reason_code = ["0", "1", "2", "3"][reason];
    r.set(Col::BENE_ENTLMT_RSN_ORIG, Value::Str(reason_code));
    r.set(
        Col::BENE_ENTLMT_RSN_CURR,
        Value::Str(if reason == 1 && age_years >= 65 {
            "0"
        } else {
            reason_code
        }),
    );
    let esrd = reason >= 2;
    r.set(Col::BENE_ESRD_IND, Value::Str(if esrd { "Y" } else { "0" }));
    let status = match (reason, esrd) {
        (0, _) => "10",
        (1, _) => "20",
        (2, _) => "31",
        _ => "21",
    };
    r.set(Col::BENE_MDCR_STATUS_CD, Value::Str(status));
    r.set(Col::BENE_PTA_TRMNTN_CD, Value::Str("0"));
    r.set(Col::BENE_PTB_TRMNTN_CD, Value::Str("0"));

    // Coverage start: the 65th birthday month, or a disability/ESRD start in the past.
    let cov_start = if reason == 0 {
        Date::from_ymd(by + 65, bm, 1).expect("first of month")
    } else {
        end.plus(-(d.range(400, 20 * 365) as i32)).month_start()
    };
    r.set(Col::COVSTART, Value::Date(cov_start));
    r.set(Col::PTA_CVRG_STRT_DT, Value::Date(cov_start));
    r.set(Col::PTB_CVRG_STRT_DT, Value::Date(cov_start));

    // Address.
    let place = *places().pick(&mut d);
    let zip4 = d.range(1, 9999) as u64;
    let zip9 = InlineStr::build(|w| {
        w.push_str(place.zip5);
        w.push_num(zip4, 4);
    });
    r.set(Col::STATE_CODE, Value::Str(place.ssa_state));
    r.set(Col::BENE_COUNTY_CD, Value::Str(place.ssa_county));
    r.set(Col::BENE_ZIP_CD, Value::Text(zip9));
    r.set(Col::STATE_CNTY_ZIP_CD, Value::Text(zip9));
    r.set(Col::STATE_CD, Value::Str(place.state));
    r.set(Col::CITY_NAME, Value::Str(place.city));
    let street: String = StreetName().fake_with_rng(d.rng());
    let suffix: String = StreetSuffix().fake_with_rng(d.rng());
    let number = d.range(1, 9999) as u64;
    let line1 = InlineStr::build(|w| {
        w.push_num(number, 1);
        w.push_str(" ");
        let rest = format!("{street} {suffix}").to_uppercase();
        w.push_str(clip(&rest, InlineStr::CAPACITY - 5));
    });
    r.set(Col::DRVD_LINE_1_ADR, Value::Text(line1));

    // Death: a few die in the reference year.
    let dies = d.chance(0.03);
    if dies {
        let dd = end.plus(-(d.range(0, 364) as i32));
        r.set(Col::DEATH_DT, Value::Date(dd));
        r.set(Col::V_DOD_SW, Value::Str("V"));
    }

    // A year of monthly enrollment for the reference year.
    let part_c = d.chance(0.28);
    let part_d = d.chance(0.78);
    let dual = d.chance(0.17);
    let c_contract = *d.pick(&PART_C_CONTRACTS);
    let d_contract = if part_c {
        c_contract
    } else {
        *d.pick(&PART_D_CONTRACTS)
    };
    let pbp = InlineStr::build(|w| w.push_num(d.range(1, 30) as u64, 3));
    let m = &*MONTH_COLS;
    for mo in 0..12 {
        r.set(m.fips[mo], Value::Str(place.fips_county));
        r.set(m.status[mo], Value::Str(status));
        r.set(m.buyin[mo], Value::Str(if dual { "C" } else { "3" }));
        r.set(m.hmo[mo], Value::Str(if part_c { "C" } else { "0" }));
        if part_c {
            r.set(m.ptc_contract[mo], Value::Str(c_contract));
            r.set(m.ptc_pbp[mo], Value::Text(pbp));
            r.set(m.ptc_type[mo], Value::Str("01"));
        }
        if part_d {
            r.set(m.ptd_contract[mo], Value::Str(d_contract));
            r.set(m.ptd_pbp[mo], Value::Text(pbp));
            r.set(m.ptd_segment[mo], Value::Str("000"));
        }
        r.set(m.rds[mo], Value::Str("N"));
        r.set(m.dual[mo], Value::Str(if dual { "02" } else { "NA" }));
        r.set(
            m.cost_share[mo],
            Value::Str(match (part_d, dual) {
                (false, _) => "00",
                (true, true) => "01",
                (true, false) => "09",
            }),
        );
    }
    let months = Value::Int(12);
    r.set(Col::RFRNC_YR, Value::Int(i64::from(ref_year)));
    r.set(Col::A_MO_CNT, months);
    r.set(Col::B_MO_CNT, months);
    r.set(Col::BUYIN_MO_CNT, Value::Int(if dual { 12 } else { 0 }));
    r.set(Col::HMO_MO_CNT, Value::Int(if part_c { 12 } else { 0 }));
    r.set(Col::RDS_MO_CNT, Value::Int(0));
    r.set(Col::DUAL_MO_CNT, Value::Int(if dual { 12 } else { 0 }));
    r.set(
        Col::PLAN_CVRG_MO_CNT,
        Value::Int(if part_d { 12 } else { 0 }),
    );
    r.set(Col::ENRL_SRC, Value::Str("CME"));
    r.set(Col::CRNT_BIC, Value::Str("A"));
    let year_start = Date::from_ymd(ref_year, 1, 1).expect("Jan 1");
    r.set(Col::EFCTV_BGN_DT, Value::Date(year_start));
    if part_d {
        let start = cov_start.max(Date::from_ymd(2006, 1, 1).expect("date"));
        r.set(Col::PTD_CVRG_STRT_DT, Value::Date(start));
    }

    Beneficiary {
        index: i,
        bene_id,
        username: ids::username(i),
        password: ids::password(i),
        record: r,
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_non_nullable_column_is_filled() {
        let opts = Options::default();
        for i in [0, 1, 29_999, 123_456] {
            let b = beneficiary(&opts, i);
            for (c, v) in BENEFICIARIES.columns.iter().zip(b.record.values()) {
                assert!(c.nullable || !v.is_null(), "{} is empty", c.db);
            }
        }
    }

    #[test]
    fn beneficiaries_are_mostly_over_65() {
        let opts = Options::default();
        let n = 2000;
        let old = (0..n)
            .filter(|&i| beneficiary(&opts, i).record.get(Col::AGE).as_int().unwrap() >= 65)
            .count();
        assert!(old > n as usize * 3 / 4 && old < n as usize, "{old}");
    }
}
