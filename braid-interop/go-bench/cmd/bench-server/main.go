// Command bench-server serves braid.bench.Bench with storj.io/drpc's
// drpcserver for `braid bench`.
//
// It prints "LISTEN <host:port>" once listening, answers each "STATS" line on
// stdin with a STATS line (CPU and allocation counters), and exits when stdin
// reaches EOF.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"

	"storj.io/drpc/drpcmux"
	"storj.io/drpc/drpcserver"

	"braid.dev/gobench/internal/bench"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	corrupt := flag.Int64("corrupt-every", 0, "corrupt every N-th message sent (tests only)")
	flag.Parse()

	mux := drpcmux.New()
	if err := bench.Register(mux, &bench.Server{CorruptEvery: *corrupt}); err != nil {
		fatal("register: %v", err)
	}
	srv := drpcserver.New(mux)
	lis, err := net.Listen("tcp", *listen)
	if err != nil {
		fatal("listen: %v", err)
	}
	go func() {
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			if strings.TrimSpace(in.Text()) == "STATS" {
				fmt.Fprintln(os.Stdout, bench.Now().Line())
			}
		}
		os.Exit(0)
	}()
	fmt.Fprintf(os.Stdout, "LISTEN %s\n", lis.Addr().String())
	if err := srv.Serve(context.Background(), lis); err != nil && !errors.Is(err, net.ErrClosed) {
		fatal("serve: %v", err)
	}
}

func fatal(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "bench-server: "+format+"\n", args...)
	os.Exit(1)
}
