"""Spark: a bbgen table as a Spark DataFrame, each Spark partition one part of the run.

Spark ≥ 4.0, through a Python data source:

    import bbgen.spark
    bbgen.spark.register(spark)
    df = (spark.read.format("bbgen").option("table", "carrier_claims")
          .option("users", 1_000_000).option("seed", 42).option("parts", 64).load())

Spark 3.3–3.5 (and later), through mapInArrow:

    df = bbgen.spark.dataframe(spark, "carrier_claims", bbgen.Plan(users=1_000_000), parts=64)

Either way the parts travel to the executors as data (their user ranges), so which rows a
partition holds never depends on Spark's partition ids, its retries or its RNG.
"""

import bbgen

# The data source's options that make the plan, as Plan's arguments.
_PLAN_OPTIONS = {"users": int, "seed": int, "offset": int, "end_date": str, "claims_scale": float}


def _spark_schema(plan, table):
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(plan.schema(table))


def dataframe(spark, table, plan, parts):
    """The rows of `table` of `plan` in `parts` partitions, over `mapInArrow`."""
    rows = [(p.index, p.count, p.start, p.end) for p in plan.split(parts)]
    ranges = spark.createDataFrame(rows, "index long, count long, start long, end long")

    def generate(batches):
        for b in batches:
            for index, count, start, end in zip(*(b.column(i).to_pylist() for i in range(4))):
                yield from bbgen.read(plan, table, part=bbgen.Part(index, count, start, end))

    return ranges.repartition(parts).mapInArrow(generate, _spark_schema(plan, table))


def register(spark):
    """Registers the `bbgen` data source (Spark ≥ 4.0)."""
    spark.dataSource.register(_data_source())


def _data_source():
    from pyspark.sql.datasource import DataSource, DataSourceReader, InputPartition

    class Reader(DataSourceReader):
        def __init__(self, plan, table, parts):
            self.plan, self.table, self.parts = plan, table, parts

        def partitions(self):
            return [InputPartition(p) for p in self.plan.split(self.parts)]

        def read(self, partition):
            yield from bbgen.read(self.plan, self.table, part=partition.value)

    class BbgenDataSource(DataSource):
        @classmethod
        def name(cls):
            return "bbgen"

        def _args(self):
            if "table" not in self.options:
                raise ValueError("the bbgen data source needs option('table', …)")
            plan = bbgen.Plan(**{k: f(self.options[k]) for k, f in _PLAN_OPTIONS.items()
                                 if k in self.options})
            return plan, self.options["table"], int(self.options.get("parts", 1))

        def schema(self):
            plan, table, _ = self._args()
            return _spark_schema(plan, table)

        def reader(self, schema):
            return Reader(*self._args())

    return BbgenDataSource
