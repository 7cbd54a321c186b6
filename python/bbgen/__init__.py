"""bbgen: synthetic Medicare beneficiaries and claims in the shape of the CMS Blue Button 2.0
API, deterministic from a seed, as Arrow batches of any table for any part of a run.

    import bbgen
    plan = bbgen.Plan(users=60_000_000, seed=42)      # the CLI's data options and defaults
    plan.tables(); plan.schema("carrier_claims")      # the columns of the Parquet files
    parts = plan.split(2000)                          # parts[k-1] holds what --shard k/2000 writes
    reader = bbgen.read(plan, "carrier_claims", part=parts[16])   # a pyarrow.RecordBatchReader

The rows of any part equal the rows the CLI writes for those users; plans and parts pickle.
FHIR resource types are tables of one string column, `resource`, the lines of their NDJSON
files: "fhir/Patient", "fhir/Coverage", "fhir/ExplanationOfBenefit" (and "fhir-stu3/…").
"""

from bbgen._native import Part, Plan, read

__all__ = ["Part", "Plan", "read"]
