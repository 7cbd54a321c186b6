"""Shared fixtures: a small run written by the bbgen binary, to compare the package's rows with.

BBGEN_BIN names the binary (tests/python.rs sets it to the one cargo built). Without it the
comparisons with the CLI are skipped, unless CI is set, when they fail.
"""

import os
import subprocess

import pyarrow.parquet as pq
import pytest

import bbgen

# Small, but every table has rows; the offset shows that parts follow the run's users.
PLAN_ARGS = dict(users=36, seed=7, offset=3, claims_scale=1.5)


@pytest.fixture(scope="session")
def plan():
    return bbgen.Plan(**PLAN_ARGS)


@pytest.fixture(scope="session")
def bbgen_bin():
    path = os.environ.get("BBGEN_BIN")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("BBGEN_BIN is not set under CI: it must name the bbgen binary")
    pytest.skip("BBGEN_BIN is not set (it names the bbgen binary; tests/python.rs sets it)")


def cli_args(plan):
    return [
        "--users", str(plan.users), "--seed", str(plan.seed), "--offset", str(plan.offset),
        "--end-date", plan.end_date, "--claims-scale", repr(plan.claims_scale),
    ]


# What the CLI writes for the comparisons: every table and both versions' NDJSON files.
FORMATS = "parquet,fhir,fhir-stu3"


def run_cli(bbgen_bin, out, plan, *more):
    """Writes the plan's Parquet tables and FHIR NDJSON files with the CLI into `out`."""
    cmd = [bbgen_bin, "--out", str(out), "--quiet", "--formats", FORMATS, *cli_args(plan), *more]
    subprocess.run(cmd, check=True, capture_output=True)
    return out


@pytest.fixture(scope="session")
def cli_run(bbgen_bin, plan, tmp_path_factory):
    """The directory of the CLI's whole run of the plan."""
    return run_cli(bbgen_bin, tmp_path_factory.mktemp("whole"), plan)


def is_fhir(table):
    """Whether `table` is a FHIR resource type's NDJSON lines (`fhir/Patient`, …)."""
    return "/" in table


def cli_table(run, table):
    return pq.read_table(run / "parquet" / f"{table}.parquet")


def cli_lines(run, table):
    """The lines of a FHIR resource type's NDJSON file."""
    return (run / f"{table}.ndjson").read_text(encoding="utf-8").splitlines()
