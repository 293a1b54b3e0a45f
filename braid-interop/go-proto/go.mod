module braid.dev/interop/goproto

go 1.23

require (
	google.golang.org/protobuf v1.36.11
	storj.io/drpc v1.0.0
)

require github.com/zeebo/errs v1.2.2 // indirect
