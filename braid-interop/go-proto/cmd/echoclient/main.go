// Command echoclient calls braid.examples.echo.Echo through the client generated
// by protoc-gen-go-drpc (storj.io/drpc v1.0.0) and checks every answer. It prints
// "PASS <case>" or "FAIL <case>: <why>" per case, then "N passed, M failed", and
// exits non-zero on any failure.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"storj.io/drpc/drpcconn"
	"storj.io/drpc/drpcerr"
	"storj.io/drpc/drpcmigrate"

	"braid.dev/interop/goproto/echopb"
)

type check func(ctx context.Context, c echopb.DRPCEchoClient) error

var cases = []struct {
	name string
	run  check
}{
	{"unary", func(ctx context.Context, c echopb.DRPCEchoClient) error {
		payload := bytes.Repeat([]byte{7}, 300000)
		r, err := c.Unary(ctx, &echopb.EchoRequest{Text: "hello", Payload: payload})
		if err != nil {
			return err
		}
		if r.GetText() != "hello" || !bytes.Equal(r.GetPayload(), payload) {
			return fmt.Errorf("got %q (%d bytes)", r.GetText(), len(r.GetPayload()))
		}
		return nil
	}},
	{"server_stream", func(ctx context.Context, c echopb.DRPCEchoClient) error {
		s, err := c.ServerStream(ctx, &echopb.EchoRequest{Text: "s", Count: 5})
		if err != nil {
			return err
		}
		for i := int32(0); i < 5; i++ {
			r, err := s.Recv()
			if err != nil {
				return err
			}
			if r.GetIndex() != i || r.GetText() != "s" {
				return fmt.Errorf("response %d: %v", i, r)
			}
		}
		if _, err := s.Recv(); !errors.Is(err, io.EOF) {
			return fmt.Errorf("want EOF, got %v", err)
		}
		return nil
	}},
	{"client_stream", func(ctx context.Context, c echopb.DRPCEchoClient) error {
		s, err := c.ClientStream(ctx)
		if err != nil {
			return err
		}
		for _, t := range []string{"a", "b", "c"} {
			if err := s.Send(&echopb.EchoRequest{Text: t}); err != nil {
				return err
			}
		}
		r, err := s.CloseAndRecv()
		if err != nil {
			return err
		}
		if r.GetText() != "a,b,c" || r.GetIndex() != 3 {
			return fmt.Errorf("got %v", r)
		}
		return nil
	}},
	{"bidi", func(ctx context.Context, c echopb.DRPCEchoClient) error {
		s, err := c.Bidi(ctx)
		if err != nil {
			return err
		}
		for i := int32(0); i < 20; i++ {
			text := fmt.Sprintf("m%d", i)
			if err := s.Send(&echopb.EchoRequest{Text: text}); err != nil {
				return err
			}
			r, err := s.Recv()
			if err != nil {
				return err
			}
			if r.GetText() != text || r.GetIndex() != i {
				return fmt.Errorf("got %v", r)
			}
		}
		if err := s.CloseSend(); err != nil {
			return err
		}
		if _, err := s.Recv(); !errors.Is(err, io.EOF) {
			return fmt.Errorf("want EOF, got %v", err)
		}
		return nil
	}},
	{"error5", func(ctx context.Context, c echopb.DRPCEchoClient) error {
		_, err := c.Unary(ctx, &echopb.EchoRequest{Text: "not found here", FailCode: 5})
		if drpcerr.Code(err) != 5 || !strings.Contains(fmt.Sprint(err), "not found here") {
			return fmt.Errorf("want code 5, got %v (code %d)", err, drpcerr.Code(err))
		}
		return nil
	}},
	{"stream_error7", func(ctx context.Context, c echopb.DRPCEchoClient) error {
		s, err := c.ServerStream(ctx, &echopb.EchoRequest{Text: "denied", FailCode: 7})
		if err != nil {
			return err
		}
		_, err = s.Recv()
		if drpcerr.Code(err) != 7 {
			return fmt.Errorf("want code 7, got %v", err)
		}
		return nil
	}},
	{"unimplemented", func(ctx context.Context, c echopb.DRPCEchoClient) error {
		_, err := c.NotImplemented(ctx, &echopb.EchoRequest{Text: "?"})
		if drpcerr.Code(err) != 12 || !strings.Contains(fmt.Sprint(err), "Unimplemented") {
			return fmt.Errorf("want code 12 Unimplemented, got %v (code %d)", err, drpcerr.Code(err))
		}
		fmt.Printf("INFO unimplemented: code=%d msg=%q\n", drpcerr.Code(err), err.Error())
		return nil
	}},
}

func main() {
	addr := flag.String("addr", "", "server address host:port")
	header := flag.Bool("header", false, "send drpcmigrate's DRPC!!!1 header (shared port)")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var raw net.Conn
	var err error
	if *header {
		raw, err = drpcmigrate.DialWithHeader(ctx, "tcp", *addr, drpcmigrate.DRPCHeader)
	} else {
		raw, err = (&net.Dialer{}).DialContext(ctx, "tcp", *addr)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "dial: %v\n", err)
		os.Exit(2)
	}
	conn := drpcconn.New(raw)
	defer conn.Close()
	client := echopb.NewDRPCEchoClient(conn)

	passed, failed := 0, 0
	for _, c := range cases {
		if err := c.run(ctx, client); err != nil {
			failed++
			fmt.Printf("FAIL %s: %v\n", c.name, err)
		} else {
			passed++
			fmt.Printf("PASS %s\n", c.name)
		}
	}
	fmt.Printf("go client: %d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
