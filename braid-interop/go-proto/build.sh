#!/usr/bin/env bash
# Generates Go code for examples/src/main/proto/braid/examples/echo.proto with
# protoc-gen-go and protoc-gen-go-drpc (storj.io/drpc v1.0.0, from the Go module
# proxy), then builds the generated-code interop programs into ./bin/.
# Exits 0 without building if no Go toolchain is installed.
#
# protoc: $PROTOC if set; else the Maven artifact com.google.protobuf:protoc in
# ~/.m2 (fetched with the project's Maven wrapper if missing).
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
root=$(cd ../.. && pwd)

if ! command -v go >/dev/null 2>&1; then
  echo "interop: go not found, skipping"
  exit 0
fi

# -mod=mod: fetch anything missing from go.sum through the module proxy.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
mkdir -p bin

protoc_version=$(sed -n 's:.*<protobuf.version>\(.*\)</protobuf.version>.*:\1:p' "$root/pom.xml" | head -1)
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) classifier=linux-x86_64 ;;
  Linux-aarch64) classifier=linux-aarch_64 ;;
  Darwin-x86_64) classifier=osx-x86_64 ;;
  Darwin-arm64) classifier=osx-aarch_64 ;;
  *) echo "interop: unsupported platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
protoc=${PROTOC:-}
if [ -z "$protoc" ]; then
  m2=${MAVEN_REPO:-$HOME/.m2/repository}
  artifact="$m2/com/google/protobuf/protoc/$protoc_version/protoc-$protoc_version-$classifier.exe"
  if [ ! -f "$artifact" ]; then
    "$root/mvnw" -q -B -N dependency:get \
      -Dartifact="com.google.protobuf:protoc:$protoc_version:exe:$classifier" -Dtransitive=false
  fi
  cp "$artifact" bin/protoc
  chmod +x bin/protoc
  protoc=$here/bin/protoc
fi

# The plugins, at the versions go.mod pins (see tools.go).
go build -trimpath -o bin/protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go
go build -trimpath -o bin/protoc-gen-go-drpc storj.io/drpc/cmd/protoc-gen-go-drpc

rm -rf echopb
"$protoc" -I "$root/examples/src/main/proto" \
  --plugin=protoc-gen-go="$here/bin/protoc-gen-go" \
  --plugin=protoc-gen-go-drpc="$here/bin/protoc-gen-go-drpc" \
  --go_out=. --go_opt=module=braid.dev/interop/goproto \
  --go-drpc_out=. --go-drpc_opt=module=braid.dev/interop/goproto \
  braid/examples/echo.proto

go build -trimpath -o bin/ ./cmd/echoserver ./cmd/echoclient
