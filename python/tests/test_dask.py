"""bbgen.dask.read: one partition per part, together the rows bbgen.read gives."""

import pytest

import bbgen
import bbgen.dask


@pytest.mark.parametrize("parts", [1, 3, 7])
def test_dask_partitions_hold_the_table(plan, parts):
    df = bbgen.dask.read(plan, "carrier_claims", parts=parts)
    assert df.npartitions == parts
    expected = bbgen.read(plan, "carrier_claims").read_all().to_pandas()
    got = df.compute(scheduler="threads").reset_index(drop=True)
    assert list(got.columns) == plan.schema("carrier_claims").names
    assert len(got) == len(expected) > 0
    assert got["clm_id"].tolist() == expected["clm_id"].tolist()
    assert got["clm_pmt_amt"].sum() == expected["clm_pmt_amt"].sum()
