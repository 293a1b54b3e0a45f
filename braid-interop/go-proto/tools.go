//go:build tools

// Package tools pins the protoc plugins build.sh builds: protoc-gen-go and
// protoc-gen-go-drpc, at the versions go.mod requires.
package tools

import (
	_ "google.golang.org/protobuf/cmd/protoc-gen-go"
	_ "storj.io/drpc/cmd/protoc-gen-go-drpc"
)
