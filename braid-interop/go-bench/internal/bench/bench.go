// Package bench is the Go DRPC side of `braid bench`: the benchmark service
// braid.bench.Bench (Unary echo, Stream of pattern messages, Bidi echo) with a
// raw-bytes encoding, and the payload helpers shared with the Java harness
// (dev.braid.bench.harness.Payloads): the same pattern, tags and stream request.
package bench

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"storj.io/drpc"
)

// RPC names.
const (
	RPCUnary  = "/braid.bench.Bench/Unary"
	RPCStream = "/braid.bench.Bench/Stream"
	RPCBidi   = "/braid.bench.Bench/Bidi"
)

// Raw is the encoding: a message is a *[]byte; Unmarshal copies, because the
// stream reuses its buffer after Unmarshal returns.
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
	*p = append((*p)[:0], buf...)
	return nil
}

var (
	patternMu sync.Mutex
	patterns  = map[int][]byte{}
)

// Pattern returns size bytes of xorshift32 output (seed 0x9E3779B9, shifts
// 13/17/5, the low byte of each state), shared: do not modify.
func Pattern(size int) []byte {
	patternMu.Lock()
	defer patternMu.Unlock()
	if p, ok := patterns[size]; ok {
		return p
	}
	b := make([]byte, size)
	x := uint32(0x9E3779B9)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	patterns[size] = b
	return b
}

// Stamp writes tag big-endian over the first min(8, len) bytes.
func Stamp(p []byte, tag uint64) {
	n := len(p)
	if n > 8 {
		n = 8
	}
	for i := 0; i < n; i++ {
		p[i] = byte(tag >> (56 - 8*uint(i)))
	}
}

// Tag is the tag of call seq of slot.
func Tag(slot int, seq uint64) uint64 { return uint64(slot)<<40 ^ seq }

// StreamRequest is count then size, big-endian int32.
func StreamRequest(count, size int) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint32(b, uint32(count))
	binary.BigEndian.PutUint32(b[4:], uint32(size))
	return b
}

// Corrupt returns a copy of b with one byte changed (or one byte if empty).
func Corrupt(b []byte) []byte {
	if len(b) == 0 {
		return []byte{42}
	}
	c := append([]byte{}, b...)
	c[len(c)/2] ^= 0x5A
	return c
}

// Server implements braid.bench.Bench.
type Server struct {
	CorruptEvery int64
	count        atomic.Int64
}

func (s *Server) corrupt() bool {
	return s.CorruptEvery > 0 && s.count.Add(1)%s.CorruptEvery == 0
}

// Unary replies with the request.
func (s *Server) Unary(ctx context.Context, in *[]byte) (*[]byte, error) {
	if s.corrupt() {
		c := Corrupt(*in)
		return &c, nil
	}
	return in, nil
}

// Stream sends count messages of size bytes of the pattern.
func (s *Server) Stream(in *[]byte, stream drpc.Stream) error {
	if len(*in) != 8 {
		return fmt.Errorf("stream request of %d bytes", len(*in))
	}
	count := int(int32(binary.BigEndian.Uint32(*in)))
	size := int(int32(binary.BigEndian.Uint32((*in)[4:])))
	if count < 0 || size < 0 || size > 64<<20 {
		return fmt.Errorf("bad stream request %d x %d", count, size)
	}
	p := Pattern(size)
	for i := 0; i < count; i++ {
		m := p
		if s.corrupt() {
			m = Corrupt(p)
		}
		if err := stream.MsgSend(&m, Raw); err != nil {
			return err
		}
	}
	return nil
}

// Bidi echoes every message until EOF.
func (s *Server) Bidi(stream drpc.Stream) error {
	var msg []byte
	for {
		if err := stream.MsgRecv(&msg, Raw); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		out := msg
		if s.corrupt() {
			out = Corrupt(msg)
		}
		if err := stream.MsgSend(&out, Raw); err != nil {
			return err
		}
	}
}

// Register registers the service on a drpc.Mux.
func Register(mux drpc.Mux, srv *Server) error {
	return mux.Register(srv, description{})
}

type description struct{}

type method struct {
	rpc      string
	receiver drpc.Receiver
	method   interface{}
}

var methods = []method{
	{RPCUnary, func(srv interface{}, ctx context.Context, in1, _ interface{}) (drpc.Message, error) {
		return srv.(*Server).Unary(ctx, in1.(*[]byte))
	}, (*Server).Unary},
	{RPCStream, func(srv interface{}, _ context.Context, in1, in2 interface{}) (drpc.Message, error) {
		return nil, srv.(*Server).Stream(in1.(*[]byte), in2.(drpc.Stream))
	}, (*Server).Stream},
	{RPCBidi, func(srv interface{}, _ context.Context, in1, _ interface{}) (drpc.Message, error) {
		return nil, srv.(*Server).Bidi(in1.(drpc.Stream))
	}, (*Server).Bidi},
}

func (description) NumMethods() int { return len(methods) }

func (description) Method(n int) (string, drpc.Encoding, drpc.Receiver, interface{}, bool) {
	if n < 0 || n >= len(methods) {
		return "", nil, nil, nil, false
	}
	m := methods[n]
	return m.rpc, Raw, m.receiver, m.method, true
}
