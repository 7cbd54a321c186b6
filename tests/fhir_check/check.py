"""Parse every FHIR resource of the given NDJSON / JSON files with the FHIR R4 (4.0.1) models
of fhir.resources and exit non-zero at the first invalid one, naming it.

Usage: check.py FILE_OR_DIR...   (*.ndjson: one resource per line; *.json: one resource)
The models reject unknown elements, missing required elements, wrong types and malformed
primitives (dates, ids, codes, URIs); a Bundle's entries are checked as their own types.
"""

import json
import os
import sys

import fhir.resources
from fhir.resources import construct_fhir_element


def check(obj, where):
    rt = obj.get("resourceType") if isinstance(obj, dict) else None
    if not rt:
        raise ValueError("no resourceType")
    construct_fhir_element(rt, obj)


def files(args):
    for a in args:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                for n in sorted(names):
                    if n.endswith((".ndjson", ".json")):
                        yield os.path.join(root, n)
        else:
            yield a


def main(args):
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    assert fhir.resources.__fhir_version__ == "4.0.1", fhir.resources.__fhir_version__
    count = 0
    for path in files(args):
        with open(path, encoding="utf-8") as f:
            if path.endswith(".ndjson"):
                docs = ((i + 1, line) for i, line in enumerate(f) if line.strip())
            else:
                docs = [(1, f.read())]
            for line_no, text in docs:
                where = f"{path}:{line_no}"
                try:
                    obj = json.loads(text)
                    check(obj, where)
                except Exception as e:  # noqa: BLE001 - report whatever the models reject
                    rid = obj.get("id") if isinstance(locals().get("obj"), dict) else None
                    print(f"INVALID {where} {rid or ''}: {e}", file=sys.stderr)
                    return 1
                count += 1
    print(f"{count} resources valid (FHIR {fhir.resources.__fhir_version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
