#!/usr/bin/env python3
<<<<<<< HEAD
"""Output throughput of a release bbgen against the page cache, in one session.

Every row is the median of REPS runs (the machine is shared and noisy: compare ratios taken
in the same session, not absolute figures). Baselines: `dd bs=1M` writing the default run's
bytes to the same file system (page cache, no fdatasync), and `--stdout ndjson > file`.
Peak RSS comes from `/usr/bin/time -v`.

    cargo build --release
    benches/output.py [--users 1000] [--reps 3] [--bbgen target/release/bbgen] [--dir /tmp/x]
=======
"""Output throughput of a release bbgen against the page cache, measured in one session.

Every row is the median of REPS runs (the machine is shared and noisy: compare the ratios,
taken in the same session, not absolute figures). Baselines: `dd bs=1M` writing the default
run's bytes to the same file system (page cache, no fdatasync) and `--stdout ndjson > file`.
Peak RSS comes from `/usr/bin/time -v` (the largest of the runs).

    cargo build --release
    benches/output.py [--users 1000] [--reps 3] [--bbgen target/release/bbgen] [--dir DIR]
>>>>>>> pipeline
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def timed(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS in MB)."""
    start = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], stdout=stdout, stderr=subprocess.PIPE,
                       text=True, check=True)
    wall = time.monotonic() - start
    rss = next(int(l.split(":")[1]) for l in p.stderr.splitlines() if "Maximum resident" in l)
    return wall, rss / 1024


def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


<<<<<<< HEAD
class Bench:
    def __init__(self, args):
        self.a = args
        self.rows = []

    def median(self, label, run):
        """Runs `run` REPS times; each returns (wall, rss, bytes, extra); records medians."""
        results = [run() for _ in range(self.a.reps)]
        wall = statistics.median(r[0] for r in results)
        rss = max(r[1] for r in results)
        size, extra = results[0][2], results[0][3]
        self.rows.append((label, wall, rss, size, extra))
        print(f"{label:48} {wall:7.2f} s  {size / wall / 1e6:7.0f} MB/s  {rss:5.0f} MB  {extra}",
              flush=True)
        return wall, size, extra

    def run(self, *opts, threads=None):
        out = os.path.join(self.a.dir, "out")
        def once():
            shutil.rmtree(out, ignore_errors=True)
            cmd = [self.a.bbgen, "--users", str(self.a.users), "--out", out, "--quiet", *opts]
            if threads:
                cmd += ["--threads", str(threads)]
            wall, rss = timed(cmd)
            m = json.load(open(os.path.join(out, "manifest.json")))
            size = du(out)
            shutil.rmtree(out)
            return wall, rss, size, m["counts"]
=======
def rows(counts, prefix):
    return sum(v for k, v in counts.items() if k.startswith(prefix))


class Bench:
    def __init__(self, args):
        self.a = args

    def median(self, label, run):
        """Runs `run` REPS times (each returns wall, rss, bytes, counts); prints the median."""
        results = [run() for _ in range(self.a.reps)]
        wall = statistics.median(r[0] for r in results)
        rss = max(r[1] for r in results)
        size, counts = results[0][2], results[0][3]
        print(f"| {label} | {wall:.2f} s | {size / 1e6:.0f} MB | {size / wall / 1e6:.0f} MB/s "
              f"| {rss:.0f} MB |", flush=True)
        return wall, size, counts

    def run(self, *opts):
        out = os.path.join(self.a.dir, "out")
        def once():
            shutil.rmtree(out, ignore_errors=True)
            wall, rss = timed([self.a.bbgen, "--users", str(self.a.users), "--out", out,
                               "--quiet", *opts])
            counts = json.load(open(os.path.join(out, "manifest.json")))["counts"]
            size = du(out)
            shutil.rmtree(out)
            return wall, rss, size, counts
>>>>>>> pipeline
        return once

    def stdout_to_file(self):
        path = os.path.join(self.a.dir, "stdout.ndjson")
        def once():
            with open(path, "wb") as f:
                wall, rss = timed([self.a.bbgen, "--users", str(self.a.users), "--quiet",
                                   "--stdout", "ndjson"], stdout=f)
            size = os.path.getsize(path)
            os.remove(path)
            return wall, rss, size, {}
        return once

    def dd(self, size):
        path = os.path.join(self.a.dir, "dd.bin")
        def once():
            start = time.monotonic()
            subprocess.run(["dd", "if=/dev/zero", f"of={path}", "bs=1M",
                            f"count={size // 1048576 + 1}", "status=none"], check=True)
            wall = time.monotonic() - start
            os.remove(path)
            return wall, 0, size, {}
        return once


<<<<<<< HEAD
def rows(counts, prefix):
    return sum(v for k, v in counts.items() if k.startswith(prefix))


=======
>>>>>>> pipeline
def main():
    p = argparse.ArgumentParser()
    p.add_argument("--users", type=int, default=1000)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--bbgen", default="target/release/bbgen")
    p.add_argument("--dir", default=None)
    a = p.parse_args()
    a.dir = a.dir or tempfile.mkdtemp(prefix="bbgen-bench-")
<<<<<<< HEAD
    b = Bench(a)
    u = a.users
    print(f"bbgen {a.bbgen}, {u} users, {a.reps} runs each, in {a.dir}, {os.cpu_count()} cores")
    dflt, size, _ = b.median("default formats", b.run())
    dd, _, _ = b.median("dd bs=1M, same bytes", b.dd(size))
    fhir, _, _ = b.median("--formats fhir", b.run("--formats", "fhir"))
    so, _, _ = b.median("--stdout ndjson > file", b.stdout_to_file())
    cp = {}
    for t in (1, 2):
        cp[t], _, _ = b.median(f"--formats csv,parquet --threads {t}",
                               b.run("--formats", "csv,parquet", threads=t))
    csv, _, c = b.median("--formats csv", b.run("--formats", "csv"))
    pq, _, q = b.median("--formats parquet", b.run("--formats", "parquet"))
    print()
    print(f"default / dd                  {dflt / dd:.2f}  (target <= 1.5)")
    print(f"fhir files / stdout > file    {fhir / so:.2f}  (target <= 1.2)")
    for t in (1, 2):
        print(f"csv+parquet, {t} thread(s)     {u / cp[t]:.0f} beneficiaries/s (target >= 4000 on 2)")
    print(f"parquet rows/s / csv rows/s   {(rows(q, 'parquet/') / pq) / (rows(c, 'csv/') / csv):.2f}"
          "  (target >= 0.5)")
=======
    b, u = Bench(a), a.users
    print(f"{a.bbgen}, {u} users, median of {a.reps}, in {a.dir}, {os.cpu_count()} cores\n")
    print("| run | wall | bytes | rate | peak RSS |\n|---|---|---|---|---|")
    dflt, size, _ = b.median("default formats", b.run())
    dd, _, _ = b.median("`dd bs=1M`, same bytes", b.dd(size))
    fhir, _, _ = b.median("`--formats fhir`", b.run("--formats", "fhir"))
    so, _, _ = b.median("`--stdout ndjson > file`", b.stdout_to_file())
    cp = {t: b.median(f"`--formats csv,parquet --threads {t}`",
                      b.run("--formats", "csv,parquet", "--threads", str(t)))[0] for t in (1, 2)}
    csv, _, c = b.median("`--formats csv`", b.run("--formats", "csv"))
    pq, _, q = b.median("`--formats parquet`", b.run("--formats", "parquet"))
    print(f"\ndefault / dd: {dflt / dd:.2f} (target <= 1.5)")
    print(f"fhir files / stdout > file: {fhir / so:.2f} (target <= 1.2)")
    for t in (1, 2):
        print(f"csv+parquet, {t} thread(s): {u / cp[t]:.0f} beneficiaries/s (target >= 4000 on 2)")
    ratio = (rows(q, "parquet/") / pq) / (rows(c, "csv/") / csv)
    print(f"parquet rows/s over csv rows/s: {ratio:.2f} (target >= 0.5)")
>>>>>>> pipeline
    shutil.rmtree(a.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
