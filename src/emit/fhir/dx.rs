//! The diagnosis and procedure columns of each claim type's header (the same in every FHIR
//! version; where each version writes them is its own).

use std::sync::OnceLock;

use crate::model::ClaimType;
use crate::schema::Col;

/// Diagnosis columns of a claim table, found once per type.
pub struct DxCol {
    /// The code column.
    pub code: Col,
    /// The ICD version column beside it.
    pub version: Option<Col>,
    /// The present-on-admission column and its variable.
    pub poa: Option<(Col, &'static str)>,
    /// What kind of diagnosis it holds.
    pub kind: DxKind,
}

/// What a diagnosis column holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DxKind {
    /// The admitting diagnosis.
    Admitting,
    /// The principal diagnosis.
    Principal,
    /// A numbered (`ICD_DGNS_CD<n>`) diagnosis.
    Other,
    /// An external cause of injury.
    External,
    /// A patient's reason for visit.
    Reason,
}

/// Procedure columns of a claim table.
pub struct ProcCol {
    /// The code column.
    pub code: Col,
    /// The ICD version column beside it.
    pub version: Option<Col>,
    /// The procedure date column.
    pub date: Option<Col>,
}

/// The diagnosis and procedure columns of one claim type, in the API's order.
pub struct TypeCols {
    /// Diagnoses: admitting, principal, numbered, external causes, reasons for visit.
    pub dx: Vec<DxCol>,
    /// The numbered ICD procedures.
    pub px: Vec<ProcCol>,
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The diagnosis and procedure columns of a claim type, found once per type.
pub fn type_cols(t: ClaimType) -> &'static TypeCols {
    static CELLS: [OnceLock<TypeCols>; 8] = [const { OnceLock::new() }; 8];
    CELLS[t.index()].get_or_init(|| {
        let table = t.header_table();
        let col = |n: &str| Col::by_name(n).filter(|c| table.position(*c).is_some());
        let mut dx = Vec::new();
        let mut add = |code: &str, version: &str, poa: Option<String>, kind| {
            if let Some(c) = col(code) {
                let poa = poa.and_then(|p| col(&p).map(|pc| (pc, leak(p.to_lowercase()))));
                dx.push(DxCol {
                    code: c,
                    version: col(version),
                    poa,
                    kind,
                });
            }
        };
        add(
            "ADMTG_DGNS_CD",
            "ADMTG_DGNS_VRSN_CD",
            None,
            DxKind::Admitting,
        );
        add(
            "PRNCPAL_DGNS_CD",
            "PRNCPAL_DGNS_VRSN_CD",
            None,
            DxKind::Principal,
        );
        for n in 1..=25 {
            add(
                &format!("ICD_DGNS_CD{n}"),
                &format!("ICD_DGNS_VRSN_CD{n}"),
                Some(format!("CLM_POA_IND_SW{n}")),
                DxKind::Other,
            );
        }
        add(
            "FST_DGNS_E_CD",
            "FST_DGNS_E_VRSN_CD",
            None,
            DxKind::External,
        );
        for n in 1..=12 {
            add(
                &format!("ICD_DGNS_E_CD{n}"),
                &format!("ICD_DGNS_E_VRSN_CD{n}"),
                Some(format!("CLM_E_POA_IND_SW{n}")),
                DxKind::External,
            );
        }
        for n in 1..=3 {
            add(
                &format!("RSN_VISIT_CD{n}"),
                &format!("RSN_VISIT_VRSN_CD{n}"),
                None,
                DxKind::Reason,
            );
        }
        let mut px = Vec::new();
        for n in 1..=25 {
            if let Some(c) = col(&format!("ICD_PRCDR_CD{n}")) {
                px.push(ProcCol {
                    code: c,
                    version: col(&format!("ICD_PRCDR_VRSN_CD{n}")),
                    date: col(&format!("PRCDR_DT{n}")),
                });
            }
        }
        TypeCols { dx, px }
    })
}
