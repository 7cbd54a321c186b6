"""Parse every FHIR resource of the given NDJSON / JSON files with the FHIR R4 (4.0.1) models
of fhir.resources, or with its STU3 (3.0.2) models given --stu3, and exit non-zero at the
first invalid one, naming it.

Usage: check.py [--stu3] FILE_OR_DIR...   (*.ndjson: one resource per line; *.json: one resource)
The models reject unknown elements, missing required elements, wrong types and malformed
primitives (dates, ids, codes, URIs); a Bundle's entries are checked as their own types.
Resources are checked on all cores, in batches; the first invalid one in file order is
reported.
"""

import json
import multiprocessing
import os
import sys

import fhir.resources

STU3 = "--stu3" in sys.argv[1:]
if STU3:
    import fhir.resources.STU3 as models
    from fhir.resources.STU3 import construct_fhir_element
    VERSION = "3.0.2"
else:
    models = fhir.resources
    from fhir.resources import construct_fhir_element
    VERSION = "4.0.1"

BATCH = 64


def check_batch(batch):
    """Checks (where, text) pairs; returns (count, None) or (count, (where, id, message)) of
    the first bad one."""
    for where, text in batch:
        obj = None
        try:
            obj = json.loads(text)
            rt = obj.get("resourceType") if isinstance(obj, dict) else None
            if not rt:
                raise ValueError("no resourceType")
            construct_fhir_element(rt, obj)
        except Exception as e:  # noqa: BLE001 - report whatever the models reject
            rid = obj.get("id") if isinstance(obj, dict) else None
            return (len(batch), (where, rid or "", str(e)))
    return (len(batch), None)


def files(args):
    for a in args:
        if os.path.isdir(a):
            for root, dirs, names in os.walk(a):
                dirs.sort()
                for n in sorted(names):
                    if n.endswith((".ndjson", ".json")):
                        yield os.path.join(root, n)
        else:
            yield a


def batches(args):
    batch = []
    for path in files(args):
        with open(path, encoding="utf-8") as f:
            if path.endswith(".ndjson"):
                for i, line in enumerate(f):
                    if line.strip():
                        batch.append((f"{path}:{i + 1}", line))
                        if len(batch) == BATCH:
                            yield batch
                            batch = []
            else:
                batch.append((f"{path}:1", f.read()))
                if len(batch) == BATCH:
                    yield batch
                    batch = []
    if batch:
        yield batch


def main(args):
    args = [a for a in args if a != "--stu3"]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    assert models.__fhir_version__ == VERSION, models.__fhir_version__
    count = 0
    with multiprocessing.Pool(os.cpu_count() or 1) as pool:
        for n, bad in pool.imap(check_batch, batches(args)):
            if bad:
                where, rid, msg = bad
                print(f"INVALID {where} {rid}: {msg}", file=sys.stderr)
                pool.terminate()
                return 1
            count += n
    print(f"{count} resources valid (FHIR {models.__fhir_version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
