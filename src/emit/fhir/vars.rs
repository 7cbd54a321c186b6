//! The Blue Button variable catalogue, shared by every FHIR version: which column becomes
//! which variable (`https://bluebutton.cms.gov/resources/variables/<var>`), with its CCW label
//! and how its value is written. Where a version places a variable in a resource (which
//! element, under which category) is that version's arrangement (`arrangement`).
//!
//! The entries several claim types share are written here once, keyed by column.

use crate::schema::Col;

/// The Blue Button variables base URL.
pub const VARS: &str = "https://bluebutton.cms.gov/resources/variables/";

/// How a column becomes an extension value.
#[derive(Clone, Copy, Debug)]
pub enum ExtKind {
    /// `valueCoding` with the variable as system.
    Coding,
    /// `valueIdentifier` with the variable as system.
    Identifier,
    /// `valueMoney` (USD).
    Money,
    /// `valueDate`.
    Date,
    /// `valueQuantity`.
    Quantity,
    /// `valueQuantity` coded by the unit variable named.
    QuantityCoded(Col, &'static str),
}

/// A column written as an extension.
#[derive(Clone, Copy, Debug)]
pub struct Ext {
    /// The column.
    pub col: Col,
    /// The Blue Button variable id.
    pub var: &'static str,
    /// The value type.
    pub kind: ExtKind,
}

impl Ext {
    /// A column written as a `valueCoding` of its variable.
    pub const fn coding(col: Col, var: &'static str) -> Ext {
        Ext {
            col,
            var,
            kind: ExtKind::Coding,
        }
    }
}

/// Whether a benefit balance is money or a count.
#[derive(Clone, Copy, Debug)]
pub enum BalanceKind {
    /// `usedMoney`.
    Money,
    /// `usedUnsignedInt`.
    UnsignedInt,
}

/// A column written as a `benefitBalance.financial` entry.
#[derive(Clone, Copy, Debug)]
pub struct Balance {
    /// The column.
    pub col: Col,
    /// The Blue Button variable id.
    pub var: &'static str,
    /// Its CCW label.
    pub label: &'static str,
    /// Money or count.
    pub kind: BalanceKind,
}

// Entries that several claim types share, each written once.
pub(crate) const BALANCE_BENE_TOT_COINSRNC_DAYS_CNT: Balance = Balance {
    col: Col::BENE_TOT_COINSRNC_DAYS_CNT,
    var: "bene_tot_coinsrnc_days_cnt",
    label: "Beneficiary Total Coinsurance Days Count",
    kind: BalanceKind::UnsignedInt,
};
pub(crate) const BALANCE_CARR_CLM_CASH_DDCTBL_APLD_AMT: Balance = Balance {
    col: Col::CARR_CLM_CASH_DDCTBL_APLD_AMT,
    var: "carr_clm_cash_ddctbl_apld_amt",
    label: "Carrier Claim Cash Deductible Applied Amount (sum of all line-level deductible amounts)",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_CLM_NON_UTLZTN_DAYS_CNT: Balance = Balance {
    col: Col::CLM_NON_UTLZTN_DAYS_CNT,
    var: "clm_non_utlztn_days_cnt",
    label: "Claim Medicare Non Utilization Days Count",
    kind: BalanceKind::UnsignedInt,
};
pub(crate) const BALANCE_CLM_PPS_CPTL_DSPRPRTNT_SHR_AMT: Balance = Balance {
    col: Col::CLM_PPS_CPTL_DSPRPRTNT_SHR_AMT,
    var: "clm_pps_cptl_dsprprtnt_shr_amt",
    label: "Claim PPS Capital Disproportionate Share Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_CLM_PPS_CPTL_EXCPTN_AMT: Balance = Balance {
    col: Col::CLM_PPS_CPTL_EXCPTN_AMT,
    var: "clm_pps_cptl_excptn_amt",
    label: "Claim PPS Capital Exception Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_CLM_PPS_CPTL_FSP_AMT: Balance = Balance {
    col: Col::CLM_PPS_CPTL_FSP_AMT,
    var: "clm_pps_cptl_fsp_amt",
    label: "Claim PPS Capital Federal Specific Portion (FSP) Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_CLM_PPS_CPTL_IME_AMT: Balance = Balance {
    col: Col::CLM_PPS_CPTL_IME_AMT,
    var: "clm_pps_cptl_ime_amt",
    label: "Claim PPS Capital Indirect Medical Education (IME) Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_CLM_PPS_CPTL_OUTLIER_AMT: Balance = Balance {
    col: Col::CLM_PPS_CPTL_OUTLIER_AMT,
    var: "clm_pps_cptl_outlier_amt",
    label: "Claim PPS Capital Outlier Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_CLM_PPS_OLD_CPTL_HLD_HRMLS_AMT: Balance = Balance {
    col: Col::CLM_PPS_OLD_CPTL_HLD_HRMLS_AMT,
    var: "clm_pps_old_cptl_hld_hrmls_amt",
    label: "Claim PPS Old Capital Hold Harmless Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_CLM_UTLZTN_DAY_CNT: Balance = Balance {
    col: Col::CLM_UTLZTN_DAY_CNT,
    var: "clm_utlztn_day_cnt",
    label: "Claim Medicare Utilization Day Count",
    kind: BalanceKind::UnsignedInt,
};
pub(crate) const BALANCE_NCH_BENE_BLOOD_DDCTBL_LBLTY_AM: Balance = Balance {
    col: Col::NCH_BENE_BLOOD_DDCTBL_LBLTY_AM,
    var: "nch_bene_blood_ddctbl_lblty_am",
    label: "NCH Beneficiary Blood Deductible Liability Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_NCH_BENE_IP_DDCTBL_AMT: Balance = Balance {
    col: Col::NCH_BENE_IP_DDCTBL_AMT,
    var: "nch_bene_ip_ddctbl_amt",
    label: "NCH Beneficiary Inpatient (or other Part A) Deductible Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_NCH_BENE_PTA_COINSRNC_LBLTY_AMT: Balance = Balance {
    col: Col::NCH_BENE_PTA_COINSRNC_LBLTY_AM,
    var: "nch_bene_pta_coinsrnc_lblty_amt",
    label: "NCH Beneficiary Part A Coinsurance Liability Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_NCH_CARR_CLM_ALOWD_AMT: Balance = Balance {
    col: Col::NCH_CARR_CLM_ALOWD_AMT,
    var: "nch_carr_clm_alowd_amt",
    label: "NCH Carrier Claim Allowed Charge Amount (sum of all line-level allowed charges)",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_NCH_CARR_CLM_SBMTD_CHRG_AMT: Balance = Balance {
    col: Col::NCH_CARR_CLM_SBMTD_CHRG_AMT,
    var: "nch_carr_clm_sbmtd_chrg_amt",
    label: "NCH Carrier Claim Submitted Charge Amount (sum of all line-level submitted charges)",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_NCH_CLM_BENE_PMT_AMT: Balance = Balance {
    col: Col::NCH_CLM_BENE_PMT_AMT,
    var: "nch_clm_bene_pmt_amt",
    label: "NCH Claim Payment Amount to Beneficiary",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_NCH_CLM_PRVDR_PMT_AMT: Balance = Balance {
    col: Col::NCH_CLM_PRVDR_PMT_AMT,
    var: "nch_clm_prvdr_pmt_amt",
    label: "NCH Claim Provider Payment Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_NCH_IP_NCVRD_CHRG_AMT: Balance = Balance {
    col: Col::NCH_IP_NCVRD_CHRG_AMT,
    var: "nch_ip_ncvrd_chrg_amt",
    label: "NCH Inpatient(or other Part A) Non-covered Charge Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_NCH_IP_TOT_DDCTN_AMT: Balance = Balance {
    col: Col::NCH_IP_TOT_DDCTN_AMT,
    var: "nch_ip_tot_ddctn_amt",
    label: "NCH Inpatient (or other Part A) Total Deductible/Coinsurance Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_PRPAYAMT: Balance = Balance {
    col: Col::NCH_PRMRY_PYR_CLM_PD_AMT,
    var: "prpayamt",
    label: "NCH Primary Payer (if not Medicare) Claim Paid Amount",
    kind: BalanceKind::Money,
};
pub(crate) const BALANCE_NCH_PROFNL_CMPNT_CHRG_AMT: Balance = Balance {
    col: Col::NCH_PROFNL_CMPNT_CHRG_AMT,
    var: "nch_profnl_cmpnt_chrg_amt",
    label: "Professional Component Charge Amount",
    kind: BalanceKind::Money,
};
pub(crate) const EXT_BETOS_CD: Ext = Ext::coding(Col::BETOS_CD, "betos_cd");
pub(crate) const EXT_CARR_CLM_CNTL_NUM: Ext = Ext {
    col: Col::CARR_CLM_CNTL_NUM,
    var: "carr_clm_cntl_num",
    kind: ExtKind::Identifier,
};
pub(crate) const EXT_CARR_CLM_ENTRY_CD: Ext =
    Ext::coding(Col::CARR_CLM_ENTRY_CD, "carr_clm_entry_cd");
pub(crate) const EXT_CARR_CLM_PMT_DNL_CD: Ext =
    Ext::coding(Col::CARR_CLM_PMT_DNL_CD, "carr_clm_pmt_dnl_cd");
pub(crate) const EXT_ASGMNTCD: Ext = Ext::coding(Col::CARR_CLM_PRVDR_ASGNMT_IND_SW, "asgmntcd");
pub(crate) const EXT_CARR_NUM: Ext = Ext {
    col: Col::CARR_NUM,
    var: "carr_num",
    kind: ExtKind::Identifier,
};
pub(crate) const EXT_CLM_CLNCL_TRIL_NUM: Ext = Ext {
    col: Col::CLM_CLNCL_TRIL_NUM,
    var: "clm_clncl_tril_num",
    kind: ExtKind::Identifier,
};
pub(crate) const EXT_CLM_MDCR_NON_PMT_RSN_CD: Ext =
    Ext::coding(Col::CLM_MDCR_NON_PMT_RSN_CD, "clm_mdcr_non_pmt_rsn_cd");
pub(crate) const EXT_CLM_SRVC_CLSFCTN_TYPE_CD: Ext =
    Ext::coding(Col::CLM_SRVC_CLSFCTN_TYPE_CD, "clm_srvc_clsfctn_type_cd");
pub(crate) const EXT_FI_CLM_ACTN_CD: Ext = Ext::coding(Col::FI_CLM_ACTN_CD, "fi_clm_actn_cd");
pub(crate) const EXT_FI_CLM_PROC_DT: Ext = Ext {
    col: Col::FI_CLM_PROC_DT,
    var: "fi_clm_proc_dt",
    kind: ExtKind::Date,
};
pub(crate) const EXT_FI_DOC_CLM_CNTL_NUM: Ext = Ext {
    col: Col::FI_DOC_CLM_CNTL_NUM,
    var: "fi_doc_clm_cntl_num",
    kind: ExtKind::Identifier,
};
pub(crate) const EXT_FI_NUM: Ext = Ext::coding(Col::FI_NUM, "fi_num");
pub(crate) const EXT_LINE_BENE_PRMRY_PYR_CD: Ext =
    Ext::coding(Col::LINE_BENE_PRMRY_PYR_CD, "line_bene_prmry_pyr_cd");
pub(crate) const EXT_LINE_PRCSG_IND_CD: Ext =
    Ext::coding(Col::LINE_PRCSG_IND_CD, "line_prcsg_ind_cd");
pub(crate) const EXT_LINE_SERVICE_DEDUCTIBLE: Ext =
    Ext::coding(Col::LINE_SERVICE_DEDUCTIBLE, "line_service_deductible");
pub(crate) const EXT_NCH_NEAR_LINE_REC_IDENT_CD: Ext = Ext::coding(
    Col::NCH_NEAR_LINE_REC_IDENT_CD,
    "nch_near_line_rec_ident_cd",
);
pub(crate) const EXT_REV_CNTR_UNIT_CNT: Ext = Ext {
    col: Col::REV_CNTR_UNIT_CNT,
    var: "rev_cntr_unit_cnt",
    kind: ExtKind::Quantity,
};
