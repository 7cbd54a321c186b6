//! The beneficiary's Blue Button variables that every FHIR version writes the same way: the
//! monthly enrollment columns, the extensions of each part's Coverage (and those Patient
//! shares), which parts a beneficiary has Coverage for, and when each part's coverage ran.

use std::sync::OnceLock;

use crate::emit::fhir::elements::{coding_extension, present, put, write_value};
use crate::emit::fhir::json::J;
use crate::emit::fhir::vars::VARS;
use crate::model::Beneficiary;
use crate::schema::Col;
use crate::value::Value;

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEPT", "OCT", "NOV", "DEC",
];

/// Monthly beneficiary columns, resolved once.
pub struct Monthly {
    pub dual: [Col; 12],
    pub buyin: [Col; 12],
    pub hmo: [Col; 12],
    pub ptc_cntrct: [Col; 12],
    pub ptc_pbp: [Col; 12],
    pub ptc_plan_type: [Col; 12],
    pub ptd_cntrct: [Col; 12],
    pub ptd_pbp: [Col; 12],
    pub ptd_sgmt: [Col; 12],
    pub rds: [Col; 12],
    pub cst_shr: [Col; 12],
}

pub fn monthly() -> &'static Monthly {
    static M: OnceLock<Monthly> = OnceLock::new();
    M.get_or_init(|| {
        let by = |f: &dyn Fn(usize) -> String| -> [Col; 12] {
            std::array::from_fn(|m| {
                let n = f(m);
                Col::by_name(&n).unwrap_or_else(|| panic!("no column {n}"))
            })
        };
        Monthly {
            dual: by(&|m| format!("META_DUAL_ELGBL_STUS_{}_CD", MONTHS[m])),
            buyin: by(&|m| format!("MDCR_ENTLMT_BUYIN_{}_IND", m + 1)),
            hmo: by(&|m| format!("HMO_{}_IND", m + 1)),
            ptc_cntrct: by(&|m| format!("PTC_CNTRCT_{}_ID", MONTHS[m])),
            ptc_pbp: by(&|m| format!("PTC_PBP_{}_ID", MONTHS[m])),
            ptc_plan_type: by(&|m| format!("PTC_PLAN_TYPE_{}_CD", MONTHS[m])),
            ptd_cntrct: by(&|m| format!("PTD_CNTRCT_{}_ID", MONTHS[m])),
            ptd_pbp: by(&|m| format!("PTD_PBP_{}_ID", MONTHS[m])),
            ptd_sgmt: by(&|m| format!("PTD_SGMT_{}_ID", MONTHS[m])),
            rds: by(&|m| format!("RDS_{}_IND", MONTHS[m])),
            cst_shr: by(&|m| format!("CST_SHR_GRP_{}_CD", MONTHS[m])),
        }
    })
}

/// The extension of one beneficiary column.
pub fn ext_col(j: &mut J<'_>, b: &Beneficiary, var: &str, col: Col) {
    coding_extension(j, &[VARS, var], col, &b.record.get(col), 0);
}

/// Monthly extensions `<var>01` … `<var>12` (or `<var>_01` with `sep`).
pub fn ext_monthly(j: &mut J<'_>, b: &Beneficiary, var: &str, sep: &str, cols: &[Col; 12]) {
    const MM: [&str; 12] = [
        "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
    ];
    for (m, col) in cols.iter().enumerate() {
        coding_extension(j, &[VARS, var, sep, MM[m]], *col, &b.record.get(*col), 0);
    }
}

/// The `rfrnc_yr` extension (a `valueDate` holding the year).
pub fn ext_year(j: &mut J<'_>, b: &Beneficiary) {
    let y = b.record.get(Col::RFRNC_YR);
    if present(&y) {
        let m = j.begin();
        j.str_parts("url", &[VARS, "rfrnc_yr"]);
        let mut s = Vec::new();
        write_value(&mut s, &y);
        j.lit("valueDate", std::str::from_utf8(&s).unwrap_or(""));
        j.end(m);
    }
}
/// The Medicare parts a beneficiary has Coverage for: A and B always, C with a Part C
/// contract, D with a Part D contract.
pub fn parts(b: &Beneficiary) -> impl Iterator<Item = char> + '_ {
    let contract = |cols: &[Col; 12]| {
        cols.iter().any(|c| {
            b.record
                .get(*c)
                .as_str()
                .and_then(|s| s.trim().chars().next())
                .is_some_and(|ch| ch.is_ascii_alphabetic())
        })
    };
    let m = monthly();
    let c = contract(&m.ptc_cntrct);
    let d = contract(&m.ptd_cntrct);
    ['a', 'b', 'c', 'd'].into_iter().filter(move |p| match p {
        'c' => c,
        'd' => d,
        _ => true,
    })
}

/// One entry of a Coverage's `extension` list.
enum CoverageExt {
    /// A beneficiary column as the variable named.
    Col(&'static str, Col),
    /// Twelve monthly columns as `<var><sep><MM>`.
    Monthly(&'static str, &'static str, fn(&Monthly) -> &[Col; 12]),
    /// `rfrnc_yr`.
    Year,
    /// The Part D contracts again, by reference year and month (`ptdcntrct01/2025-1`).
    ContractsByYear,
}

use CoverageExt::{Col as C, ContractsByYear, Monthly as M, Year};

const DUAL: CoverageExt = M("dual", "_", |m| &m.dual);
const BUYIN: CoverageExt = M("buyin", "", |m| &m.buyin);
const MS_CD: CoverageExt = C("ms_cd", Col::BENE_MDCR_STATUS_CD);

/// Each part's extensions, in the API's order.
const PART_A: &[CoverageExt] = &[
    MS_CD,
    C("orec", Col::BENE_ENTLMT_RSN_ORIG),
    C("crec", Col::BENE_ENTLMT_RSN_CURR),
    C("esrd_ind", Col::BENE_ESRD_IND),
    C("a_trm_cd", Col::BENE_PTA_TRMNTN_CD),
    Year,
    DUAL,
    BUYIN,
];
const PART_B: &[CoverageExt] = &[
    MS_CD,
    C("b_trm_cd", Col::BENE_PTB_TRMNTN_CD),
    Year,
    DUAL,
    BUYIN,
];
const PART_C: &[CoverageExt] = &[
    M("ptc_cntrct_id", "_", |m| &m.ptc_cntrct),
    M("ptc_pbp_id", "_", |m| &m.ptc_pbp),
    M("ptc_plan_type_cd", "_", |m| &m.ptc_plan_type),
    M("hmo_ind", "_", |m| &m.hmo),
    Year,
    DUAL,
];
const PART_D: &[CoverageExt] = &[
    MS_CD,
    M("ptdcntrct", "", |m| &m.ptd_cntrct),
    ContractsByYear,
    M("ptdpbpid", "", |m| &m.ptd_pbp),
    M("sgmtid", "", |m| &m.ptd_sgmt),
    M("cstshr", "", |m| &m.cst_shr),
    M("rdsind", "", |m| &m.rds),
    Year,
    DUAL,
];

/// `extension`: each part's enrollment variables.
pub fn coverage_extensions(j: &mut J<'_>, b: &Beneficiary, part: char) {
    let list = match part {
        'a' => PART_A,
        'b' => PART_B,
        'c' => PART_C,
        _ => PART_D,
    };
    let m = monthly();
    let ea = j.arr("extension");
    for e in list {
        match e {
            C(var, col) => ext_col(j, b, var, *col),
            M(var, sep, cols) => ext_monthly(j, b, var, sep, cols(m)),
            Year => ext_year(j, b),
            ContractsByYear => contracts_by_year(j, b, &m.ptd_cntrct),
        }
    }
    j.end_arr(ea);
}

/// The Part D contract of each month keyed by reference year and month.
fn contracts_by_year(j: &mut J<'_>, b: &Beneficiary, cols: &[Col; 12]) {
    let r = &b.record;
    let mut year = Vec::new();
    write_value(&mut year, &r.get(Col::RFRNC_YR));
    if let Ok(y) = std::str::from_utf8(&year)
        && !y.is_empty()
    {
        for (i, col) in cols.iter().enumerate() {
            let mm = format!("{:02}/{y}-{}", i + 1, i + 1);
            coding_extension(j, &[VARS, "ptdcntrct", &mm], *col, &r.get(*col), 0);
        }
    }
}

/// Whether a part's coverage has ended: its termination code is set and not `0` (Parts A
/// and B; C and D have none).
pub fn part_ended(b: &Beneficiary, part: char) -> bool {
    let term = match part {
        'a' => b.record.get(Col::BENE_PTA_TRMNTN_CD),
        'b' => b.record.get(Col::BENE_PTB_TRMNTN_CD),
        _ => Value::Null,
    };
    match term {
        Value::Int(i) => i != 0,
        v => v.as_str().is_some_and(|s| !matches!(s.trim(), "" | "0")),
    }
}

/// The columns of a part's coverage period (start, end); Part C has none.
pub fn coverage_period(part: char) -> Option<(Col, Col)> {
    match part {
        'a' => Some((Col::PTA_CVRG_STRT_DT, Col::PTA_CVRG_END_DT)),
        'b' => Some((Col::PTB_CVRG_STRT_DT, Col::PTB_CVRG_END_DT)),
        'd' => Some((Col::PTD_CVRG_STRT_DT, Col::PTD_CVRG_END_DT)),
        _ => None,
    }
}

/// The FHIR `gender` of a beneficiary and its SNOMED code for US Core's sex extension (none
/// when the sex is unknown).
pub fn gender(b: &Beneficiary) -> (&'static str, Option<&'static str>) {
    let sex = b.record.get(Col::BENE_SEX_IDENT_CD);
    let sex = sex
        .as_str()
        .map(str::trim)
        .map(str::to_owned)
        .or_else(|| sex.as_int().map(|i| i.to_string()));
    match sex.as_deref() {
        Some("1") => ("male", Some("248153007")),
        Some("2") => ("female", Some("248152002")),
        _ => ("unknown", None),
    }
}

/// `"id":"part-<part>-<bene_id>"`, the Coverage id both API versions use.
pub fn coverage_id(j: &mut J<'_>, bene_id: &str, part: char) {
    let p = [part as u8];
    let p = std::str::from_utf8(&p).unwrap_or("a");
    j.str_parts("id", &["part-", p, "-", bene_id]);
}

/// The MBI identifier's `period` (from its effective dates), when it has a start.
pub fn mbi_period(j: &mut J<'_>, b: &Beneficiary) {
    let r = &b.record;
    let from = r.get(Col::EFCTV_BGN_DT);
    if present(&from) {
        let p = j.obj("period");
        put(j, "start", &from);
        put(j, "end", &r.get(Col::EFCTV_END_DT));
        j.end(p);
    }
}
