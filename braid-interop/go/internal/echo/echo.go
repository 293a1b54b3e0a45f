// Package echo holds the braid interop test service braid.test.Echo: a
// raw-bytes drpc.Encoding, a hand-written drpc.Description (so no protoc is
// needed) and the server implementation.
package echo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"storj.io/drpc"
	"storj.io/drpc/drpcerr"
	"storj.io/drpc/drpcmetadata"
)

// RPC names of the service.
const (
	Service         = "braid.test.Echo"
	RPCUnary        = "/braid.test.Echo/Unary"
	RPCServerStream = "/braid.test.Echo/ServerStream"
	RPCClientStream = "/braid.test.Echo/ClientStream"
	RPCBidi         = "/braid.test.Echo/Bidi"
	RPCFail         = "/braid.test.Echo/Fail"
	RPCMetadata     = "/braid.test.Echo/Metadata"
	RPCBlock        = "/braid.test.Echo/Block"
	RPCCancelled    = "/braid.test.Echo/Cancelled"
)

// Raw is the encoding used by every method: a message is a *[]byte and its
// wire form is the bytes themselves.
var Raw drpc.Encoding = rawEncoding{}

type rawEncoding struct{}

func (rawEncoding) Marshal(msg drpc.Message) ([]byte, error) {
	p, ok := msg.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("raw encoding: unsupported message type %T", msg)
	}
	return *p, nil
}

func (rawEncoding) Unmarshal(buf []byte, msg drpc.Message) error {
	p, ok := msg.(*[]byte)
	if !ok {
		return fmt.Errorf("raw encoding: unsupported message type %T", msg)
	}
	// the stream reuses buf after Unmarshal returns, so copy it.
	*p = append([]byte{}, buf...)
	return nil
}

// Server implements braid.test.Echo.
type Server struct {
	cancelled atomic.Int64 // Block streams that ended by cancellation
}

// Register registers the service on a drpc.Mux (e.g. *drpcmux.Mux).
func Register(mux drpc.Mux, srv *Server) error {
	return mux.Register(srv, description{})
}

// Unary replies with the request.
func (s *Server) Unary(ctx context.Context, in *[]byte) (*[]byte, error) {
	out := append([]byte{}, *in...)
	return &out, nil
}

// ServerStream sends the request back N times, N = metadata "count" (default 1).
func (s *Server) ServerStream(in *[]byte, stream drpc.Stream) error {
	n, err := metaUint(stream.Context(), "count", 1)
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		if err := stream.MsgSend(in, Raw); err != nil {
			return err
		}
	}
	return nil
}

// ClientStream receives until EOF and replies with the concatenation.
func (s *Server) ClientStream(stream drpc.Stream) error {
	var all []byte
	for {
		var msg []byte
		if err := stream.MsgRecv(&msg, Raw); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		all = append(all, msg...)
	}
	if all == nil {
		all = []byte{}
	}
	return stream.MsgSend(&all, Raw)
}

// Bidi echoes every message until EOF.
func (s *Server) Bidi(stream drpc.Stream) error {
	for {
		var msg []byte
		if err := stream.MsgRecv(&msg, Raw); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if err := stream.MsgSend(&msg, Raw); err != nil {
			return err
		}
	}
}

// Fail returns an error with code = metadata "code" (default 5) and text =
// the request.
func (s *Server) Fail(ctx context.Context, in *[]byte) (*[]byte, error) {
	code, err := metaUint(ctx, "code", 5)
	if err != nil {
		return nil, err
	}
	return nil, drpcerr.WithCode(errors.New(string(*in)), code)
}

// Metadata replies with the incoming metadata as sorted "key=value" lines.
func (s *Server) Metadata(ctx context.Context, in *[]byte) (*[]byte, error) {
	md, _ := drpcmetadata.Get(ctx)
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + "=" + md[k]
	}
	out := []byte(strings.Join(lines, "\n"))
	return &out, nil
}

// Block echoes like Bidi but does not return before the stream's context is
// done. If receiving ended with context.Canceled (what the stream reports
// after a soft-cancel packet) it counts a cancellation.
func (s *Server) Block(stream drpc.Stream) error {
	var recvErr error
	sending := true
	for {
		var msg []byte
		if err := stream.MsgRecv(&msg, Raw); err != nil {
			recvErr = err
			break
		}
		if sending && stream.MsgSend(&msg, Raw) != nil {
			sending = false // keep receiving to learn why the stream ended
		}
	}
	<-stream.Context().Done()
	if errors.Is(recvErr, context.Canceled) {
		s.cancelled.Add(1)
	}
	return nil
}

// Cancelled replies with the decimal number of Block streams that ended by
// cancellation so far.
func (s *Server) Cancelled(ctx context.Context, in *[]byte) (*[]byte, error) {
	out := []byte(strconv.FormatInt(s.cancelled.Load(), 10))
	return &out, nil
}

func metaUint(ctx context.Context, key string, def uint64) (uint64, error) {
	md, _ := drpcmetadata.Get(ctx)
	v, ok := md[key]
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad metadata %s=%q: %v", key, v, err)
	}
	return n, nil
}

// description is the hand-written drpc.Description. drpcmux inspects the
// shape of the method value (a method expression), so each entry pairs a
// receiver with a method expression of the matching shape.
type description struct{}

type method struct {
	rpc      string
	receiver drpc.Receiver
	method   interface{}
}

var methods = []method{
	{RPCUnary, unaryReceiver((*Server).Unary), (*Server).Unary},
	{RPCServerStream, func(srv interface{}, ctx context.Context, in1, in2 interface{}) (drpc.Message, error) {
		return nil, srv.(*Server).ServerStream(in1.(*[]byte), in2.(drpc.Stream))
	}, (*Server).ServerStream},
	{RPCClientStream, streamReceiver((*Server).ClientStream), (*Server).ClientStream},
	{RPCBidi, streamReceiver((*Server).Bidi), (*Server).Bidi},
	{RPCFail, unaryReceiver((*Server).Fail), (*Server).Fail},
	{RPCMetadata, unaryReceiver((*Server).Metadata), (*Server).Metadata},
	{RPCBlock, streamReceiver((*Server).Block), (*Server).Block},
	{RPCCancelled, unaryReceiver((*Server).Cancelled), (*Server).Cancelled},
}

func unaryReceiver(f func(*Server, context.Context, *[]byte) (*[]byte, error)) drpc.Receiver {
	return func(srv interface{}, ctx context.Context, in1, _ interface{}) (drpc.Message, error) {
		out, err := f(srv.(*Server), ctx, in1.(*[]byte))
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

func streamReceiver(f func(*Server, drpc.Stream) error) drpc.Receiver {
	return func(srv interface{}, _ context.Context, in1, _ interface{}) (drpc.Message, error) {
		return nil, f(srv.(*Server), in1.(drpc.Stream))
	}
}

func (description) NumMethods() int { return len(methods) }

func (description) Method(n int) (string, drpc.Encoding, drpc.Receiver, interface{}, bool) {
	if n < 0 || n >= len(methods) {
		return "", nil, nil, nil, false
	}
	m := methods[n]
	return m.rpc, Raw, m.receiver, m.method, true
}
