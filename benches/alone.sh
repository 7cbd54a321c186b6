#!/usr/bin/env bash
# Any patient alone: the cost of one beneficiary, and of a run's preparation, against the size
# of the population (--users) and the position of the run in it (--offset).
#
# The block deal makes both O(one block of 1,024 users + that patient's claims); this prints
# wall time and peak RSS per command so BENCHMARKS.md can show them flat.
#
#   benches/alone.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/bbgen
work=$(mktemp -d "${TMPDIR:-/tmp}/bbgen-alone.XXXXXX")
trap 'rm -rf "$work"' EXIT

measure() {
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" ||
        { cat "$work/stderr" >&2; exit 1; }
    read -r wall rss_kb <"$work/time"
    local shown="bbgen ${*:2}"
    printf '| `%s` | %s s | %d MB |\n' "${shown//"$work"/DIR}" "$wall" $((rss_kb / 1024))
}

echo '| command | wall | peak RSS |'
echo '|---|---|---|'
for users in 30000 1000000000; do
    measure "$bin" patient BBUser00042 --users "$users"
done
for offset in 0 10000000 100000000000; do
    measure "$bin" --users 300 --offset "$offset" --formats csv --out "$work/out-$offset"
done
