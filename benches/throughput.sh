#!/usr/bin/env bash
# End-to-end throughput of bbgen against the disk it writes to.
#
# Runs `bbgen --users N` (default formats unless FORMATS is set) under /usr/bin/time -v, then
# `dd` writing the same number of bytes to the same directory with fdatasync, and prints wall
# time, bytes, MB/s, claims/s, peak RSS and the ratio bbgen/dd (1.0 = as fast as the disk).
#
#   benches/throughput.sh [USERS] [extra bbgen options…]
#   FORMATS=fhir benches/throughput.sh 30000
#   WORKDIR=/mnt/fast benches/throughput.sh 30000 --compress zstd
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-30000}
shift || true
workdir=${WORKDIR:-$(pwd)/target/throughput}
formats=${FORMATS:-}
mkdir -p "$workdir"
out="$workdir/out"
rm -rf "$out" "$workdir/dd.bin"

cargo build --release --quiet
args=(--users "$users" --out "$out" --quiet --force)
[ -n "$formats" ] && args+=(--formats "$formats")
args+=("$@")

timing="$workdir/time.txt"
/usr/bin/time -v target/release/bbgen "${args[@]}" 2>"$timing"
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$timing" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timing")
bytes=$(du -sb "$out" | cut -f1)
claims=$(python3 -c "
import json,sys
m=json.load(open('$out/manifest.json'))
c=m['counts']
print(sum(v for k,v in c.items() if k.startswith('csv/') and k.endswith('_claims.csv') or k.endswith('partd_events.csv')) or c.get('fhir/ExplanationOfBenefit.ndjson',0))
" 2>/dev/null || echo 0)

mb=$((bytes / 1048576 + 1))
dd_start=$(date +%s.%N)
dd if=/dev/zero of="$workdir/dd.bin" bs=1M count="$mb" conv=fdatasync status=none
dd_end=$(date +%s.%N)
rm -f "$workdir/dd.bin"
dd_wall=$(echo "$dd_end - $dd_start" | bc -l)

printf 'command      bbgen %s\n' "${args[*]}"
printf 'machine      %s, %s cores, %s\n' "$(uname -m)" "$(nproc)" "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
printf 'bytes        %d (%.1f MB)\n' "$bytes" "$(echo "$bytes / 1000000" | bc -l)"
printf 'bbgen wall   %.2f s  (%.0f MB/s, %.0f claims/s)\n' "$wall" "$(echo "$bytes / 1000000 / $wall" | bc -l)" "$(echo "$claims / $wall" | bc -l)"
printf 'peak RSS     %.0f MB\n' "$(echo "$rss_kb / 1024" | bc -l)"
printf 'dd wall      %.2f s  (%.0f MB/s, same bytes, fdatasync)\n' "$dd_wall" "$(echo "$bytes / 1000000 / $dd_wall" | bc -l)"
printf 'ratio        %.2f  (bbgen wall / dd wall)\n' "$(echo "$wall / $dd_wall" | bc -l)"
