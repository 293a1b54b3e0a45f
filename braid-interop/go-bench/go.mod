module braid.dev/gobench

go 1.21

require storj.io/drpc v1.0.0

require github.com/zeebo/errs v1.2.2 // indirect
