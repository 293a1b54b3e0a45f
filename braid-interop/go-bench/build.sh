#!/usr/bin/env bash
# Builds the Go DRPC benchmark peer (storj.io/drpc v1.0.0 from the Go module proxy) into
# ./bin/: bench-server and bench-client. `braid bench` runs this itself when the binaries
# are missing or older than the sources. Exits 1 if no Go toolchain is installed.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1; then
  echo "go-bench: go not found" >&2
  exit 1
fi

# -mod=mod: fetch anything missing from go.sum through the module proxy.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"

mkdir -p bin
go build -trimpath -o bin/ ./cmd/bench-server ./cmd/bench-client
