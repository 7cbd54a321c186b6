"""bbgen.spark: Spark (local[2]) reads a table through the data source and through mapInArrow,
and gets the count, payment sum and row hash of the CLI's Parquet file."""

import os
import sys

import pytest
from pyspark.sql import SparkSession

import bbgen
import bbgen.spark
from conftest import PLAN_ARGS

TABLE = "carrier_claims"
SUMMARY = ["count(*)", "sum(clm_pmt_amt)", "bit_xor(xxhash64(*))"]


@pytest.fixture(scope="module")
def spark():
    # The workers run this interpreter, which has the wheel.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("bbgen-test")
               .config("spark.ui.enabled", "false").getOrCreate())
    yield session
    session.stop()


@pytest.fixture(scope="module")
def expected(spark, cli_run):
    path = str(cli_run / "parquet" / f"{TABLE}.parquet")
    return spark.read.parquet(path).selectExpr(*SUMMARY).collect()[0]


@pytest.mark.parametrize("parts", [1, 3])
def test_map_in_arrow_equals_the_cli(spark, plan, expected, parts):
    df = bbgen.spark.dataframe(spark, TABLE, plan, parts=parts)
    assert df.columns == plan.schema(TABLE).names
    assert df.selectExpr(*SUMMARY).collect()[0] == expected
    assert expected[0] > 0


def test_data_source_equals_the_cli(spark, expected):
    bbgen.spark.register(spark)
    reader = spark.read.format("bbgen").option("table", TABLE).option("parts", 3)
    for k, v in PLAN_ARGS.items():
        reader = reader.option(k, v)
    df = reader.load()
    assert df.rdd.getNumPartitions() == 3
    assert df.selectExpr(*SUMMARY).collect()[0] == expected
