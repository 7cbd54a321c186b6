"""Dask: a bbgen table as a dask DataFrame with one partition per part of the run.

    import bbgen, bbgen.dask
    df = bbgen.dask.read(bbgen.Plan(users=1_000_000), "carrier_claims", parts=64)

Each partition is computed where Dask schedules it, from the pickled plan and part alone, and
holds the rows `--shard k/parts` writes; Dask handles scheduling and retries.
"""

import dask.dataframe as dd
import pandas as pd

import bbgen


def _pandas(table):
    # Arrow-backed columns keep the Parquet types (decimals, dates, nullable integers) as they are.
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _partition(part, plan, table):
    return _pandas(bbgen.read(plan, table, part=part).read_all())


def read(plan, table, parts):
    """The rows of `table` in `parts` partitions, in the CLI's row order."""
    empty = _pandas(plan.schema(table).empty_table())
    return dd.from_map(_partition, plan.split(parts), plan=plan, table=table, meta=empty,
                       enforce_metadata=False)
