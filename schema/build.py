#!/usr/bin/env python3
"""Rebuild schema/rif_columns.tsv from the CCW RIF layout as BFD documents it.

Usage: schema/build.py RIF_LAYOUTS_CSV > schema/rif_columns.tsv

The input is a flattening of BFD's `rif-layout-and-fhir-mapping.xlsx` joined with the
`bfd-model-rif` mapping YAML files (CMSgov/beneficiary-fhir-data): one row per RIF column with
its CCW type and length, its level (claim, line or record) and its database table, column,
SQL type and nullability. bbgen keeps only what it uses: the nine RIF files it writes.
"""
import csv
import sys

FILES = ["BENEFICIARY", "CARRIER", "INPATIENT", "OUTPATIENT", "DME", "HHA", "HOSPICE", "SNF", "PDE"]


def main(path):
    rows = [r for r in csv.DictReader(open(path, newline="")) if r["file_type"] in FILES]
    rows.sort(key=lambda r: (FILES.index(r["file_type"]), int(r["position"])))
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["file", "rif_column", "level", "db_table", "db_column", "sql_type", "nullable"])
    for r in rows:
        if r["level"] == "meta":  # DML_IND: written by the RIF emitter, not a data column
            continue
        nullable = r["db_nullable"].lower() != "false"
        out.writerow([r["file_type"].lower(), r["column"], r["level"], r["db_table"],
                      r["db_column"], r["sql_type"], "1" if nullable else "0"])


if __name__ == "__main__":
    main(sys.argv[1])
