#!/usr/bin/env bash
# The package installs from its wheel (not editable, not from the checkout) into a fresh venv, migrates
# a database, and serves pages, static files, translations and the API. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${WHEEL_CHECK_HOST:-127.0.0.14}
PORT=${WHEEL_CHECK_PORT:-51220}
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

python3 -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" . 2>&1 | grep -v -e WARNING -e '^ *$' || true
rm -rf build
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$work/dist"/engage-*.whl 2>&1 | grep -v WARNING || true

# From another folder, so that nothing of the checkout can be picked up.
cd "$work"
export ENGAGE_INSTANCE_PATH="$work/instance" ENGAGE_DATABASE_URL="sqlite:///$work/instance/engage.sqlite3"
export ENGAGE_LOG_FORMAT=text ENGAGE_READY_HEARTBEAT_MAX_AGE_SECONDS=0
mkdir -p "$ENGAGE_INSTANCE_PATH"
site=$("$work/venv/bin/python" -c 'import engage, os; print(os.path.dirname(engage.__file__))')
case "$site" in "$work"/venv/*) ;; *) echo "engage was imported from $site, not the wheel"; exit 1 ;; esac
"$work/venv/bin/flask" --app engage db upgrade
"$work/venv/bin/flask" --app engage engage seed --demo >/dev/null
"$work/venv/bin/gunicorn" --workers 1 --bind "$HOST:$PORT" 'engage:create_app()' >"$work/server.log" 2>&1 &
server_pid=$!

base="http://$HOST:$PORT"
for _ in $(seq 1 120); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
fail=0
check() {  # url, text the body must contain, [extra curl args]
  local url=$1 expected=$2; shift 2
  local body
  body=$(curl -fsS "$@" "$base$url" 2>&1) || true  # the whole body first: grep -q would close the pipe early
  if ! grep -qF -- "$expected" <<<"$body"; then echo "FAIL $url does not contain: $expected"; fail=1; else echo "ok   $url"; fi
}
check /workshops "workshop, round 3"
check /workshops "/static/style.css"
check /static/style.css "{"
check /readyz '"status":"ready"'
check /api/openapi.json '"securitySchemes"'
check /api/v1/codebook "Privacy, security, and trust"
check /workshops '<html lang="zh-Hans"' -H 'Accept-Language: zh-CN'
check /workshops '<h1>研讨会</h1>' -H 'Accept-Language: zh-CN'  # the compiled catalogue is in the wheel
if [ $fail -ne 0 ]; then cat "$work/server.log"; exit 1; fi
echo "wheel check: 8 passed, 0 failed"
