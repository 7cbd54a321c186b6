#!/usr/bin/env python3
"""Output throughput of a release bbgen against the page cache, measured in one session.

Every row is the median of REPS runs (the machine is shared and noisy: compare the ratios,
taken in the same session, not absolute figures). Baselines: `dd bs=1M` writing the default
run's bytes to the same file system (page cache, no fdatasync) and `--stdout ndjson > file`.
Peak RSS comes from `/usr/bin/time -v` (the largest of the runs).

`--model` adds where the time goes per byte of FHIR NDJSON, in nanoseconds of one core (CPU
time over bytes, the candidate only): rendering (`--stdout ndjson > /dev/null`), the kernel's
copy into the page cache (`> file`, less rendering), SHA-256 (`sha256sum` of that file, one
core), compression (`--formats fhir --compress gzip|zstd`, less the plain run), and the ideal
wall time on N cores. `--rss 3000,30000` runs the default formats once per binary for each
number of users and prints the peak RSS; a run that would not fit half the free space of
`--dir` writes `--compress zstd` instead (said in its row).

With `--vs OTHER`, every row runs OTHER and BBGEN in turn (A B A B ...), so a before/after
comparison sees the same machine load, and prints both medians and their ratio.

    cargo build --release
    benches/output.py [--users 1000] [--reps 3] [--bbgen target/release/bbgen] [--vs OLD]
                      [--dir DIR] [--only default,fhir,...] [--model] [--rss 3000,30000]
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
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS in MB, CPU seconds)."""
    start = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], stdout=stdout, stderr=subprocess.PIPE,
                       text=True, check=True)
    wall = time.monotonic() - start
    field = lambda name: next(l.split(": ")[1] for l in p.stderr.splitlines() if name in l)
    cpu = float(field("User time")) + float(field("System time"))
    return wall, int(field("Maximum resident")) / 1024, cpu


def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def rows(counts, prefix):
    return sum(v for k, v in counts.items() if k.startswith(prefix))


class Result:
    """The medians of one row's runs of one binary."""

    def __init__(self, runs):
        self.wall = statistics.median(r[0] for r in runs)
        self.rss = max(r[1] for r in runs)
        self.size, self.counts = runs[0][2], runs[0][3]


class Bench:
    def __init__(self, args):
        self.a = args
        self.bins = [args.vs, args.bbgen] if args.vs else [args.bbgen]

    def row(self, label, make):
        """Runs `make(bin)()` REPS times per binary, interleaved; prints and returns the
        candidate's result (the last binary)."""
        runs = [[] for _ in self.bins]
        for _ in range(self.a.reps):
            for i, b in enumerate(self.bins):
                runs[i].append(make(b)())
        res = [Result(r) for r in runs]
        cells = " | ".join(f"{r.wall:.2f} s, {r.size / r.wall / 1e6:.0f} MB/s, {r.rss:.0f} MB"
                           for r in res)
        ratio = f" | {res[1].wall / res[0].wall:.2f}" if len(res) == 2 else ""
        print(f"| {label} | {res[-1].size / 1e6:.0f} MB | {cells}{ratio} |", flush=True)
        return res

    def run(self, *opts):
        out = os.path.join(self.a.dir, "out")
        def make(bbgen):
            def once():
                shutil.rmtree(out, ignore_errors=True)
                wall, rss, _ = timed([bbgen, "--users", str(self.a.users), "--out", out,
                                      "--quiet", *opts])
                counts = json.load(open(os.path.join(out, "manifest.json")))["counts"]
                size = du(out)
                shutil.rmtree(out)
                return wall, rss, size, counts
            return once
        return make

    def stdout_to_file(self):
        path = os.path.join(self.a.dir, "stdout.ndjson")
        def make(bbgen):
            def once():
                with open(path, "wb") as f:
                    wall, rss, _ = timed([bbgen, "--users", str(self.a.users), "--quiet",
                                          "--stdout", "ndjson"], stdout=f)
                size = os.path.getsize(path)
                os.remove(path)
                return wall, rss, size, {}
            return once
        return make

    def dd(self, size):
        path = os.path.join(self.a.dir, "dd.bin")
        def make(_):
            def once():
                start = time.monotonic()
                subprocess.run(["dd", "if=/dev/zero", f"of={path}", "bs=1M",
                                f"count={size // 1048576 + 1}", "status=none"], check=True)
                wall = time.monotonic() - start
                os.remove(path)
                return wall, 0, size, {}
            return once
        return make


ROWS = ["default", "fhir", "csv+parquet", "csv", "parquet"]


def median_cpu(reps, cmd, stdout=subprocess.DEVNULL):
    """Median (wall, CPU) seconds of `reps` runs of cmd."""
    runs = []
    for _ in range(reps):
        if callable(stdout):
            with stdout() as f:
                runs.append(timed(cmd, stdout=f))
        else:
            runs.append(timed(cmd, stdout=stdout))
    return statistics.median(r[0] for r in runs), statistics.median(r[2] for r in runs)


def model(a):
    """Where the time goes per byte of FHIR NDJSON (the candidate binary)."""
    base = [a.bbgen, "--users", str(a.users), "--quiet"]
    path = os.path.join(a.dir, "model.ndjson")
    render = median_cpu(a.reps, [*base, "--stdout", "ndjson"])
    to_file = median_cpu(a.reps, [*base, "--stdout", "ndjson"], stdout=lambda: open(path, "wb"))
    size = os.path.getsize(path)
    hashing = median_cpu(a.reps, ["sha256sum", path])
    os.remove(path)
    out = os.path.join(a.dir, "out")
    def files(*opts):
        shutil.rmtree(out, ignore_errors=True)
        r = median_cpu(a.reps, [*base, "--formats", "fhir", "--out", out, "--force", *opts])
        shutil.rmtree(out, ignore_errors=True)
        return r
    plain, gz, zst = files(), files("--compress", "gzip"), files("--compress", "zstd")
    ns = lambda cpu: cpu / size * 1e9
    print(f"\nWhere the time goes, FHIR NDJSON, {size / 1e6:.0f} MB, ns of one core per byte "
          "(median CPU time over bytes):\n")
    print("| part | ns/byte | how |\n|---|---|---|")
    print(f"| render | {ns(render[1]):.2f} | `--stdout ndjson > /dev/null` |")
    print(f"| copy into the page cache | {ns(to_file[1] - render[1]):.2f} | `> file`, less render |")
    print(f"| SHA-256 (one core) | {ns(hashing[1]):.2f} | `sha256sum` of the file |")
    print(f"| gzip | {ns(gz[1] - plain[1]):.2f} | `--compress gzip`, less the plain files run |")
    print(f"| zstd | {ns(zst[1] - plain[1]):.2f} | `--compress zstd`, less the plain files run |")
    print(f"| files, all of it | {ns(plain[1]):.2f} | `--formats fhir`: wall {plain[0]:.2f} s |")
    cores = os.cpu_count()
    ideal = max((to_file[1] + hashing[1]) / cores, hashing[1])
    print(f"\nIdeal wall on {cores} cores, (render + copy + hash) / N but never below one "
          f"file's hash: {ideal:.2f} s; measured {plain[0]:.2f} s "
          f"({plain[0] / ideal:.2f}x the ideal).")


def rss(a, bins, users_list):
    """Peak RSS of the default formats for each number of users, once per binary."""
    print("\n| users | " + " | ".join(bins) + " | written as |\n|---|" + "---|" * (len(bins) + 1))
    out = os.path.join(a.dir, "out")
    for users in users_list:
        free = shutil.disk_usage(a.dir).free
        # About 2.5 MB a beneficiary at the default formats (README, "How large").
        opts = ["--compress", "zstd"] if users * 2.5e6 > free / 2 else []
        cells = []
        for b in bins:
            shutil.rmtree(out, ignore_errors=True)
            wall, peak, _ = timed([b, "--users", str(users), "--seed", "42", "--out", out,
                                   "--quiet", *opts])
            shutil.rmtree(out, ignore_errors=True)
            cells.append(f"{peak:.0f} MB ({wall:.0f} s)")
        how = "`--compress zstd` (plain would not fit)" if opts else "plain"
        print(f"| {users} | " + " | ".join(cells) + f" | {how} |", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--users", type=int, default=1000)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--bbgen", default="target/release/bbgen")
    p.add_argument("--vs", default=None, help="a baseline bbgen, run in turn with --bbgen")
    p.add_argument("--dir", default=None)
    p.add_argument("--only", default=",".join(ROWS),
                   help=f"rows to run, of {','.join(ROWS)}; 'none' for none")
    p.add_argument("--model", action="store_true", help="where the time goes per byte")
    p.add_argument("--rss", default=None, help="users counts for peak RSS runs: 3000,30000")
    a = p.parse_args()
    a.dir = a.dir or tempfile.mkdtemp(prefix="bbgen-bench-")
    only = set(a.only.split(","))
    b, u = Bench(a), a.users
    who = f"{a.bbgen} against {a.vs} (before | after | after/before)" if a.vs else a.bbgen
    print(f"{who}, {u} users, median of {a.reps}, in {a.dir}, {os.cpu_count()} cores\n")
    cols = "before | after | ratio" if a.vs else "wall, rate, peak RSS"
    print(f"| run | bytes | {cols} |\n|---|---|{'---|' * (3 if a.vs else 1)}")
    ratios = []
    if "default" in only:
        dflt = b.row("default formats", b.run())[-1]
        dd = b.row("`dd bs=1M`, same bytes", b.dd(dflt.size))[-1]
        ratios.append(f"default / dd: {dflt.wall / dd.wall:.2f} (target <= 1.5)")
    if "fhir" in only:
        fhir = b.row("`--formats fhir`", b.run("--formats", "fhir"))[-1]
        so = b.row("`--stdout ndjson > file`", b.stdout_to_file())[-1]
        ratios.append(f"fhir files / stdout > file: {fhir.wall / so.wall:.2f} (target <= 1.2)")
    if "csv+parquet" in only:
        for t in (1, 2):
            cp = b.row(f"`--formats csv,parquet --threads {t}`",
                       b.run("--formats", "csv,parquet", "--threads", str(t)))[-1]
            ratios.append(f"csv+parquet, {t} thread(s): {u / cp.wall:.0f} beneficiaries/s "
                          "(target >= 4000 on 2)")
    if "csv" in only and "parquet" in only:
        csv = b.row("`--formats csv`", b.run("--formats", "csv"))[-1]
        pq = b.row("`--formats parquet`", b.run("--formats", "parquet"))[-1]
        ratio = (rows(pq.counts, "parquet/") / pq.wall) / (rows(csv.counts, "csv/") / csv.wall)
        ratios.append(f"parquet rows/s over csv rows/s: {ratio:.2f} (target >= 0.5)")
    print("\n(candidate)", "\n".join(ratios), sep="\n")
    if a.model:
        model(a)
    if a.rss:
        rss(a, b.bins, [int(u) for u in a.rss.split(",")])
    shutil.rmtree(a.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
