"""bbgen.read: the parts of a run, read alone and concatenated, hold the CLI's rows: the
Parquet tables' rows, and the FHIR NDJSON files' lines."""

import pickle

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import bbgen
from conftest import cli_lines, cli_table, is_fhir, run_cli

LIMITS = [dict(), dict(max_rows=5), dict(max_rows=1000), dict(max_bytes=4096)]


def parts_table(plan, table, n, **limits):
    """Every part of `n` read alone, its batches checked against the limits, concatenated."""
    batches = []
    for part in plan.split(n):
        reader = bbgen.read(plan, table, part=part, **limits)
        assert isinstance(reader, pa.RecordBatchReader)
        assert reader.schema == plan.schema(table)
        for b in reader:
            assert 0 < b.num_rows <= limits.get("max_rows", 1 << 30)
            batches.append(b)
    return pa.Table.from_batches(batches, schema=plan.schema(table))


@pytest.mark.parametrize("n", [1, 3, 7])
@pytest.mark.parametrize("limits", LIMITS, ids=lambda l: ",".join(f"{k}={v}" for k, v in l.items()) or "default")
def test_parts_concatenate_to_the_cli_tables(plan, cli_run, n, limits):
    filled = 0
    for table in filter(lambda t: not is_fhir(t), plan.tables()):
        cli = cli_table(cli_run, table)
        ours = parts_table(plan, table, n, **limits)
        assert ours.schema == cli.schema, table
        assert ours.equals(cli), f"{table}, {n} parts, {limits}"
        filled += cli.num_rows > 0
    assert filled >= 14, filled


@pytest.mark.parametrize("n", [1, 3, 7])
@pytest.mark.parametrize("limits", LIMITS, ids=lambda l: ",".join(f"{k}={v}" for k, v in l.items()) or "default")
def test_fhir_parts_are_the_cli_ndjson_lines(plan, cli_run, n, limits):
    fhir = [t for t in plan.tables() if is_fhir(t)]
    assert len(fhir) == 6 and "fhir/ExplanationOfBenefit" in fhir
    for table in fhir:
        assert plan.schema(table) == pa.schema([pa.field("resource", pa.string(), nullable=False)])
        lines = cli_lines(cli_run, table)
        assert lines, table
        ours = parts_table(plan, table, n, **limits)
        assert ours["resource"].to_pylist() == lines, f"{table}, {n} parts, {limits}"


def test_byte_limit_cuts_fhir_batches(plan):
    limit = 16384
    batches = list(bbgen.read(plan, "fhir/ExplanationOfBenefit", max_bytes=limit))
    assert len(batches) > 3
    for b in batches[:-1]:
        sizes = [len(line.encode()) + 4 for line in b["resource"].to_pylist()]
        assert sum(sizes) >= limit > sum(sizes) - sizes[-1]


def test_byte_limit_cuts_batches(plan):
    batches = list(bbgen.read(plan, "carrier_claim_lines", max_bytes=8192))
    assert len(batches) > 3
    assert all(b.nbytes < 64 * 8192 for b in batches)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_each_shard_equals_its_part(plan, bbgen_bin, tmp_path, k):
    run = run_cli(bbgen_bin, tmp_path, plan, "--shard", f"{k}/3")
    part = plan.split(3)[k - 1]
    assert part.shard == f"{k}/3"
    for table in plan.tables():
        ours = bbgen.read(plan, table, part=part).read_all()
        if is_fhir(table):
            assert ours["resource"].to_pylist() == cli_lines(run, table), table
        else:
            cli = pq.read_table(run / "parquet" / table / f"part-{k}-of-3.parquet")
            assert ours.equals(cli), table


def test_plans_and_parts_pickle(plan):
    again = pickle.loads(pickle.dumps(plan))
    assert again == plan and repr(again) == repr(plan)
    parts = pickle.loads(pickle.dumps(plan.split(7)))
    assert parts == plan.split(7)
    whole = bbgen.read(plan, "partd_events").read_all()
    joined = pa.concat_tables(bbgen.read(again, "partd_events", part=p).read_all() for p in parts)
    assert joined.equals(whole)
    assert bbgen.Plan() == bbgen.Plan(users=30_000, seed=42, offset=0, end_date="2025-12-31")


def test_split_tiles_the_run(plan):
    for n in [1, 5, 36, 40]:
        parts = plan.split(n)
        assert [p.index for p in parts] == list(range(n))
        assert parts[0].start == plan.offset and parts[-1].end == plan.offset + plan.users
        assert all(a.end == b.start for a, b in zip(parts, parts[1:]))


def test_bad_requests_are_value_errors(plan):
    with pytest.raises(ValueError, match="carrier_claims"):
        bbgen.read(plan, "claims")
    with pytest.raises(ValueError, match="not a part"):
        bbgen.read(plan, "beneficiaries", part=bbgen.Part(0, 3, 0, 12))
    with pytest.raises(ValueError, match="not a part"):
        bbgen.read(plan, "beneficiaries", part=bbgen.Plan(users=99).split(3)[0])
    with pytest.raises(ValueError, match="at least one"):
        bbgen.read(plan, "beneficiaries", max_rows=0)
    with pytest.raises(ValueError, match="at least one part"):
        plan.split(0)
    with pytest.raises(ValueError, match="--users"):
        bbgen.Plan(users=0)
    with pytest.raises(ValueError, match="claims_scale"):
        bbgen.Plan(claims_scale=101)
    with pytest.raises(ValueError, match="end_date"):
        bbgen.Plan(end_date="2010-01-01")
    with pytest.raises(OverflowError):
        bbgen.Plan(users=-1)
