// Command echoclient runs the braid interop cases against a braid.test.Echo
// server, using storj.io/drpc's drpcconn with soft cancel on ONE connection.
//
// Output: one line per case, "PASS <case>" or "FAIL <case>: <reason>",
// optional "INFO <case>: <detail>" lines, and a final "N passed, M failed".
// Exit status 0 only if every selected case passed.
package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"storj.io/drpc"
	"storj.io/drpc/drpcconn"
	"storj.io/drpc/drpcerr"
	"storj.io/drpc/drpcmanager"
	"storj.io/drpc/drpcmetadata"

	"braid.dev/interop/internal/echo"
)

type testCase struct {
	name string
	run  func(ctx context.Context, c *drpcconn.Conn) error
}

var cases = []testCase{
	{"unary", caseUnary},
	{"metadata", caseMetadata},
	{"server_stream", caseServerStream},
	{"client_stream", caseClientStream},
	{"bidi", caseBidi},
	{"error5", func(ctx context.Context, c *drpcconn.Conn) error { return caseFail(ctx, c, 5, "boom") }},
	{"error12", func(ctx context.Context, c *drpcconn.Conn) error { return caseFail(ctx, c, 12, "Unimplemented") }},
	{"unknown", caseUnknown},
	{"cancel", caseCancel},
	{"large", caseLarge},
	{"sequential", caseSequential},
}

func main() {
	addr := flag.String("addr", "", "server address host:port")
	which := flag.String("case", "all", "case name, comma-separated list, or all")
	timeout := flag.Duration("timeout", 20*time.Second, "per-case timeout")
	flag.Parse()
	if *addr == "" {
		fmt.Fprintln(os.Stderr, "echoclient: -addr is required")
		os.Exit(2)
	}

	selected, err := selectCases(*which)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echoclient:", err)
		os.Exit(2)
	}

	conn, err := dial(*addr)
	if err != nil {
		fmt.Printf("FAIL connect: %v\n0 passed, %d failed\n", err, len(selected))
		os.Exit(1)
	}

	passed, failed := 0, 0
	for _, tc := range selected {
		err := runCase(tc, conn, *timeout)
		if err == nil && isClosed(conn) {
			err = errors.New("connection closed after the case")
		}
		if err != nil {
			failed++
			fmt.Printf("FAIL %s: %s\n", tc.name, oneLine(err))
		} else {
			passed++
			fmt.Printf("PASS %s\n", tc.name)
		}
		// Keep reporting on later cases if a failure killed the connection.
		if isClosed(conn) {
			fmt.Fprintf(os.Stderr, "echoclient: connection closed after %s; redialing\n", tc.name)
			if conn, err = dial(*addr); err != nil {
				fmt.Printf("FAIL connect: %v\n", err)
				failed++
				break
			}
		}
	}
	_ = conn.Close()
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 || passed == 0 {
		os.Exit(1)
	}
}

func selectCases(which string) ([]testCase, error) {
	if which == "all" {
		return cases, nil
	}
	var out []testCase
	for _, name := range strings.Split(which, ",") {
		found := false
		for _, tc := range cases {
			if tc.name == strings.TrimSpace(name) {
				out = append(out, tc)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown case %q", name)
		}
	}
	return out, nil
}

func dial(addr string) (*drpcconn.Conn, error) {
	raw, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return drpcconn.NewWithOptions(raw, drpcconn.Options{
		Manager: drpcmanager.Options{SoftCancel: true},
	}), nil
}

func runCase(tc testCase, conn *drpcconn.Conn, timeout time.Duration) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	err = tc.run(ctx, conn)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%w (case timeout %s)", err, timeout)
	}
	return err
}

func isClosed(c *drpcconn.Conn) bool {
	select {
	case <-c.Closed():
		return true
	default:
		return false
	}
}

func info(name, format string, args ...interface{}) {
	fmt.Printf("INFO %s: %s\n", name, fmt.Sprintf(format, args...))
}

func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "\\n")
}

// --- helpers ---------------------------------------------------------------

func unary(ctx context.Context, c *drpcconn.Conn, rpc string, in []byte) ([]byte, error) {
	var out []byte
	if err := c.Invoke(ctx, rpc, echo.Raw, &in, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func expectBytes(what string, got, want []byte) error {
	if bytes.Equal(got, want) {
		return nil
	}
	if len(got) > 64 || len(want) > 64 {
		return fmt.Errorf("%s: got %d bytes, want %d bytes (contents differ)", what, len(got), len(want))
	}
	return fmt.Errorf("%s: got %q, want %q", what, got, want)
}

// openStream starts a stream whose cleanup first cancels the stream context
// (a soft cancel if still active, so a blocked write cannot wedge Close) and
// then closes the stream.
func openStream(ctx context.Context, c *drpcconn.Conn, rpc string) (drpc.Stream, func(), error) {
	sctx, cancel := context.WithCancel(ctx)
	s, err := c.NewStream(sctx, rpc, echo.Raw)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	return s, func() { cancel(); _ = s.Close() }, nil
}

func recv(s drpc.Stream) ([]byte, error) {
	var msg []byte
	err := s.MsgRecv(&msg, echo.Raw)
	return msg, err
}

func send(s drpc.Stream, msg []byte) error {
	return s.MsgSend(&msg, echo.Raw)
}

func expectEOF(s drpc.Stream) error {
	msg, err := recv(s)
	switch {
	case err == nil:
		return fmt.Errorf("expected EOF, got message of %d bytes", len(msg))
	case !errors.Is(err, io.EOF):
		return fmt.Errorf("expected EOF, got error: %v", err)
	}
	return nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = crand.Read(b)
	return b
}

// --- cases -----------------------------------------------------------------

func caseUnary(ctx context.Context, c *drpcconn.Conn) error {
	out, err := unary(ctx, c, echo.RPCUnary, []byte("hello"))
	if err != nil {
		return fmt.Errorf("unary hello: %w", err)
	}
	if err := expectBytes("unary hello", out, []byte("hello")); err != nil {
		return err
	}
	out, err = unary(ctx, c, echo.RPCUnary, []byte{})
	if err != nil {
		return fmt.Errorf("unary empty: %w", err)
	}
	return expectBytes("unary empty", out, []byte{})
}

func caseMetadata(ctx context.Context, c *drpcconn.Conn) error {
	ctx = drpcmetadata.AddPairs(ctx, map[string]string{"a": "1", "k": "v"})
	out, err := unary(ctx, c, echo.RPCMetadata, []byte{})
	if err != nil {
		return err
	}
	return expectBytes("metadata reply", out, []byte("a=1\nk=v"))
}

func caseServerStream(ctx context.Context, c *drpcconn.Conn) error {
	ctx = drpcmetadata.Add(ctx, "count", "3")
	s, done, err := openStream(ctx, c, echo.RPCServerStream)
	if err != nil {
		return err
	}
	defer done()
	if err := send(s, []byte("x")); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	if err := s.CloseSend(); err != nil {
		return fmt.Errorf("close send: %w", err)
	}
	for i := 0; i < 3; i++ {
		msg, err := recv(s)
		if err != nil {
			return fmt.Errorf("recv %d: %w", i+1, err)
		}
		if err := expectBytes(fmt.Sprintf("message %d", i+1), msg, []byte("x")); err != nil {
			return err
		}
	}
	return expectEOF(s)
}

func caseClientStream(ctx context.Context, c *drpcconn.Conn) error {
	s, done, err := openStream(ctx, c, echo.RPCClientStream)
	if err != nil {
		return err
	}
	defer done()
	for _, m := range []string{"a", "b", "c"} {
		if err := send(s, []byte(m)); err != nil {
			return fmt.Errorf("send %q: %w", m, err)
		}
	}
	if err := s.CloseSend(); err != nil {
		return fmt.Errorf("close send: %w", err)
	}
	msg, err := recv(s)
	if err != nil {
		return fmt.Errorf("recv: %w", err)
	}
	if err := expectBytes("reply", msg, []byte("abc")); err != nil {
		return err
	}
	return expectEOF(s)
}

func caseBidi(ctx context.Context, c *drpcconn.Conn) error {
	s, done, err := openStream(ctx, c, echo.RPCBidi)
	if err != nil {
		return err
	}
	defer done()
	for i := 0; i < 5; i++ {
		m := []byte(fmt.Sprintf("bidi-%d", i))
		if err := send(s, m); err != nil {
			return fmt.Errorf("send %d: %w", i, err)
		}
		got, err := recv(s)
		if err != nil {
			return fmt.Errorf("recv %d: %w", i, err)
		}
		if err := expectBytes(fmt.Sprintf("echo %d", i), got, m); err != nil {
			return err
		}
	}
	if err := s.CloseSend(); err != nil {
		return fmt.Errorf("close send: %w", err)
	}
	return expectEOF(s)
}

func caseFail(ctx context.Context, c *drpcconn.Conn, code uint64, text string) error {
	ctx = drpcmetadata.Add(ctx, "code", strconv.FormatUint(code, 10))
	out, err := unary(ctx, c, echo.RPCFail, []byte(text))
	if err == nil {
		return fmt.Errorf("expected an error, got reply %q", out)
	}
	if got := drpcerr.Code(err); got != code {
		return fmt.Errorf("code: got %d, want %d (error %q)", got, code, err.Error())
	}
	if err.Error() != text {
		return fmt.Errorf("text: got %q, want %q", err.Error(), text)
	}
	return nil
}

func caseUnknown(ctx context.Context, c *drpcconn.Conn) error {
	const rpc = "/braid.test.Echo/Nope"
	out, err := unary(ctx, c, rpc, []byte("?"))
	if err == nil {
		return fmt.Errorf("expected an error, got reply %q", out)
	}
	want := `unknown rpc: "` + rpc + `"`
	if !strings.Contains(err.Error(), want) {
		return fmt.Errorf("error text %q does not contain %q", err.Error(), want)
	}
	code := drpcerr.Code(err)
	if code != 0 && code != 12 {
		return fmt.Errorf("code: got %d, want 0 or 12 (error %q)", code, err.Error())
	}
	info("unknown", "code=%d text=%q", code, err.Error())
	return nil
}

func caseCancel(ctx context.Context, c *drpcconn.Conn) error {
	sctx, scancel := context.WithCancel(ctx)
	defer scancel()
	s, err := c.NewStream(sctx, echo.RPCBlock, echo.Raw)
	if err != nil {
		return err
	}
	if err := send(s, []byte("p")); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	got, err := recv(s)
	if err != nil {
		return fmt.Errorf("recv: %w", err)
	}
	if err := expectBytes("echo", got, []byte("p")); err != nil {
		return err
	}

	scancel()
	select {
	case <-s.Context().Done():
	case <-ctx.Done():
		return errors.New("stream context not done after cancel")
	}
	if isClosed(c) {
		return errors.New("connection closed by the cancel (expected a soft cancel)")
	}

	out, err := unary(ctx, c, echo.RPCUnary, []byte("after-cancel"))
	if err != nil {
		return fmt.Errorf("unary after cancel: %w", err)
	}
	if err := expectBytes("unary after cancel", out, []byte("after-cancel")); err != nil {
		return err
	}

	deadline := time.Now().Add(5 * time.Second)
	backoff := 10 * time.Millisecond
	for {
		out, err := unary(ctx, c, echo.RPCCancelled, []byte{})
		if err != nil {
			return fmt.Errorf("Cancelled: %w", err)
		}
		n, err := strconv.ParseInt(string(out), 10, 64)
		if err != nil {
			return fmt.Errorf("Cancelled reply %q: %v", out, err)
		}
		if n >= 1 {
			info("cancel", "server counted %d cancelled Block stream(s)", n)
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("server never observed the cancel (Cancelled = 0 after 5s)")
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return ctx.Err()
		}
		if backoff < 500*time.Millisecond {
			backoff *= 2
		}
	}
}

func caseLarge(ctx context.Context, c *drpcconn.Conn) error {
	const size = 3 << 20
	payload := randomBytes(size)
	out, err := unary(ctx, c, echo.RPCUnary, payload)
	if err != nil {
		return fmt.Errorf("unary 3 MiB: %w", err)
	}
	if err := expectBytes("unary 3 MiB", out, payload); err != nil {
		return err
	}

	s, done, err := openStream(ctx, c, echo.RPCBidi)
	if err != nil {
		return err
	}
	defer done()
	msgs := [][]byte{randomBytes(size), randomBytes(size), randomBytes(size)}
	sendErr := make(chan error, 1)
	go func() { // send concurrently with receiving, as a real bidi peer would
		for i, m := range msgs {
			if err := send(s, m); err != nil {
				sendErr <- fmt.Errorf("bidi send %d: %w", i, err)
				return
			}
		}
		sendErr <- s.CloseSend()
	}()
	for i, m := range msgs {
		got, err := recv(s)
		if err != nil {
			return fmt.Errorf("bidi recv %d: %w", i, err)
		}
		if err := expectBytes(fmt.Sprintf("bidi echo %d", i), got, m); err != nil {
			return err
		}
	}
	if err := <-sendErr; err != nil {
		return err
	}
	return expectEOF(s)
}

func caseSequential(ctx context.Context, c *drpcconn.Conn) error {
	salt := randomBytes(8)
	for i := 0; i < 1000; i++ {
		in := []byte(fmt.Sprintf("seq-%04d-%x", i, salt))
		out, err := unary(ctx, c, echo.RPCUnary, in)
		if err != nil {
			return fmt.Errorf("call %d: %w", i, err)
		}
		if err := expectBytes(fmt.Sprintf("call %d", i), out, in); err != nil {
			return err
		}
	}
	return nil
}
