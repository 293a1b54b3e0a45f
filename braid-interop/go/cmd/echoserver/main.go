// Command echoserver serves braid.test.Echo with storj.io/drpc's drpcserver.
//
// It prints exactly one line "LISTEN <host:port>" on stdout once listening and
// serves until killed or until stdin reaches EOF (so a dying parent process
// does not leave it running).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"

	"storj.io/drpc/drpcmux"
	"storj.io/drpc/drpcserver"

	"braid.dev/interop/internal/echo"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	stdinExit := flag.Bool("exit-on-stdin-eof", true, "exit when stdin reaches EOF")
	verbose := flag.Bool("v", false, "log per-connection errors to stderr")
	flag.Parse()

	mux := drpcmux.New()
	if err := echo.Register(mux, &echo.Server{}); err != nil {
		fatal("register: %v", err)
	}

	opts := drpcserver.Options{}
	if *verbose {
		opts.Log = func(err error) { fmt.Fprintf(os.Stderr, "echoserver: %v\n", err) }
	}
	srv := drpcserver.NewWithOptions(mux, opts)

	lis, err := net.Listen("tcp", *listen)
	if err != nil {
		fatal("listen: %v", err)
	}

	if *stdinExit {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			// Exit at once: Serve would wait for in-flight handlers (e.g. Block).
			os.Exit(0)
		}()
	}

	// Print after the listener exists: connections are queued by the kernel
	// until Serve starts accepting.
	fmt.Fprintf(os.Stdout, "LISTEN %s\n", lis.Addr().String())
	_ = os.Stdout.Sync()

	if err := srv.Serve(context.Background(), lis); err != nil && !errors.Is(err, net.ErrClosed) {
		fatal("serve: %v", err)
	}
}

func fatal(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "echoserver: "+format+"\n", args...)
	os.Exit(1)
}
