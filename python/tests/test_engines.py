"""DuckDB and Polars read a bbgen reader as it is, and see the rows pyarrow sees."""

import duckdb
import polars as pl
import pyarrow.compute as pc

import bbgen


def test_duckdb_reads_the_reader(plan):
    expected = bbgen.read(plan, "carrier_claims").read_all()
    reader = bbgen.read(plan, "carrier_claims", max_rows=10)
    con = duckdb.connect()
    con.register("claims", reader)
    [(count, total)] = con.sql("select count(*), sum(clm_pmt_amt) from claims").fetchall()
    assert count == expected.num_rows > 0
    assert total == pc.sum(expected["clm_pmt_amt"]).as_py()


def test_polars_reads_the_reader(plan):
    expected = bbgen.read(plan, "beneficiaries").read_all()
    df = pl.from_arrow(bbgen.read(plan, "beneficiaries", max_rows=7))
    assert df.height == plan.users
    assert df["bene_id"].to_list() == expected["bene_id"].to_pylist()
    assert df.columns == plan.schema("beneficiaries").names
