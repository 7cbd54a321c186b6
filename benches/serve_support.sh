# Shell helpers for the serving benchmarks (sourced): start `bbgen serve` on a free loopback
# port and run the OAuth flow with curl, as an app would.
#
# Needs curl, jq and openssl.

# The PKCE verifier of every flow, and its S256 challenge.
PKCE_VERIFIER=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-a
PKCE_CHALLENGE=$(printf %s "$PKCE_VERIFIER" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
REDIRECT_URI=http://127.0.0.1/callback
REDIRECT_URI_ENCODED=http%3A%2F%2F127.0.0.1%2Fcallback

# serve_start OUT_PREFIX bbgen-serve-options…: starts the server in the background and waits
# until it has printed its base URL and default app. Sets SERVE_PID (the bbgen process),
# SERVE_WRAPPER_PID (what to wait for), BASE, CLIENT_ID and CLIENT_SECRET; with
# SERVE_TIME_FILE set, bbgen runs under /usr/bin/time writing its peak RSS there.
serve_start() {
    local out=$1
    shift
    : >"$out.out"
    if [ -n "${SERVE_TIME_FILE:-}" ]; then
        /usr/bin/time -f "%M" -o "$SERVE_TIME_FILE" "$BBGEN" serve --host 127.0.0.1 --port 0 "$@" \
            >"$out.out" 2>"$out.err" &
    else
        "$BBGEN" serve --host 127.0.0.1 --port 0 "$@" >"$out.out" 2>"$out.err" &
    fi
    SERVE_WRAPPER_PID=$!
    until grep -q 'redirect_uris:' "$out.out"; do
        kill -0 "$SERVE_WRAPPER_PID" 2>/dev/null || { cat "$out.err" >&2; return 1; }
        sleep 0.005
    done
    SERVE_PID=$SERVE_WRAPPER_PID
    if [ -n "${SERVE_TIME_FILE:-}" ]; then
        SERVE_PID=$(pgrep -P "$SERVE_WRAPPER_PID")
    fi
    BASE=$(grep -o 'http://[^ ]*' "$out.out" | head -1)
    CLIENT_ID=$(awk '/client_id:/ {print $2}' "$out.out")
    CLIENT_SECRET=$(awk '/client_secret:/ {print $2}' "$out.out")
}

# serve_stop: SIGTERM to the server, then waits for it.
serve_stop() {
    kill -TERM "$SERVE_PID"
    wait "$SERVE_WRAPPER_PID" || true
}

# rss_kb PID: the resident set size now, in KiB.
rss_kb() {
    awk '/^VmRSS:/ {print $2}' "/proc/$1/status"
}

# flow USER_INDEX: authorize (the server runs with --auto-approve; login_hint names the user),
# exchange the code, print "ACCESS_TOKEN PATIENT_ID".
flow() {
    local user q loc code
    user=$(printf 'BBUser%05d' "$1")
    q="client_id=$CLIENT_ID&redirect_uri=$REDIRECT_URI_ENCODED&response_type=code"
    q="$q&state=state-0123456789abcdef&code_challenge=$PKCE_CHALLENGE&code_challenge_method=S256&login_hint=$user"
    loc=$(curl -sf -o /dev/null -w '%{redirect_url}' "$BASE/v2/o/authorize/?$q")
    loc=$(curl -sf -o /dev/null -w '%{redirect_url}' "$loc")
    code=$(printf %s "$loc" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
    [ -n "$code" ] || { echo "no code for $user: $loc" >&2; return 1; }
    curl -sf -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=authorization_code -d "code=$code" \
        --data-urlencode "redirect_uri=$REDIRECT_URI" -d "code_verifier=$PKCE_VERIFIER" \
        "$BASE/v2/o/token/" | jq -r '.access_token + " " + .patient'
}
