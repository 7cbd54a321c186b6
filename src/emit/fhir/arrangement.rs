//! The arrangement of each claim type, shared by every FHIR version: its profile, EOB and
//! claim type codes, the Coverage it is paid under, the columns that become extensions,
//! supporting information, adjudications, totals and benefit balances (with their CARIN C4BB
//! categories, which R4 writes and STU3 maps to Blue Button codes), and the rules that differ
//! by type: where the care team, the provider and the facility come from. One EOB builder per
//! version (`r4::eob`, `stu3::eob`) reads these for all eight claim types.

use crate::emit::fhir::elements::{Adj, Cat};
use crate::emit::fhir::vars::*;
use crate::model::ClaimType;
use crate::schema::Col;

/// The value of a supporting-information entry.
#[derive(Clone, Copy, Debug)]
pub enum InfoValue {
    /// `code` with the variable as system.
    Code(&'static str),
    /// `code` in the given code system.
    CodeIn(&'static str),
    /// `timingDate`.
    Date,
    /// `timingPeriod` from the column to the end column given.
    Period(Col),
    /// `valueQuantity`.
    Quantity,
    /// `valueQuantity` in US pints.
    Pints,
}

/// A column written as `supportingInfo`.
#[derive(Clone, Copy, Debug)]
pub struct Info {
    /// The column.
    pub col: Col,
    /// The C4BB supporting-info type (code, display); `None` for the generic `info`.
    pub category: Option<(&'static str, &'static str)>,
    /// The Blue Button information variable ("" when the category alone names it).
    pub info: &'static str,
    /// Its CCW label.
    pub label: &'static str,
    /// The value.
    pub value: InfoValue,
}

/// Everything type-specific about one claim type's ExplanationOfBenefit.
pub struct TypeSpec {
    /// The claim type.
    pub kind: ClaimType,
    /// The C4BB profile.
    pub profile: &'static str,
    /// The `eob-type` code (`CARRIER`, …).
    pub eob_type: &'static str,
    /// The HL7 claim-type (code, display).
    pub claim_type: (&'static str, &'static str),
    /// The C4BB institutional subtype (code, text), for institutional claims.
    pub sub_type: Option<(&'static str, &'static str)>,
    /// The Coverage the claim is paid under (`part-a`, `part-b`, `part-d`).
    pub part: &'static str,
    /// Claim-level extensions.
    pub ext: &'static [Ext],
    /// Supporting information.
    pub info: &'static [Info],
    /// Line-level extensions.
    pub item_ext: &'static [Ext],
    /// Line adjudication amounts.
    pub item_adj: &'static [Adj],
    /// Claim totals.
    pub total: &'static [Adj],
    /// Benefit balance entries.
    pub balance: &'static [Balance],
    /// The rules that differ by type: ids, care team, provider, facility, lines.
    pub rules: &'static Rules,
}

/// The spec of a claim type.
pub fn spec(t: ClaimType) -> &'static TypeSpec {
    match t {
        ClaimType::Carrier => &CARRIER,
        ClaimType::Inpatient => &INPATIENT,
        ClaimType::Outpatient => &OUTPATIENT,
        ClaimType::Dme => &DME,
        ClaimType::Hha => &HHA,
        ClaimType::Hospice => &HOSPICE,
        ClaimType::Snf => &SNF,
        ClaimType::PartD => &PDE,
    }
}

macro_rules! type_spec {
    ($name:ident, $kind:ident, $profile:literal, $eob:literal, $ct:expr, $sub:expr, $part:literal,
     $ext:ident, $info:ident, $iext:ident, $iadj:ident, $total:ident, $bal:ident,
     $rules:ident) => {
        /// The spec of this claim type.
        pub static $name: TypeSpec = TypeSpec {
            kind: ClaimType::$kind,
            profile: concat!(
                "http://hl7.org/fhir/us/carin-bb/StructureDefinition/",
                $profile
            ),
            eob_type: $eob,
            claim_type: $ct,
            sub_type: $sub,
            part: $part,
            ext: $ext,
            info: $info,
            item_ext: $iext,
            item_adj: $iadj,
            total: $total,
            balance: $bal,
            rules: &$rules,
        };
    };
}

/// The shape of a claim type's RIF record, which decides the shape of its EOB: professional
/// claims (carrier, DME) have lines with lab results and line diagnoses, institutional claims
/// revenue-center lines and a contained billing Organization, Part D events no lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Carrier and DME.
    Professional,
    /// Inpatient, outpatient, HHA, hospice, SNF.
    Institutional,
    /// Part D events.
    Pharmacy,
}

/// Care team roles: (code, display, system); a role is an index into this list.
pub const ROLES: [(&str, &str, &str); 7] = [
    ("referring", "Referring", C4BB_ROLE),
    ("attending", "Attending", C4BB_ROLE),
    ("operating", "Operating", C4BB_ROLE),
    ("otheroperating", "Other Operating", C4BB_ROLE),
    ("performing", "Performing provider", C4BB_ROLE),
    (
        "primary",
        "Primary provider",
        "http://terminology.hl7.org/CodeSystem/claimcareteamrole",
    ),
    ("prescribing", "Prescribing provider", C4BB_ROLE),
];
const C4BB_ROLE: &str = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimCareTeamRole";
const REFERRING: usize = 0;
const ATTENDING: usize = 1;
const OPERATING: usize = 2;
const OTHER_OPERATING: usize = 3;
/// The role of a line's performing provider.
pub const PERFORMING: usize = 4;
/// The role of a line's primary provider (its organization).
pub const PRIMARY: usize = 5;
const PRESCRIBING: usize = 6;

/// A header column that names a care team member.
#[derive(Clone, Copy, Debug)]
pub struct CareCol {
    /// The column.
    pub col: Col,
    /// Its role (an index into [`ROLES`]).
    pub role: usize,
    /// Whether it holds a UPIN rather than an NPI.
    pub upin: bool,
}

/// Where a claim's lines name their providers.
#[derive(Clone, Copy, Debug)]
pub struct LineCare {
    /// The performing provider's NPI.
    pub npi: Col,
    /// The performing provider's UPIN, used when the NPI is empty.
    pub upin: Option<Col>,
    /// The primary provider (the line's organization).
    pub primary: Option<Col>,
    /// Extensions of a performing member, from the first line that names it.
    pub ext: &'static [Ext],
}

/// Where the (required) `provider` comes from.
#[derive(Clone, Copy, Debug)]
pub enum Provider {
    /// A header billing NPI, with its Blue Button variable as system.
    BillingNpi(Col, &'static str),
    /// The first line NPI, as a Practitioner.
    FirstLineNpi(Col),
    /// A header NPI.
    Npi(Col),
    /// The contained billing Organization, when the claim names one.
    Organization,
}

/// What differs between claim types besides the lists of columns.
#[derive(Debug)]
pub struct Rules {
    /// The record's shape.
    pub shape: Shape,
    /// The id column and its Blue Button variable.
    pub id: (Col, &'static str),
    /// The columns of `billablePeriod` (start, end).
    pub period: (Col, Col),
    /// `billablePeriod` extensions.
    pub period_ext: &'static [Ext],
    /// Care team members named on the header, in order.
    pub care: &'static [CareCol],
    /// Care team members named on the lines (none for Part D).
    pub line_care: Option<LineCare>,
    /// Where `provider` comes from.
    pub provider: Provider,
    /// `facility` extensions.
    pub facility_ext: &'static [Ext],
    /// The facility's NPI.
    pub facility_npi: Option<Col>,
    /// `insurance.coverage` extensions.
    pub coverage_ext: &'static [Ext],
    /// Whether the numbered (`ICD_DGNS_CD<n>`) diagnoses are typed `secondary` rather than
    /// `other`.
    pub other_dx_secondary: bool,
    /// Whether a line's HCPCS code is also written with the `hcpcs_cd` variable as system.
    pub hcpcs_var: bool,
}

const fn care(col: Col, role: usize, upin: bool) -> CareCol {
    CareCol { col, role, upin }
}

const PROFESSIONAL_CARE: &[CareCol] = &[
    care(Col::RFR_PHYSN_NPI, REFERRING, false),
    care(Col::RFR_PHYSN_UPIN, REFERRING, true),
];
const INSTITUTIONAL_CARE: &[CareCol] = &[
    care(Col::AT_PHYSN_NPI, ATTENDING, false),
    care(Col::OP_PHYSN_NPI, OPERATING, false),
    care(Col::OT_PHYSN_NPI, OTHER_OPERATING, false),
    care(Col::AT_PHYSN_UPIN, ATTENDING, true),
    care(Col::OP_PHYSN_UPIN, OPERATING, true),
    care(Col::OT_PHYSN_UPIN, OTHER_OPERATING, true),
];
const EXT_PRTCPTNG_IND_CD: Ext = Ext::coding(Col::PRTCPTNG_IND_CD, "prtcptng_ind_cd");
const CLAIM_PERIOD: (Col, Col) = (Col::CLM_FROM_DT, Col::CLM_THRU_DT);
const CLAIM_ID: (Col, &str) = (Col::CLM_ID, "clm_id");

const PROFESSIONAL_RULES: Rules = Rules {
    shape: Shape::Professional,
    id: CLAIM_ID,
    period: CLAIM_PERIOD,
    period_ext: &[],
    care: PROFESSIONAL_CARE,
    line_care: None,
    provider: Provider::Organization,
    facility_ext: &[],
    facility_npi: None,
    coverage_ext: &[],
    other_dx_secondary: true,
    hcpcs_var: false,
};

/// Carrier claims.
pub static CARRIER_RULES: Rules = Rules {
    line_care: Some(LineCare {
        npi: Col::PRF_PHYSN_NPI,
        upin: Some(Col::PRF_PHYSN_UPIN),
        primary: Some(Col::ORG_NPI_NUM),
        ext: &[
            Ext::coding(Col::CARR_LINE_PRVDR_TYPE_CD, "carr_line_prvdr_type_cd"),
            EXT_PRTCPTNG_IND_CD,
        ],
    }),
    provider: Provider::BillingNpi(Col::CARR_CLM_BLG_NPI_NUM, "carr_clm_blg_npi_num"),
    ..PROFESSIONAL_RULES
};

/// DME claims.
pub static DME_RULES: Rules = Rules {
    line_care: Some(LineCare {
        npi: Col::PRVDR_NPI,
        upin: None,
        primary: None,
        ext: &[EXT_PRTCPTNG_IND_CD],
    }),
    provider: Provider::FirstLineNpi(Col::PRVDR_NPI),
    ..PROFESSIONAL_RULES
};

/// Outpatient, hospice and SNF claims.
pub static INSTITUTIONAL_RULES: Rules = Rules {
    shape: Shape::Institutional,
    id: CLAIM_ID,
    period: CLAIM_PERIOD,
    period_ext: &[Ext::coding(Col::CLAIM_QUERY_CODE, "claim_query_cd")],
    care: INSTITUTIONAL_CARE,
    line_care: Some(LineCare {
        npi: Col::RNDRNG_PHYSN_NPI,
        upin: Some(Col::RNDRNG_PHYSN_UPIN),
        primary: None,
        ext: &[],
    }),
    provider: Provider::Organization,
    facility_ext: &[Ext::coding(Col::CLM_FAC_TYPE_CD, "clm_fac_type_cd")],
    facility_npi: None,
    coverage_ext: &[],
    other_dx_secondary: false,
    hcpcs_var: false,
};

/// Inpatient claims: HCPCS codes also under the `hcpcs_cd` variable.
pub static INPATIENT_RULES: Rules = Rules {
    hcpcs_var: true,
    ..INSTITUTIONAL_RULES
};

/// HHA claims: numbered diagnoses are secondary, as on professional claims.
pub static HHA_RULES: Rules = Rules {
    other_dx_secondary: true,
    ..INSTITUTIONAL_RULES
};

/// Part D events.
pub static PDE_RULES: Rules = Rules {
    shape: Shape::Pharmacy,
    id: (Col::PDE_ID, "pde_id"),
    period: (Col::SRVC_DT, Col::SRVC_DT),
    period_ext: &[],
    care: &[care(Col::PRSCRBR_ID, PRESCRIBING, false)],
    line_care: None,
    provider: Provider::Npi(Col::SRVC_PRVDR_ID),
    facility_ext: &[Ext::coding(Col::PHRMCY_SRVC_TYPE_CD, "phrmcy_srvc_type_cd")],
    facility_npi: Some(Col::SRVC_PRVDR_ID),
    coverage_ext: &[
        Ext {
            col: Col::PLAN_CNTRCT_REC_ID,
            var: "plan_cntrct_rec_id",
            kind: ExtKind::Identifier,
        },
        Ext {
            col: Col::PLAN_PBP_REC_NUM,
            var: "plan_pbp_rec_num",
            kind: ExtKind::Identifier,
        },
    ],
    other_dx_secondary: true,
    hcpcs_var: false,
};

const INSTITUTIONAL: (&str, &str) = ("institutional", "Institutional");

type_spec!(
    CARRIER,
    Carrier,
    "C4BB-ExplanationOfBenefit-Professional-NonClinician",
    "CARRIER",
    ("professional", "Professional"),
    None,
    "part-b",
    CARRIER_EXT,
    CARRIER_INFO,
    CARRIER_ITEM_EXT,
    CARRIER_ITEM_ADJ,
    CARRIER_TOTAL,
    CARRIER_BALANCE,
    CARRIER_RULES
);
// As the API serves them: DME claims carry the institutional profile and claim type and
// point at Part A; HHA claims the professional ones with an inpatient subtype.
type_spec!(
    DME,
    Dme,
    "C4BB-ExplanationOfBenefit-Inpatient-Institutional",
    "DME",
    INSTITUTIONAL,
    None,
    "part-a",
    DME_EXT,
    DME_INFO,
    DME_ITEM_EXT,
    DME_ITEM_ADJ,
    DME_TOTAL,
    DME_BALANCE,
    DME_RULES
);
type_spec!(
    INPATIENT,
    Inpatient,
    "C4BB-ExplanationOfBenefit-Inpatient-Institutional",
    "INPATIENT",
    INSTITUTIONAL,
    Some(("inpatient", "Inpatient")),
    "part-a",
    INPATIENT_EXT,
    INPATIENT_INFO,
    INPATIENT_ITEM_EXT,
    INPATIENT_ITEM_ADJ,
    INPATIENT_TOTAL,
    INPATIENT_BALANCE,
    INPATIENT_RULES
);
type_spec!(
    SNF,
    Snf,
    "C4BB-ExplanationOfBenefit-Inpatient-Institutional",
    "SNF",
    INSTITUTIONAL,
    Some(("inpatient", "Inpatient")),
    "part-a",
    SNF_EXT,
    SNF_INFO,
    SNF_ITEM_EXT,
    SNF_ITEM_ADJ,
    SNF_TOTAL,
    SNF_BALANCE,
    INSTITUTIONAL_RULES
);
type_spec!(
    OUTPATIENT,
    Outpatient,
    "C4BB-ExplanationOfBenefit-Outpatient-Institutional",
    "OUTPATIENT",
    INSTITUTIONAL,
    Some(("outpatient", "Outpatient")),
    "part-b",
    OUTPATIENT_EXT,
    OUTPATIENT_INFO,
    OUTPATIENT_ITEM_EXT,
    OUTPATIENT_ITEM_ADJ,
    OUTPATIENT_TOTAL,
    OUTPATIENT_BALANCE,
    INSTITUTIONAL_RULES
);
type_spec!(
    HHA,
    Hha,
    "C4BB-ExplanationOfBenefit-Professional-NonClinician",
    "HHA",
    ("professional", "Professional"),
    Some(("inpatient", "Inpatient")),
    "part-b",
    HHA_EXT,
    HHA_INFO,
    HHA_ITEM_EXT,
    HHA_ITEM_ADJ,
    HHA_TOTAL,
    HHA_BALANCE,
    HHA_RULES
);
type_spec!(
    HOSPICE,
    Hospice,
    "C4BB-ExplanationOfBenefit-Inpatient-Institutional",
    "HOSPICE",
    INSTITUTIONAL,
    Some(("inpatient", "Inpatient")),
    "part-a",
    HOSPICE_EXT,
    HOSPICE_INFO,
    HOSPICE_ITEM_EXT,
    HOSPICE_ITEM_ADJ,
    HOSPICE_TOTAL,
    HOSPICE_BALANCE,
    INSTITUTIONAL_RULES
);
type_spec!(
    PDE,
    PartD,
    "C4BB-ExplanationOfBenefit-Pharmacy",
    "PDE",
    ("pharmacy", "Pharmacy"),
    None,
    "part-d",
    PDE_EXT,
    PDE_INFO,
    PDE_ITEM_EXT,
    PDE_ITEM_ADJ,
    PDE_TOTAL,
    PDE_BALANCE,
    PDE_RULES
);

/// Claim-level extensions of carrier claims.
pub static CARRIER_EXT: &[Ext] = &[
    EXT_NCH_NEAR_LINE_REC_IDENT_CD,
    EXT_CARR_NUM,
    EXT_CARR_CLM_CNTL_NUM,
    EXT_CARR_CLM_PMT_DNL_CD,
    EXT_ASGMNTCD,
    EXT_CLM_CLNCL_TRIL_NUM,
    EXT_CARR_CLM_ENTRY_CD,
];
/// Supporting information of carrier claims.
pub static CARRIER_INFO: &[Info] = &[INFO_NCH_WKLY_PROC_DT];
/// Line-level extensions of carrier claims.
pub static CARRIER_ITEM_EXT: &[Ext] = &[
    Ext {
        col: Col::CARR_LINE_MTUS_CNT,
        var: "carr_line_mtus_cnt",
        kind: ExtKind::Quantity,
    },
    Ext::coding(Col::CARR_LINE_MTUS_CNT, "carr_line_mtus_cnt"),
    Ext::coding(Col::CARR_LINE_MTUS_CD, "carr_line_mtus_cd"),
    EXT_BETOS_CD,
    EXT_LINE_BENE_PRMRY_PYR_CD,
    EXT_LINE_PRCSG_IND_CD,
    EXT_LINE_SERVICE_DEDUCTIBLE,
];
/// Line adjudication amounts of carrier claims.
pub static CARRIER_ITEM_ADJ: &[Adj] = &[
    ADJ_LINE_NCH_PMT_AMT,
    ADJ_LINE_BENE_PMT_AMT,
    ADJ_LINE_PRVDR_PMT_AMT,
    ADJ_LINE_BENE_PTB_DDCTBL_AMT,
    ADJ_LINE_BENE_PRMRY_PYR_PD_AMT,
    ADJ_LINE_COINSRNC_AMT,
    ADJ_LINE_SBMTD_CHRG_AMT,
    ADJ_LINE_ALOWD_CHRG_AMT,
];
/// Claim totals of carrier claims.
pub static CARRIER_TOTAL: &[Adj] = &[ADJ_CLM_TOT_CHRG_AMT];
/// Benefit balance of carrier claims.
pub static CARRIER_BALANCE: &[Balance] = &[
    BALANCE_CARR_CLM_CASH_DDCTBL_APLD_AMT,
    BALANCE_NCH_CLM_PRVDR_PMT_AMT,
    BALANCE_NCH_CLM_BENE_PMT_AMT,
    BALANCE_NCH_CARR_CLM_SBMTD_CHRG_AMT,
    BALANCE_NCH_CARR_CLM_ALOWD_AMT,
];

/// Claim-level extensions of inpatient claims.
pub static INPATIENT_EXT: &[Ext] = &[
    EXT_NCH_NEAR_LINE_REC_IDENT_CD,
    EXT_FI_CLM_ACTN_CD,
    Ext {
        col: Col::IME_OP_CLM_VAL_AMT,
        var: "ime_op_clm_val_amt",
        kind: ExtKind::Money,
    },
    Ext {
        col: Col::CLM_UNCOMPD_CARE_PMT_AMT,
        var: "clm_uncompd_care_pmt_amt",
        kind: ExtKind::Money,
    },
    Ext {
        col: Col::DSH_OP_CLM_VAL_AMT,
        var: "dsh_op_clm_val_amt",
        kind: ExtKind::Money,
    },
    EXT_FI_DOC_CLM_CNTL_NUM,
    EXT_FI_CLM_PROC_DT,
    EXT_CLM_MDCR_NON_PMT_RSN_CD,
    EXT_CLM_SRVC_CLSFCTN_TYPE_CD,
    EXT_FI_NUM,
];
/// Supporting information of inpatient claims.
pub static INPATIENT_INFO: &[Info] = &[
    INFO_NCH_PTNT_STUS_IND_CD,
    INFO_CLM_ADMSN_DT,
    INFO_CLM_IP_ADMSN_TYPE_CD,
    INFO_CLM_SRC_IP_ADMSN_CD,
    INFO_CLM_DRG_CD,
    INFO_NCH_BLOOD_PNTS_FRNSHD_QTY,
    INFO_CLM_MCO_PD_SW,
    INFO_CLM_FREQ_CD,
    INFO_PTNT_DSCHRG_STUS_CD,
    INFO_NCH_PRMRY_PYR_CD,
    INFO_NCH_WKLY_PROC_DT,
];
/// Line-level extensions of inpatient claims.
pub static INPATIENT_ITEM_EXT: &[Ext] = &[];
/// Line adjudication amounts of inpatient claims.
pub static INPATIENT_ITEM_ADJ: &[Adj] = &[
    ADJ_REV_CNTR_RATE_AMT,
    ADJ_REV_CNTR_TOT_CHRG_AMT,
    ADJ_REV_CNTR_NCVRD_CHRG_AMT,
];
/// Claim totals of inpatient claims.
pub static INPATIENT_TOTAL: &[Adj] = &[ADJ_CLM_TOT_CHRG_AMT_2];
/// Benefit balance of inpatient claims.
pub static INPATIENT_BALANCE: &[Balance] = &[
    Balance {
        col: Col::CLM_PASS_THRU_PER_DIEM_AMT,
        var: "clm_pass_thru_per_diem_amt",
        label: "Claim Pass Thru Per Diem Amount",
        kind: BalanceKind::Money,
    },
    BALANCE_NCH_PROFNL_CMPNT_CHRG_AMT,
    Balance {
        col: Col::CLM_TOT_PPS_CPTL_AMT,
        var: "clm_tot_pps_cptl_amt",
        label: "Claim Total PPS Capital Amount",
        kind: BalanceKind::Money,
    },
    BALANCE_BENE_TOT_COINSRNC_DAYS_CNT,
    BALANCE_CLM_NON_UTLZTN_DAYS_CNT,
    BALANCE_NCH_BENE_IP_DDCTBL_AMT,
    BALANCE_NCH_BENE_PTA_COINSRNC_LBLTY_AMT,
    BALANCE_NCH_IP_NCVRD_CHRG_AMT,
    BALANCE_NCH_IP_TOT_DDCTN_AMT,
    BALANCE_CLM_PPS_CPTL_DSPRPRTNT_SHR_AMT,
    BALANCE_CLM_PPS_CPTL_EXCPTN_AMT,
    BALANCE_CLM_PPS_CPTL_FSP_AMT,
    BALANCE_CLM_PPS_CPTL_IME_AMT,
    BALANCE_CLM_PPS_CPTL_OUTLIER_AMT,
    BALANCE_CLM_PPS_OLD_CPTL_HLD_HRMLS_AMT,
    Balance {
        col: Col::NCH_DRG_OUTLIER_APRVD_PMT_AMT,
        var: "nch_drg_outlier_aprvd_pmt_amt",
        label: "NCH DRG Outlier Approved Payment Amount",
        kind: BalanceKind::Money,
    },
    BALANCE_NCH_BENE_BLOOD_DDCTBL_LBLTY_AM,
    BALANCE_PRPAYAMT,
    BALANCE_CLM_UTLZTN_DAY_CNT,
    Balance {
        col: Col::CLM_PPS_CPTL_DRG_WT_NUM,
        var: "clm_pps_cptl_drg_wt_num",
        label: "Claim PPS Capital DRG Weight Number",
        kind: BalanceKind::UnsignedInt,
    },
    Balance {
        col: Col::BENE_LRD_USED_CNT,
        var: "bene_lrd_used_cnt",
        label: "Beneficiary Medicare Lifetime Reserve Days (LRD) Used Count",
        kind: BalanceKind::UnsignedInt,
    },
];

/// Claim-level extensions of outpatient claims.
pub static OUTPATIENT_EXT: &[Ext] = &[
    EXT_NCH_NEAR_LINE_REC_IDENT_CD,
    EXT_FI_DOC_CLM_CNTL_NUM,
    EXT_FI_CLM_PROC_DT,
    EXT_CLM_MDCR_NON_PMT_RSN_CD,
    EXT_CLM_SRVC_CLSFCTN_TYPE_CD,
    EXT_FI_NUM,
];
/// Supporting information of outpatient claims.
pub static OUTPATIENT_INFO: &[Info] = &[
    INFO_NCH_WKLY_PROC_DT,
    INFO_CLM_MCO_PD_SW,
    INFO_CLM_FREQ_CD,
    INFO_PTNT_DSCHRG_STUS_CD,
    INFO_NCH_PRMRY_PYR_CD,
];
/// Line-level extensions of outpatient claims.
pub static OUTPATIENT_ITEM_EXT: &[Ext] = &[EXT_REV_CNTR_UNIT_CNT];
/// Line adjudication amounts of outpatient claims.
pub static OUTPATIENT_ITEM_ADJ: &[Adj] = &[
    ADJ_REV_CNTR_RATE_AMT,
    ADJ_REV_CNTR_TOT_CHRG_AMT,
    ADJ_REV_CNTR_NCVRD_CHRG_AMT,
    Adj {
        col: Col::REV_CNTR_BLOOD_DDCTBL_AMT,
        category: Cat {
            system: "http://terminology.hl7.org/CodeSystem/adjudication",
            code: "deductible",
            display: "Deductible",
        },
        var: "rev_cntr_blood_ddctbl_amt",
        label: "Revenue Center Blood Deductible Amount",
    },
    Adj {
        col: Col::REV_CNTR_CASH_DDCTBL_AMT,
        category: Cat {
            system: "http://terminology.hl7.org/CodeSystem/adjudication",
            code: "deductible",
            display: "Deductible",
        },
        var: "rev_cntr_cash_ddctbl_amt",
        label: "Revenue Center Cash Deductible Amount",
    },
    Adj {
        col: Col::REV_CNTR_COINSRNC_WGE_ADJSTD_C,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "coinsurance",
            display: "Co-insurance",
        },
        var: "rev_cntr_coinsrnc_wge_adjstd_c",
        label: "Revenue Center Coinsurance/Wage Adjusted Coinsurance Amount",
    },
    Adj {
        col: Col::REV_CNTR_RDCD_COINSRNC_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "coinsurance",
            display: "Co-insurance",
        },
        var: "rev_cntr_rdcd_coinsrnc_amt",
        label: "Revenue Center Reduced Coinsurance Amount",
    },
    Adj {
        col: Col::REV_CNTR_1ST_MSP_PD_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "priorpayerpaid",
            display: "Prior payer paid",
        },
        var: "rev_cntr_1st_msp_pd_amt",
        label: "Revenue Center 1st Medicare Secondary Payer (MSP) Paid Amount",
    },
    Adj {
        col: Col::REV_CNTR_2ND_MSP_PD_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "priorpayerpaid",
            display: "Prior payer paid",
        },
        var: "rev_cntr_2nd_msp_pd_amt",
        label: "Revenue Center 2nd Medicare Secondary Payer (MSP) Paid Amount",
    },
    ADJ_REV_CNTR_PRVDR_PMT_AMT,
    ADJ_REV_CNTR_BENE_PMT_AMT,
    Adj {
        col: Col::REV_CNTR_PTNT_RSPNSBLTY_PMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "paidbypatient",
            display: "Paid by patient",
        },
        var: "rev_cntr_ptnt_rspnsblty_pmt",
        label: "Revenue Center Patient Responsibility Payment Amount",
    },
    ADJ_REV_CNTR_PMT_AMT_AMT,
];
/// Claim totals of outpatient claims.
pub static OUTPATIENT_TOTAL: &[Adj] = &[ADJ_CLM_TOT_CHRG_AMT_2];
/// Benefit balance of outpatient claims.
pub static OUTPATIENT_BALANCE: &[Balance] = &[
    BALANCE_NCH_PROFNL_CMPNT_CHRG_AMT,
    Balance {
        col: Col::NCH_BENE_PTB_DDCTBL_AMT,
        var: "nch_bene_ptb_ddctbl_amt",
        label: "NCH Beneficiary Part B Deductible Amount",
        kind: BalanceKind::Money,
    },
    Balance {
        col: Col::NCH_BENE_PTB_COINSRNC_AMT,
        var: "nch_bene_ptb_coinsrnc_amt",
        label: "NCH Beneficiary Part B Coinsurance Amount",
        kind: BalanceKind::Money,
    },
    Balance {
        col: Col::CLM_OP_PRVDR_PMT_AMT,
        var: "clm_op_prvdr_pmt_amt",
        label: "Claim Outpatient Provider Payment Amount",
        kind: BalanceKind::Money,
    },
    Balance {
        col: Col::CLM_OP_BENE_PMT_AMT,
        var: "clm_op_bene_pmt_amt",
        label: "Claim Outpatient Payment Amount to Beneficiary",
        kind: BalanceKind::Money,
    },
    BALANCE_NCH_BENE_BLOOD_DDCTBL_LBLTY_AM,
    BALANCE_PRPAYAMT,
];

/// Claim-level extensions of dme claims: those of carrier claims.
pub static DME_EXT: &[Ext] = CARRIER_EXT;
/// Supporting information of dme claims.
pub static DME_INFO: &[Info] = &[INFO_NCH_WKLY_PROC_DT];
/// Line-level extensions of dme claims.
pub static DME_ITEM_EXT: &[Ext] = &[
    Ext {
        col: Col::PRVDR_NUM,
        var: "suplrnum",
        kind: ExtKind::Identifier,
    },
    Ext {
        col: Col::DMERC_LINE_SCRN_SVGS_AMT,
        var: "dmerc_line_scrn_svgs_amt",
        kind: ExtKind::Quantity,
    },
    Ext {
        col: Col::DMERC_LINE_MTUS_CNT,
        var: "dmerc_line_mtus_cnt",
        kind: ExtKind::QuantityCoded(Col::DMERC_LINE_MTUS_CD, "dmerc_line_mtus_cd"),
    },
    Ext::coding(Col::DMERC_LINE_PRCNG_STATE_CD, "dmerc_line_prcng_state_cd"),
    Ext::coding(Col::DMERC_LINE_SUPPLR_TYPE_CD, "dmerc_line_supplr_type_cd"),
    EXT_BETOS_CD,
    EXT_LINE_BENE_PRMRY_PYR_CD,
    EXT_LINE_PRCSG_IND_CD,
    EXT_LINE_SERVICE_DEDUCTIBLE,
];
/// Line adjudication amounts of dme claims.
pub static DME_ITEM_ADJ: &[Adj] = &[
    Adj {
        col: Col::LINE_PRMRY_ALOWD_CHRG_AMT,
        category: Cat {
            system: "http://terminology.hl7.org/CodeSystem/adjudication",
            code: "eligible",
            display: "Eligible Amount",
        },
        var: "line_prmry_alowd_chrg_amt",
        label: "Line Primary Payer Allowed Charge Amount",
    },
    ADJ_LINE_DME_PRCHS_PRICE_AMT,
    ADJ_LINE_NCH_PMT_AMT,
    ADJ_LINE_BENE_PMT_AMT,
    ADJ_LINE_PRVDR_PMT_AMT,
    ADJ_LINE_BENE_PTB_DDCTBL_AMT,
    ADJ_LINE_BENE_PRMRY_PYR_PD_AMT,
    ADJ_LINE_COINSRNC_AMT,
    ADJ_LINE_SBMTD_CHRG_AMT,
    ADJ_LINE_ALOWD_CHRG_AMT,
    Adj {
        col: Col::LINE_BENE_PMT_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "paidtoprovider",
            display: "Paid to provider",
        },
        var: "line_bene_pmt_amt",
        label: "Line Payment Amount to Beneficiary",
    },
    ADJ_LINE_DME_PRCHS_PRICE_AMT,
];
/// Claim totals of dme claims.
pub static DME_TOTAL: &[Adj] = &[ADJ_CLM_TOT_CHRG_AMT];
/// Benefit balance of dme claims: that of carrier claims.
pub static DME_BALANCE: &[Balance] = CARRIER_BALANCE;

/// Claim-level extensions of hha claims: those of outpatient claims.
pub static HHA_EXT: &[Ext] = OUTPATIENT_EXT;
/// Supporting information of hha claims.
pub static HHA_INFO: &[Info] = &[
    INFO_NCH_WKLY_PROC_DT,
    INFO_CLM_FREQ_CD,
    INFO_PTNT_DSCHRG_STUS_CD,
    INFO_NCH_PRMRY_PYR_CD,
    INFO_CLM_PPS_IND_CD,
    Info {
        col: Col::CLM_HHA_LUPA_IND_CD,
        category: None,
        info: "clm_hha_lupa_ind_cd",
        label: "Claim HHA Low Utilization Payment Adjustment (LUPA) Indicator Code",
        value: InfoValue::Code("clm_hha_lupa_ind_cd"),
    },
    Info {
        col: Col::CLM_HHA_RFRL_CD,
        category: None,
        info: "clm_hha_rfrl_cd",
        label: "Claim HHA Referral Code",
        value: InfoValue::Code("clm_hha_rfrl_cd"),
    },
    Info {
        col: Col::CLM_HHA_TOT_VISIT_CNT,
        category: None,
        info: "clm_hha_tot_visit_cnt",
        label: "Claim HHA Total Visit Count",
        value: InfoValue::Quantity,
    },
    INFO_CLM_ADMSN_DT,
];
/// Line-level extensions of hha claims.
pub static HHA_ITEM_EXT: &[Ext] = &[EXT_REV_CNTR_UNIT_CNT];
/// Line adjudication amounts of hha claims.
pub static HHA_ITEM_ADJ: &[Adj] = &[
    ADJ_REV_CNTR_RATE_AMT,
    ADJ_REV_CNTR_TOT_CHRG_AMT,
    ADJ_REV_CNTR_NCVRD_CHRG_AMT,
    ADJ_REV_CNTR_PMT_AMT_AMT,
];
/// Claim totals of hha claims.
pub static HHA_TOTAL: &[Adj] = &[ADJ_CLM_TOT_CHRG_AMT_2];
/// Benefit balance of hha claims.
pub static HHA_BALANCE: &[Balance] = &[BALANCE_PRPAYAMT];

/// Claim-level extensions of hospice claims.
pub static HOSPICE_EXT: &[Ext] = &[
    EXT_NCH_NEAR_LINE_REC_IDENT_CD,
    EXT_FI_DOC_CLM_CNTL_NUM,
    EXT_FI_CLM_PROC_DT,
    EXT_CLM_MDCR_NON_PMT_RSN_CD,
    EXT_CLM_SRVC_CLSFCTN_TYPE_CD,
    EXT_FI_NUM,
    Ext {
        col: Col::BENE_HOSPC_PRD_CNT,
        var: "bene_hospc_prd_cnt",
        kind: ExtKind::Quantity,
    },
];
/// Supporting information of hospice claims.
pub static HOSPICE_INFO: &[Info] = &[
    INFO_NCH_WKLY_PROC_DT,
    INFO_NCH_PTNT_STUS_IND_CD,
    Info {
        col: Col::CLM_HOSPC_START_DT_ID,
        category: Some(("admissionperiod", "Admission Period")),
        info: "",
        label: "",
        value: InfoValue::Period(Col::NCH_BENE_DSCHRG_DT),
    },
    INFO_CLM_FREQ_CD,
    INFO_PTNT_DSCHRG_STUS_CD,
    INFO_NCH_PRMRY_PYR_CD,
];
/// Line-level extensions of hospice claims.
pub static HOSPICE_ITEM_EXT: &[Ext] = &[];
/// Line adjudication amounts of hospice claims.
pub static HOSPICE_ITEM_ADJ: &[Adj] = &[
    ADJ_REV_CNTR_RATE_AMT,
    ADJ_REV_CNTR_TOT_CHRG_AMT,
    ADJ_REV_CNTR_NCVRD_CHRG_AMT,
    ADJ_REV_CNTR_PRVDR_PMT_AMT,
    ADJ_REV_CNTR_BENE_PMT_AMT,
    ADJ_REV_CNTR_PMT_AMT_AMT,
];
/// Claim totals of hospice claims.
pub static HOSPICE_TOTAL: &[Adj] = &[ADJ_CLM_TOT_CHRG_AMT_2];
/// Benefit balance of hospice claims.
pub static HOSPICE_BALANCE: &[Balance] = &[BALANCE_CLM_UTLZTN_DAY_CNT, BALANCE_PRPAYAMT];

/// Claim-level extensions of snf claims.
pub static SNF_EXT: &[Ext] = &[
    EXT_NCH_NEAR_LINE_REC_IDENT_CD,
    EXT_FI_CLM_ACTN_CD,
    EXT_FI_DOC_CLM_CNTL_NUM,
    EXT_FI_CLM_PROC_DT,
    EXT_CLM_MDCR_NON_PMT_RSN_CD,
    EXT_CLM_SRVC_CLSFCTN_TYPE_CD,
    EXT_FI_NUM,
];
/// Supporting information of snf claims.
pub static SNF_INFO: &[Info] = &[
    INFO_NCH_WKLY_PROC_DT,
    INFO_CLM_IP_ADMSN_TYPE_CD,
    INFO_CLM_SRC_IP_ADMSN_CD,
    Info {
        col: Col::NCH_VRFD_NCVRD_STAY_FROM_DT,
        category: None,
        info: "nch_vrfd_ncvrd_stay_from_dt",
        label: "NCH Verified Non-covered Stay From Date",
        value: InfoValue::Period(Col::NCH_VRFD_NCVRD_STAY_THRU_DT),
    },
    Info {
        col: Col::NCH_BENE_MDCR_BNFTS_EXHTD_DT_I,
        category: None,
        info: "nch_bene_mdcr_bnfts_exhtd_dt_i",
        label: "NCH Beneficiary Medicare Benefits Exhausted Date",
        value: InfoValue::Date,
    },
    INFO_CLM_DRG_CD,
    INFO_NCH_PTNT_STUS_IND_CD,
    INFO_CLM_ADMSN_DT,
    Info {
        col: Col::NCH_QLFYD_STAY_FROM_DT,
        category: None,
        info: "nch_qlfyd_stay_from_dt",
        label: "NCH Qualified Stay From Date",
        value: InfoValue::Period(Col::NCH_QLFYD_STAY_THRU_DT),
    },
    INFO_CLM_PPS_IND_CD,
    INFO_NCH_BLOOD_PNTS_FRNSHD_QTY,
    INFO_CLM_MCO_PD_SW,
    INFO_CLM_FREQ_CD,
    INFO_PTNT_DSCHRG_STUS_CD,
    INFO_NCH_PRMRY_PYR_CD,
];
/// Line-level extensions of snf claims.
pub static SNF_ITEM_EXT: &[Ext] = &[EXT_REV_CNTR_UNIT_CNT];
/// Line adjudication amounts of snf claims: those of inpatient claims.
pub static SNF_ITEM_ADJ: &[Adj] = INPATIENT_ITEM_ADJ;
/// Claim totals of snf claims.
pub static SNF_TOTAL: &[Adj] = &[ADJ_CLM_TOT_CHRG_AMT_2];
/// Benefit balance of snf claims.
pub static SNF_BALANCE: &[Balance] = &[
    BALANCE_CLM_UTLZTN_DAY_CNT,
    BALANCE_BENE_TOT_COINSRNC_DAYS_CNT,
    BALANCE_CLM_NON_UTLZTN_DAYS_CNT,
    BALANCE_NCH_BENE_IP_DDCTBL_AMT,
    BALANCE_NCH_BENE_PTA_COINSRNC_LBLTY_AMT,
    BALANCE_NCH_IP_NCVRD_CHRG_AMT,
    BALANCE_NCH_IP_TOT_DDCTN_AMT,
    BALANCE_CLM_PPS_CPTL_DSPRPRTNT_SHR_AMT,
    BALANCE_CLM_PPS_CPTL_EXCPTN_AMT,
    BALANCE_CLM_PPS_CPTL_FSP_AMT,
    BALANCE_CLM_PPS_CPTL_IME_AMT,
    BALANCE_CLM_PPS_CPTL_OUTLIER_AMT,
    BALANCE_CLM_PPS_OLD_CPTL_HLD_HRMLS_AMT,
    BALANCE_NCH_BENE_BLOOD_DDCTBL_LBLTY_AM,
    BALANCE_PRPAYAMT,
];

/// Claim-level extensions of pde claims.
pub static PDE_EXT: &[Ext] = &[];
/// Supporting information of pde claims.
pub static PDE_INFO: &[Info] = &[
    Info {
        col: Col::CMPND_CD,
        category: Some(("compoundcode", "Compound Code")),
        info: "",
        label: "",
        value: InfoValue::CodeIn("http://terminology.hl7.org/CodeSystem/v3-ActCode"),
    },
    Info {
        col: Col::FILL_NUM,
        category: Some(("refillnum", "Refill Number")),
        info: "",
        label: "",
        value: InfoValue::Quantity,
    },
    Info {
        col: Col::DAYS_SUPLY_NUM,
        category: Some(("dayssupply", "Days Supply")),
        info: "",
        label: "",
        value: InfoValue::Quantity,
    },
    Info {
        col: Col::DRUG_CVRG_STUS_CD,
        category: None,
        info: "drug_cvrg_stus_cd",
        label: "Drug Coverage Status Code",
        value: InfoValue::Code("drug_cvrg_stus_cd"),
    },
    Info {
        col: Col::DAW_PROD_SLCTN_CD,
        category: None,
        info: "daw_prod_slctn_cd",
        label: "Dispense as Written (DAW) Product Selection Code",
        value: InfoValue::Code("daw_prod_slctn_cd"),
    },
    Info {
        col: Col::DSPNSNG_STUS_CD,
        category: None,
        info: "dspnsng_stus_cd",
        label: "Dispensing Status Code",
        value: InfoValue::Code("dspnsng_stus_cd"),
    },
    Info {
        col: Col::ADJSTMT_DLTN_CD,
        category: None,
        info: "adjstmt_dltn_cd",
        label: "Adjustment Deletion Code",
        value: InfoValue::Code("adjstmt_dltn_cd"),
    },
    Info {
        col: Col::NSTD_FRMT_CD,
        category: None,
        info: "nstd_frmt_cd",
        label: "Non-Standard Format Code",
        value: InfoValue::Code("nstd_frmt_cd"),
    },
    Info {
        col: Col::PRCNG_EXCPTN_CD,
        category: None,
        info: "prcng_excptn_cd",
        label: "Pricing Exception Code",
        value: InfoValue::Code("prcng_excptn_cd"),
    },
    Info {
        col: Col::CTSTRPHC_CVRG_CD,
        category: None,
        info: "ctstrphc_cvrg_cd",
        label: "Catastrophic Coverage Code",
        value: InfoValue::Code("ctstrphc_cvrg_cd"),
    },
    Info {
        col: Col::RX_ORGN_CD,
        category: Some(("rxorigincode", "Rx Origin Code")),
        info: "",
        label: "",
        value: InfoValue::Code("rx_orgn_cd"),
    },
    Info {
        col: Col::BRND_GNRC_CD,
        category: Some(("brandgenericindicator", "Brand Generic Indicator")),
        info: "",
        label: "",
        value: InfoValue::Code("brnd_gnrc_cd"),
    },
    Info {
        col: Col::PTNT_RSDNC_CD,
        category: None,
        info: "ptnt_rsdnc_cd",
        label: "Patient Residence Code",
        value: InfoValue::Code("ptnt_rsdnc_cd"),
    },
    Info {
        col: Col::SUBMSN_CLR_CD,
        category: None,
        info: "submsn_clr_cd",
        label: "Submission clarification code",
        value: InfoValue::Code("submsn_clr_cd"),
    },
];
/// Line-level extensions of pde claims.
pub static PDE_ITEM_EXT: &[Ext] = &[];
/// Line adjudication amounts of pde claims.
pub static PDE_ITEM_ADJ: &[Adj] = &[
    Adj {
        col: Col::CVRD_D_PLAN_PD_AMT,
        category: Cat {
            system: "http://terminology.hl7.org/CodeSystem/adjudication",
            code: "benefit",
            display: "Benefit Amount",
        },
        var: "cvrd_d_plan_pd_amt",
        label: "Amount paid by Part D plan for the PDE (drug is covered by Part D)",
    },
    Adj {
        col: Col::GDC_BLW_OOPT_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "coinsurance",
            display: "Co-insurance",
        },
        var: "gdc_blw_oopt_amt",
        label: "Gross Drug Cost Below Part D Out-of-Pocket Threshold (GDCB)",
    },
    Adj {
        col: Col::GDC_ABV_OOPT_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "coinsurance",
            display: "Co-insurance",
        },
        var: "gdc_abv_oopt_amt",
        label: "Gross Drug Cost Above Part D Out-of-Pocket Threshold (GDCA)",
    },
    Adj {
        col: Col::PTNT_PAY_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "paidbypatient",
            display: "Paid by patient",
        },
        var: "ptnt_pay_amt",
        label: "Amount Paid by Patient",
    },
    Adj {
        col: Col::OTHR_TROOP_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "priorpayerpaid",
            display: "Prior payer paid",
        },
        var: "othr_troop_amt",
        label: "Other True Out-of-Pocket (TrOOP) Amount",
    },
    Adj {
        col: Col::LICS_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "discount",
            display: "Discount",
        },
        var: "lics_amt",
        label: "Amount paid for the PDE by Part D low income subsidy",
    },
    Adj {
        col: Col::PLRO_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "priorpayerpaid",
            display: "Prior payer paid",
        },
        var: "plro_amt",
        label: "Reduction in patient liability due to payments by other payers (PLRO)",
    },
    Adj {
        col: Col::TOT_RX_CST_AMT,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "drugcost",
            display: "Drug Cost",
        },
        var: "tot_rx_cst_amt",
        label: "Total drug cost (Part D)",
    },
    Adj {
        col: Col::RPTD_GAP_DSCNT_NUM,
        category: Cat {
            system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
            code: "discount",
            display: "Discount",
        },
        var: "rptd_gap_dscnt_num",
        label: "Gap Discount Amount",
    },
];
/// Claim totals of pde claims.
pub static PDE_TOTAL: &[Adj] = &[Adj {
    col: Col::TOT_RX_CST_AMT,
    category: Cat {
        system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
        code: "drugcost",
        display: "Drug Cost",
    },
    var: "",
    label: "",
}];
/// Benefit balance of pde claims.
pub static PDE_BALANCE: &[Balance] = &[];

// Entries that several claim types share, each written once.
const ADJ_CLM_TOT_CHRG_AMT: Adj = Adj {
    col: Col::CARR_CLM_PRMRY_PYR_PD_AMT,
    category: Cat {
        system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
        code: "priorpayerpaid",
        display: "Prior payer paid",
    },
    var: "clm_tot_chrg_amt",
    label: "Claim Total Charge Amount",
};
const ADJ_CLM_TOT_CHRG_AMT_2: Adj = Adj {
    col: Col::CLM_TOT_CHRG_AMT,
    category: Cat {
        system: "http://terminology.hl7.org/CodeSystem/adjudication",
        code: "submitted",
        display: "Submitted Amount",
    },
    var: "clm_tot_chrg_amt",
    label: "Claim Total Charge Amount",
};
const ADJ_LINE_ALOWD_CHRG_AMT: Adj = Adj {
    col: Col::LINE_ALOWD_CHRG_AMT,
    category: Cat {
        system: "http://terminology.hl7.org/CodeSystem/adjudication",
        code: "eligible",
        display: "Eligible Amount",
    },
    var: "line_alowd_chrg_amt",
    label: "Line Allowed Charge Amount",
};
const ADJ_LINE_BENE_PMT_AMT: Adj = Adj {
    col: Col::LINE_BENE_PMT_AMT,
    category: Cat {
        system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
        code: "paidtopatient",
        display: "Paid to patient",
    },
    var: "line_bene_pmt_amt",
    label: "Line Payment Amount to Beneficiary",
};
const ADJ_LINE_BENE_PRMRY_PYR_PD_AMT: Adj = Adj {
    col: Col::LINE_BENE_PRMRY_PYR_PD_AMT,
    category: Cat {
        system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
        code: "priorpayerpaid",
        display: "Prior payer paid",
    },
    var: "line_bene_prmry_pyr_pd_amt",
    label: "Line Primary Payer (if not Medicare) Paid Amount",
};
const ADJ_LINE_BENE_PTB_DDCTBL_AMT: Adj = Adj {
    col: Col::LINE_BENE_PTB_DDCTBL_AMT,
    category: Cat {
        system: "http://terminology.hl7.org/CodeSystem/adjudication",
        code: "deductible",
        display: "Deductible",
    },
    var: "line_bene_ptb_ddctbl_amt",
    label: "Line Beneficiary Part B Deductible Amount",
};
const ADJ_LINE_COINSRNC_AMT: Adj = Adj {
    col: Col::LINE_COINSRNC_AMT,
    category: Cat {
        system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
        code: "coinsurance",
        display: "Co-insurance",
    },
    var: "line_coinsrnc_amt",
    label: "Line Beneficiary Coinsurance Amount",
};
const ADJ_LINE_DME_PRCHS_PRICE_AMT: Adj = Adj {
    col: Col::LINE_DME_PRCHS_PRICE_AMT,
    category: Cat {
        system: "http://terminology.hl7.org/CodeSystem/adjudication",
        code: "submitted",
        display: "Submitted Amount",
    },
    var: "line_dme_prchs_price_amt",
    label: "Line DME Purchase Price Amount",
};
const ADJ_LINE_NCH_PMT_AMT: Adj = Adj {
    col: Col::LINE_NCH_PMT_AMT,
    category: Cat {
        system: "http://terminology.hl7.org/CodeSystem/adjudication",
        code: "benefit",
        display: "Benefit Amount",
    },
    var: "line_nch_pmt_amt",
    label: "Line NCH Medicare Payment Amount",
};
const ADJ_LINE_PRVDR_PMT_AMT: Adj = Adj {
    col: Col::LINE_PRVDR_PMT_AMT,
    category: Cat {
        system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
        code: "paidtoprovider",
        display: "Paid to provider",
    },
    var: "line_prvdr_pmt_amt",
    label: "Line Provider Payment Amount",
};
const ADJ_LINE_SBMTD_CHRG_AMT: Adj = Adj {
    col: Col::LINE_SBMTD_CHRG_AMT,
    category: Cat {
        system: "http://terminology.hl7.org/CodeSystem/adjudication",
        code: "submitted",
        display: "Submitted Amount",
    },
    var: "line_sbmtd_chrg_amt",
    label: "Line Submitted Charge Amount",
};
const ADJ_REV_CNTR_BENE_PMT_AMT: Adj = Adj {
    col: Col::REV_CNTR_BENE_PMT_AMT,
    category: Cat {
        system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
        code: "paidtopatient",
        display: "Paid to patient",
    },
    var: "rev_cntr_bene_pmt_amt",
    label: "Revenue Center Payment Amount to Beneficiary",
};
const ADJ_REV_CNTR_NCVRD_CHRG_AMT: Adj = Adj {
    col: Col::REV_CNTR_NCVRD_CHRG_AMT,
    category: Cat {
        system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
        code: "noncovered",
        display: "Noncovered",
    },
    var: "rev_cntr_ncvrd_chrg_amt",
    label: "Revenue Center Non-Covered Charge Amount",
};
const ADJ_REV_CNTR_PMT_AMT_AMT: Adj = Adj {
    col: Col::REV_CNTR_PMT_AMT_AMT,
    category: Cat {
        system: "http://terminology.hl7.org/CodeSystem/adjudication",
        code: "submitted",
        display: "Submitted Amount",
    },
    var: "rev_cntr_pmt_amt_amt",
    label: "Revenue Center (Medicare) Payment Amount",
};
const ADJ_REV_CNTR_PRVDR_PMT_AMT: Adj = Adj {
    col: Col::REV_CNTR_PRVDR_PMT_AMT,
    category: Cat {
        system: "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication",
        code: "paidtoprovider",
        display: "Paid to provider",
    },
    var: "rev_cntr_prvdr_pmt_amt",
    label: "Revenue Center (Medicare) Provider Payment Amount",
};
const ADJ_REV_CNTR_RATE_AMT: Adj = Adj {
    col: Col::REV_CNTR_RATE_AMT,
    category: Cat {
        system: "http://terminology.hl7.org/CodeSystem/adjudication",
        code: "submitted",
        display: "Submitted Amount",
    },
    var: "rev_cntr_rate_amt",
    label: "Revenue Center Rate Amount",
};
const ADJ_REV_CNTR_TOT_CHRG_AMT: Adj = Adj {
    col: Col::REV_CNTR_TOT_CHRG_AMT,
    category: Cat {
        system: "http://terminology.hl7.org/CodeSystem/adjudication",
        code: "submitted",
        display: "Submitted Amount",
    },
    var: "rev_cntr_tot_chrg_amt",
    label: "Revenue Center Total Charge Amount",
};
const INFO_CLM_ADMSN_DT: Info = Info {
    col: Col::CLM_ADMSN_DT,
    category: Some(("admissionperiod", "Admission Period")),
    info: "",
    label: "",
    value: InfoValue::Period(Col::NCH_BENE_DSCHRG_DT),
};
const INFO_CLM_DRG_CD: Info = Info {
    col: Col::CLM_DRG_CD,
    category: None,
    info: "clm_drg_cd",
    label: "Claim Diagnosis Related Group Code (or MS-DRG Code)",
    value: InfoValue::Code("clm_drg_cd"),
};
const INFO_CLM_FREQ_CD: Info = Info {
    col: Col::CLM_FREQ_CD,
    category: Some(("typeofbill", "Type of Bill")),
    info: "",
    label: "",
    value: InfoValue::Code("clm_freq_cd"),
};
const INFO_CLM_IP_ADMSN_TYPE_CD: Info = Info {
    col: Col::CLM_IP_ADMSN_TYPE_CD,
    category: Some(("admtype", "Information")),
    info: "clm_ip_admsn_type_cd",
    label: "Claim Inpatient Admission Type Code",
    value: InfoValue::CodeIn("https://www.nubc.org/CodeSystem/PriorityTypeOfAdmitOrVisit"),
};
const INFO_CLM_MCO_PD_SW: Info = Info {
    col: Col::CLM_MCO_PD_SW,
    category: None,
    info: "clm_mco_pd_sw",
    label: "Claim MCO Paid Switch",
    value: InfoValue::Code("clm_mco_pd_sw"),
};
const INFO_CLM_PPS_IND_CD: Info = Info {
    col: Col::CLM_PPS_IND_CD,
    category: None,
    info: "clm_pps_ind_cd",
    label: "Claim PPS Indicator Code",
    value: InfoValue::Code("clm_pps_ind_cd"),
};
const INFO_CLM_SRC_IP_ADMSN_CD: Info = Info {
    col: Col::CLM_SRC_IP_ADMSN_CD,
    category: None,
    info: "clm_src_ip_admsn_cd",
    label: "Claim Source Inpatient Admission Code",
    value: InfoValue::Code("clm_src_ip_admsn_cd"),
};
const INFO_NCH_BLOOD_PNTS_FRNSHD_QTY: Info = Info {
    col: Col::NCH_BLOOD_PNTS_FRNSHD_QTY,
    category: None,
    info: "nch_blood_pnts_frnshd_qty",
    label: "NCH Blood Pints Furnished Quantity",
    value: InfoValue::Pints,
};
const INFO_NCH_PRMRY_PYR_CD: Info = Info {
    col: Col::NCH_PRMRY_PYR_CD,
    category: None,
    info: "nch_prmry_pyr_cd",
    label: "NCH Primary Payer Code (if not Medicare)",
    value: InfoValue::Code("nch_prmry_pyr_cd"),
};
const INFO_NCH_PTNT_STUS_IND_CD: Info = Info {
    col: Col::NCH_PTNT_STATUS_IND_CD,
    category: None,
    info: "nch_ptnt_stus_ind_cd",
    label: "NCH Patient Status Indicator Code",
    value: InfoValue::Code("nch_ptnt_stus_ind_cd"),
};
const INFO_NCH_WKLY_PROC_DT: Info = Info {
    col: Col::NCH_WKLY_PROC_DT,
    category: Some(("clmrecvddate", "Claim Received Date")),
    info: "nch_wkly_proc_dt",
    label: "NCH Weekly Claim Processing Date",
    value: InfoValue::Date,
};
const INFO_PTNT_DSCHRG_STUS_CD: Info = Info {
    col: Col::PTNT_DSCHRG_STUS_CD,
    category: Some(("discharge-status", "Discharge Status")),
    info: "",
    label: "",
    value: InfoValue::Code("ptnt_dschrg_stus_cd"),
};
