"""bbgen.dask.read: one partition per part, together the rows bbgen.read gives; on a
distributed LocalCluster of two worker processes, the CLI's count, payment sum and row hash."""

import dask
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from distributed import Client, LocalCluster

import bbgen
import bbgen.dask
from conftest import cli_table

TABLE = "carrier_claims"


@pytest.mark.parametrize("parts", [1, 3, 7])
def test_dask_partitions_hold_the_table(plan, parts):
    df = bbgen.dask.read(plan, TABLE, parts=parts)
    assert df.npartitions == parts
    expected = bbgen.read(plan, TABLE).read_all().to_pandas()
    got = df.compute(scheduler="threads").reset_index(drop=True)
    assert list(got.columns) == plan.schema(TABLE).names
    assert len(got) == len(expected) > 0
    assert got["clm_id"].tolist() == expected["clm_id"].tolist()
    assert got["clm_pmt_amt"].sum() == expected["clm_pmt_amt"].sum()


def row_hash(hashes):
    """The rows' hashes (pandas' hash of every cell of a row) folded with xor: equal for
    equal rows, whatever their order."""
    return int(np.bitwise_xor.reduce(hashes.to_numpy(dtype=np.uint64), initial=np.uint64(0)))


def test_local_cluster_equals_the_cli(plan, cli_run):
    cli = cli_table(cli_run, TABLE)
    cli_pandas = cli.to_pandas(types_mapper=pd.ArrowDtype)
    want = (cli.num_rows, pc.sum(cli["clm_pmt_amt"]).as_py(),
            row_hash(pd.util.hash_pandas_object(cli_pandas, index=False)))
    assert want[0] > 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        df = bbgen.dask.read(plan, TABLE, parts=3)
        # The client is the default scheduler: the parts are generated in the two worker
        # processes, from the pickled plan and parts, and each row hashed there; the
        # payments and hashes come back.
        payments, hashes = dask.compute(
            df["clm_pmt_amt"], df.map_partitions(pd.util.hash_pandas_object, index=False))
        assert len(client.scheduler_info()["workers"]) == 2
    got = (len(hashes), pc.sum(pa.array(payments)).as_py(), row_hash(hashes))
    assert got == want
