#!/usr/bin/env bash
# Builds the Go interop programs (storj.io/drpc v1.0.0) into ./bin/.
# Exits 0 without building if no Go toolchain is installed.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1; then
  echo "interop: go not found, skipping"
  exit 0
fi

# -mod=mod: fetch anything missing from go.sum through the module proxy.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"

mkdir -p bin
go build -trimpath -o bin/ ./cmd/echoserver ./cmd/echoclient
