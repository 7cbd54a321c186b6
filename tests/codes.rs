//! The compiled-in code tables and the `--code-tables` readers.

use std::path::PathBuf;

use bbgen::cli::load_code_tables;
use bbgen::codes::{self, CodeTable, Codes, ccw, drg, hcpcs, icd, ndc::Drug, sud};

fn fixtures(dir: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/code-tables")
        .join(dir)
}

fn assert_sorted_unique(t: &CodeTable) {
    for w in t.entries().windows(2) {
        assert!(
            w[0].code() < w[1].code(),
            "{}: {:?} then {:?}",
            t.name(),
            w[0].code(),
            w[1].code()
        );
    }
}

fn all_tables() -> Vec<&'static CodeTable> {
    vec![
        codes::icd10cm(),
        codes::icd10pcs(),
        codes::icd9cm(),
        codes::icd9pcs(),
        codes::hcpcs(),
        hcpcs::level2(),
        hcpcs::cpt(),
        hcpcs::betos(),
        hcpcs::modifiers(),
        codes::ndc(),
        codes::ms_drg(),
        codes::revenue_centers(),
        ccw::variables_table(),
    ]
}

#[test]
fn tables_are_sorted_without_duplicates() {
    for t in all_tables() {
        assert!(!t.is_empty(), "{}", t.name());
        assert_sorted_unique(t);
        for e in t.iter() {
            assert!(
                !e.code().is_empty() && e.code().trim() == e.code(),
                "{}",
                t.name()
            );
            assert_eq!(e.extra().len(), t.extra_columns().len(), "{}", t.name());
        }
    }
}

#[test]
fn row_counts() {
    let n = |t: &CodeTable| t.len();
    assert!(
        (70_000..80_000).contains(&n(codes::icd10cm())),
        "{}",
        n(codes::icd10cm())
    );
    assert!((70_000..85_000).contains(&n(codes::icd10pcs())));
    assert!((14_000..15_000).contains(&n(codes::icd9cm())));
    assert!((3_800..4_000).contains(&n(codes::icd9pcs())));
    assert!((700..800).contains(&n(codes::ms_drg())));
    assert!((6_000..9_000).contains(&n(hcpcs::level2())));
    assert!((150..300).contains(&n(hcpcs::cpt())));
    assert_eq!(n(codes::hcpcs()), n(hcpcs::level2()) + n(hcpcs::cpt()));
    assert!((100..110).contains(&n(hcpcs::betos())));
    assert!((300..600).contains(&n(codes::revenue_centers())));
    assert!((35..=150).contains(&n(codes::ndc())), "{}", n(codes::ndc()));
    assert!(ccw::variables().len() >= 400);
}

#[test]
fn icd_codes() {
    let cm = codes::icd10cm();
    assert_eq!(
        cm.display("E119"),
        Some("Type 2 diabetes mellitus without complications")
    );
    assert_eq!(
        cm.display(&icd::undotted("I10")),
        Some("Essential (primary) hypertension")
    );
    // billable only: categories and subcategories with children are absent
    assert!(!cm.contains("E11") && !cm.contains("E11.9") && !cm.contains("S72001"));
    // 7th characters expanded, with the placeholder X
    assert_eq!(
        cm.display("S72001A"),
        Some(
            "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture"
        )
    );
    assert!(cm.contains("T401X1A") && cm.contains("B20") && cm.contains("Z66"));
    assert!(codes::icd10pcs().contains("0SRD0JZ"));
    assert_eq!(
        codes::icd10pcs().display("0SRD0JZ"),
        Some("Replacement of Left Knee Joint with Synthetic Substitute, Open Approach")
    );
    assert_eq!(
        codes::icd9cm()
            .display("25000")
            .map(|d| d.starts_with("Diabetes mellitus")),
        Some(true)
    );
    assert_eq!(
        codes::icd9cm().display("4011"),
        Some("Benign essential hypertension")
    );
    assert!(codes::icd9pcs().contains("8154"));
    for t in [
        codes::icd10cm(),
        codes::icd9cm(),
        codes::icd10pcs(),
        codes::icd9pcs(),
    ] {
        assert!(
            t.iter()
                .all(|e| !e.code().contains('.') && e.display().is_some())
        );
    }
    assert!(codes::icd10pcs().iter().all(|e| e.code().len() == 7));
}

#[test]
fn ms_drgs() {
    let d = drg::drg("470").unwrap();
    assert!(
        d.title()
            .starts_with("MAJOR HIP AND KNEE JOINT REPLACEMENT")
    );
    assert_eq!(d.mdc(), "08");
    assert!(d.is_surgical());
    assert_eq!(d.weight_ten_thousandths(), Some(19289));
    assert_eq!(d.gmlos_tenths(), Some(19));
    assert_eq!(d.amlos_tenths(), Some(22));
    assert_eq!(drg::drg("896").unwrap().kind(), "MED");
    assert_eq!(drg::drg("999").unwrap().weight_ten_thousandths(), None);
    assert!(codes::ms_drg().iter().all(|e| e.code().len() == 3));
}

#[test]
fn hcpcs_codes() {
    let h = codes::hcpcs();
    assert_eq!(h.display("G0439"), Some("Ppps, subseq visit"));
    assert_eq!(codes::betos_of("G0439"), Some("M5D"));
    assert_eq!(codes::betos_of("J1100"), Some("O1E"));
    // CPT: the number only, never a descriptor
    assert!(h.contains("99213") && h.display("99213").is_none());
    assert_eq!(codes::betos_of("99213"), Some("M1B"));
    assert_eq!(h.field(h.get("99213").unwrap(), "category"), Some("e/m"));
    assert!(
        hcpcs::cpt()
            .iter()
            .all(|e| e.display().is_none() && hcpcs::is_cpt(e.code()))
    );
    for cpt in [
        "99202", "99215", "99285", "80053", "85025", "83036", "71046", "93000", "97110", "66984",
        "27447", "45378", "36415", "96413", "90935", "11721", "99497",
    ] {
        assert!(h.contains(cpt), "{cpt}");
    }
    // no dental codes; Level II codes are a letter and four digits
    assert!(!h.iter().any(|e| e.code().starts_with('D')));
    assert!(hcpcs::level2().iter().all(|e| {
        let c = e.code().as_bytes();
        c.len() == 5 && c[0].is_ascii_uppercase() && c[1..].iter().all(u8::is_ascii_digit)
    }));
    assert!(
        hcpcs::level2()
            .iter()
            .all(|e| e.display().is_some_and(|d| d.len() <= 28))
    );
    // every BETOS code used has a description
    for e in h.iter() {
        if let Some(b) = codes::betos_of(e.code()) {
            assert!(hcpcs::betos().contains(b), "{} -> {b}", e.code());
        }
    }
    assert_eq!(
        hcpcs::betos().display("M1B"),
        Some("Office visits - established")
    );
    assert!(hcpcs::modifiers().contains("LT") && hcpcs::modifiers().contains("59"));
    let rev = codes::revenue_centers();
    assert!(rev.contains("0450") && rev.contains("0001") && !rev.contains("450"));
    assert!(
        rev.iter()
            .all(|e| e.code().len() == 4 && e.display().is_none())
    );
}

#[test]
fn ndc_table() {
    let t = codes::ndc();
    let mut generics = std::collections::BTreeSet::new();
    for d in Drug::all(t) {
        let code = d.ndc11();
        assert!(
            code.len() == 11 && code.bytes().all(|b| b.is_ascii_digit()),
            "{code}"
        );
        assert_eq!(
            codes::ndc11(d.ndc_printed()).as_deref(),
            Some(code),
            "{code}"
        );
        assert!(
            !d.generic_name().is_empty() && !d.strength().is_empty() && !d.dosage_form().is_empty(),
            "{code}"
        );
        assert!(matches!(d.days_supply(), Some(1..=90)), "{code}");
        assert!(d.quantity_thousandths().is_some_and(|q| q > 0), "{code}");
        assert!(matches!(d.brand_or_generic(), "B" | "G"), "{code}");
        assert!(!d.source().is_empty(), "{code}");
        assert!(t.display(code).is_some());
        generics.insert(d.generic_name().to_ascii_lowercase());
    }
    assert!(generics.iter().any(|g| g.starts_with("metformin")));
    assert!(generics.len() >= 10, "{}", generics.len());
    let metformin = Drug::all(t)
        .find(|d| {
            d.generic_name()
                .eq_ignore_ascii_case("metformin hydrochloride")
        })
        .unwrap();
    assert_eq!(
        codes::ndc::drug(metformin.ndc11()).unwrap().ndc11(),
        metformin.ndc11()
    );
    assert!(
        Drug::find(codes::icd10cm(), "E119").is_none(),
        "only NDC tables are drugs"
    );
}

#[test]
fn sud_codes() {
    assert!(sud::is_sud_icd10cm("F10.20") && sud::is_sud_icd10cm("F1020"));
    assert!(sud::is_sud_icd10cm("F11.10") && sud::is_sud_icd10cm("F19.99"));
    assert!(!sud::is_sud_icd10cm("F17.210") && !sud::is_sud_icd10cm("F17210"));
    assert!(
        !sud::is_sud_icd10cm("F20.9")
            && !sud::is_sud_icd10cm("F09")
            && !sud::is_sud_icd10cm("E11.9")
    );
    assert!(!sud::is_sud_icd10cm("F1"));
    assert!(sud::is_sud_icd9("291.0") && sud::is_sud_icd9("3039") && sud::is_sud_icd9("305.00"));
    assert!(!sud::is_sud_icd9("305.1") && !sud::is_sud_icd9("3051") && !sud::is_sud_icd9("2900"));
    assert!(sud::is_sud_pcs("HZ2ZZZZ") && !sud::is_sud_pcs("0SRD0JZ"));
    assert!(sud::is_sud_icd9_procedure("94.61") && !sud::is_sud_icd9_procedure("8154"));
    assert!(sud::is_sud_drg("896") && sud::is_sud_drg("894") && sud::is_sud_drg("897"));
    assert!(
        !sud::is_sud_drg("470")
            && !sud::is_sud_drg("893")
            && !sud::is_sud_drg("898")
            && !sud::is_sud_drg("8960")
    );
    // every SUD-marked billable ICD-10-CM code is in F10-F19 (not F17), and there are many
    let marked: Vec<_> = codes::icd10cm()
        .iter()
        .filter(|e| sud::is_sud_icd10cm(e.code()))
        .collect();
    assert!(marked.len() > 300);
    assert!(
        marked
            .iter()
            .all(|e| e.code().starts_with('F') && !e.code().starts_with("F17"))
    );
    // every rule names codes that exist in its table
    for (system, prefix, _) in sud::rules() {
        let t = match system {
            "icd10cm" => codes::icd10cm(),
            "icd9cm" => codes::icd9cm(),
            "icd10pcs" => codes::icd10pcs(),
            "icd9pcs" => codes::icd9pcs(),
            "msdrg" => codes::ms_drg(),
            other => panic!("unknown system {other}"),
        };
        assert!(
            t.iter().any(|e| e.code().starts_with(prefix)),
            "{system} {prefix}"
        );
    }
}

#[test]
fn ccw_codebook() {
    let v = ccw::variable("NCH_CLM_TYPE_CD").unwrap();
    assert_eq!(v.ccw_id(), "NCH_CLM_TYPE_CD");
    assert_eq!(
        v.url(),
        "https://bluebutton.cms.gov/resources/variables/nch_clm_type_cd"
    );
    assert_eq!(v.label(), "NCH Claim Type Code");
    assert_eq!(
        ccw::display("NCH_CLM_TYPE_CD", "60"),
        Some("Inpatient claim")
    );
    let sex = ccw::variable("BENE_SEX_IDENT_CD").unwrap();
    assert_eq!((sex.ccw_id(), sex.url_id()), ("SEX", "sex"));
    assert_eq!(ccw::display("BENE_SEX_IDENT_CD", "2"), Some("Female"));
    assert_eq!(
        ccw::variable("MDCR_ENTLMT_BUYIN_1_IND").unwrap().url_id(),
        "buyin01"
    );
    assert_eq!(
        ccw::variable("CST_SHR_GRP_JAN_CD").unwrap().url_id(),
        "cstshr01"
    );
    assert_eq!(
        ccw::variable("PTD_CNTRCT_DEC_ID").unwrap().url_id(),
        "ptdcntrct12"
    );
    // the codebook's full text, as Blue Button shows it
    assert!(
        ccw::display("LINE_PLACE_OF_SRVC_CD", "11")
            .unwrap()
            .starts_with("Office. Location,")
    );
    assert!(ccw::display("NCH_CLM_TYPE_CD", "Blank").is_none());
    assert!(ccw::variable("BENE_GVN_NAME").is_none());
    // every value belongs to a variable that some RIF column uses
    let ids: std::collections::HashSet<_> = ccw::variables().iter().map(|v| v.ccw_id()).collect();
    let text = include_str!("../codesystems/ccw_values.tsv");
    for line in text.lines().skip(1) {
        let id = line.split('\t').next().unwrap();
        assert!(ids.contains(id), "{id}");
        let code = line.split('\t').nth(1).unwrap();
        assert_ne!(code, "Blank");
    }
    assert!(ccw::values("NCH_CLM_TYPE_CD").count() >= 8);
}

#[test]
fn builtin_codes_match_free_functions() {
    let c = Codes::builtin();
    assert_eq!(c.hcpcs().len(), codes::hcpcs().len());
    assert_eq!(c.ndc().len(), codes::ndc().len());
    assert_eq!(c.betos_of("G0439"), Some("M5D"));
}

#[test]
fn reads_official_hcpcs_and_ndc_files() {
    let o = load_code_tables(&fixtures("full")).unwrap();
    let level2 = o.hcpcs_level2.as_ref().unwrap();
    assert_eq!(
        level2.len(),
        4,
        "A0021, G0439, J1100, Z9999; D0120 left out"
    );
    assert!(!level2.contains("D0120"));
    assert_eq!(level2.display("G0439"), Some("Ppps, subseq visit"));
    let mods = o.hcpcs_modifiers.as_ref().unwrap();
    assert_eq!(mods.len(), 2);
    assert!(mods.display("LT").unwrap().starts_with("Left side"));
    let ndc = o.ndc.as_ref().unwrap();
    assert_eq!(ndc.len(), 3, "the OTC product's package is left out");

    let c = Codes::with_overrides(o);
    // Level II from the file, CPT numbers from the compiled-in list
    assert_eq!(c.hcpcs().len(), 4 + hcpcs::cpt().len());
    assert!(c.hcpcs().contains("99213") && !c.hcpcs().contains("G0438"));
    assert_eq!(c.betos_of("J1100"), Some("O1E"));
    assert_eq!(c.betos_of("Z9999"), None);
    let d = c.drug("65841080901").unwrap();
    assert_eq!(d.ndc_printed(), "65841-809-01");
    assert_eq!(d.generic_name(), "Metformin Hydrochloride");
    assert_eq!(d.strength(), "500 mg");
    assert_eq!(d.dosage_form(), "TABLET, FILM COATED");
    assert_eq!(d.brand_or_generic(), "G");
    assert_eq!(d.days_supply(), None);
    let brand = c.drug("00003089421").unwrap();
    assert!(brand.is_brand());
    assert_eq!(brand.brand_name(), "Eliquis");
    assert_eq!(brand.strength(), "5 mg");
    assert!(!c.ndc().contains("00363998014"), "OTC");
    assert!(!c.ndc().contains("00000000000"));
}

#[test]
fn ndc_package_codes() {
    assert_eq!(codes::ndc11("0002-7715-59").as_deref(), Some("00002771559"));
    assert_eq!(codes::ndc11("65841-809-01").as_deref(), Some("65841080901"));
    assert_eq!(codes::ndc11("12345-6789-1").as_deref(), Some("12345678901"));
    for bad in [
        "1234-567-89",
        "65841080901",
        "6584-1809-01x",
        "a0002-7715-59",
        "",
    ] {
        assert_eq!(codes::ndc11(bad), None, "{bad}");
    }
}

#[test]
fn malformed_files_give_clear_errors() {
    let e = load_code_tables(&fixtures("bad-hcpcs")).unwrap_err();
    let msg = e.to_string();
    assert_eq!(e.line, Some(3), "{msg}");
    assert!(msg.contains("HCPC2026_JAN_ANWEB_v2.txt:3:"), "{msg}");
    assert!(msg.contains("record identification code 'X'"), "{msg}");
    assert!(!msg.contains('\n'));

    let e = load_code_tables(&fixtures("bad-ndc")).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("package.txt:3:"), "{msg}");
    assert!(msg.contains("\"65841-80901\""), "{msg}");

    let e = load_code_tables(&fixtures("does-not-exist")).unwrap_err();
    assert!(e.to_string().contains("cannot read directory"), "{e}");
    let empty = tempfile::tempdir().unwrap();
    let e = load_code_tables(empty.path()).unwrap_err();
    assert!(e.to_string().contains("no HCPCS file"), "{e}");
}

#[test]
fn icd10cm_codes_are_valid_from_their_fiscal_year() {
    use bbgen::value::Date;
    let day = |y, m, d| Date::from_ymd(y, m, d).unwrap();
    // FY2024 (effective 2023-10-01) split Parkinson's disease G20 into G20A1…G20C.
    let g = codes::icd10cm_introduced("G20A1").unwrap();
    assert_eq!((g.before, g.effective), ("G20", day(2023, 10, 1)));
    assert_eq!(codes::icd10cm_as_of("G20A1", day(2023, 9, 30)), "G20");
    assert_eq!(codes::icd10cm_as_of("G20A1", day(2023, 10, 1)), "G20A1");
    assert!(!codes::icd10cm_valid_on("G20A1", day(2023, 9, 30)));
    assert!(codes::icd10cm_valid_on("G20", day(2023, 9, 30)));
    assert!(!codes::icd10cm_valid_on("G20", day(2023, 10, 1)));
    assert_eq!(codes::icd10cm_display("G20"), Some("Parkinson's disease"));
    assert!(codes::icd10cm_valid_on("E119", day(2015, 10, 1)));
    assert!(
        !codes::icd10cm_valid_on("E11", day(2020, 1, 1)),
        "not billable"
    );
    // Every listed code is billable now and was added in the ICD-10 era; its predecessor is
    // another code with a description.
    let icd = codes::icd10cm();
    let mut n = 0;
    for e in icd.iter() {
        if let Some(i) = codes::icd10cm_introduced(e.code()) {
            n += 1;
            assert!(i.effective > day(2015, 10, 1), "{}", i.code);
            assert_ne!(i.before, i.code);
            assert!(codes::icd10cm_display(i.before).is_some(), "{}", i.before);
        }
    }
    assert!(n >= 30, "{n} dated codes");
}
