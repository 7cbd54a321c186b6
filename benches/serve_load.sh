#!/usr/bin/env bash
# Load on `bbgen serve`: 1,000 distinct users' tokens, gzip ExplanationOfBenefit pages.
#
# Starts `bbgen serve --users 30000 --seed 42 --auto-approve --deterministic` on a free
# loopback port, runs the OAuth flow (authorize with PKCE and a login hint, token exchange)
# with curl for USERS_N users spread over the run (every STRIDE-th), then Debian's `wrk` for
# DURATION with benches/serve_load.lua rotating over their tokens, requesting
# `/v2/fhir/ExplanationOfBenefit/?patient=<id>` with `Accept-Encoding: gzip`. Prints
# requests/s, latency percentiles, the non-2xx and non-gzip counts, and the server's RSS
# after the flows, after the timed run and after at least TOTAL requests in all (a second
# wrk run, timed from the first one's rate, makes up the rest).
#
#   benches/serve_load.sh
#   DURATION=10s CONNECTIONS=16 benches/serve_load.sh
#
# Needs wrk, curl, jq and openssl (apt-get install wrk curl jq openssl).
set -euo pipefail
cd "$(dirname "$0")/.."
users_n=${USERS_N:-1000}
stride=${STRIDE:-30}
duration=${DURATION:-30s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
total=${TOTAL:-100000}
work=${WORKDIR:-$(pwd)/target/serve_load}
BBGEN=${BBGEN:-target/release/bbgen}
mkdir -p "$work"
for tool in wrk curl jq openssl; do
    command -v "$tool" >/dev/null || { echo "serve_load: $tool is not installed" >&2; exit 2; }
done
[ -n "${BBGEN_NO_BUILD:-}" ] || cargo build --release --quiet
. benches/serve_support.sh

serve_start "$work/serve" --users 30000 --seed 42 --auto-approve --deterministic
trap serve_stop EXIT
echo "server: $BASE (pid $SERVE_PID), $("$BBGEN" --version)"

export BASE CLIENT_ID CLIENT_SECRET PKCE_VERIFIER PKCE_CHALLENGE REDIRECT_URI REDIRECT_URI_ENCODED
export -f flow
start=$(date +%s.%N)
seq 0 $((users_n - 1)) | awk -v s="$stride" '{print $1 * s}' |
    xargs -P 4 -I{} bash -c 'flow {}' >"$work/tokens.txt"
got=$(sort -u "$work/tokens.txt" | awk '{print $2}' | sort -u | wc -l)
echo "tokens: $got distinct users in $(echo "$(date +%s.%N) - $start" | bc) s"
[ "$got" -eq "$users_n" ] || { echo "serve_load: expected $users_n users" >&2; exit 1; }
rss_flows=$(rss_kb "$SERVE_PID")

run_wrk() {
    TOKENS="$work/tokens.txt" wrk -t"$threads" -c"$connections" \
        --latency -s benches/serve_load.lua "$@" "$BASE" | awk 'NF == 2 && $1 ~ /^[a-z_0-9.]+$/'
}

echo "== wrk -t$threads -c$connections -d$duration"
run_wrk -d"$duration" | tee "$work/timed.txt"
rss_timed=$(rss_kb "$SERVE_PID")
done_n=$(awk '$1 == "requests" {print $2}' "$work/timed.txt")
if [ "$done_n" -lt "$total" ]; then
    rate=$(awk '$1 == "requests_per_second" {print $2}' "$work/timed.txt")
    rest_s=$(( (total - done_n) * 11 / 10 / (rate > 0 ? rate : 1) + 1 ))
    echo "== wrk for ${rest_s}s more, to pass $total requests in all"
    run_wrk -d"${rest_s}s" | tee "$work/rest.txt"
    done_n=$((done_n + $(awk '$1 == "requests" {print $2}' "$work/rest.txt")))
fi
rss_total=$(rss_kb "$SERVE_PID")
echo "== server RSS"
echo "after the $users_n flows: $((rss_flows / 1024)) MiB"
echo "after the timed run:  $((rss_timed / 1024)) MiB"
echo "after $done_n requests: $((rss_total / 1024)) MiB"
