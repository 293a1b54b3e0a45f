#!/usr/bin/env bash
# Builds the programs, starts bin/echoserver, runs bin/echoclient against it
# and stops the server. Exit status is the client's.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1; then
  echo "interop: go not found, skipping"
  exit 0
fi
./build.sh

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  exec 3>&-                    # stdin EOF: the server exits by itself
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Keep the server's stdin open through a fifo held on fd 3.
mkfifo "$tmp/stdin"
bin/echoserver -listen 127.0.0.1:0 "$@" <"$tmp/stdin" >"$tmp/out" 2>"$tmp/err" &
server_pid=$!
exec 3>"$tmp/stdin"

addr=""
for _ in $(seq 1 100); do
  if line=$(grep -m1 '^LISTEN ' "$tmp/out" 2>/dev/null); then
    addr=${line#LISTEN }
    break
  fi
  sleep 0.1
done
if [ -z "$addr" ]; then
  echo "interop: echoserver did not report LISTEN" >&2
  cat "$tmp/err" >&2
  exit 1
fi
echo "echoserver listening on $addr"

status=0
bin/echoclient -addr "$addr" -case "${CASE:-all}" || status=$?
if [ -s "$tmp/err" ]; then
  echo "--- echoserver stderr ---" >&2
  cat "$tmp/err" >&2
fi
exit $status
