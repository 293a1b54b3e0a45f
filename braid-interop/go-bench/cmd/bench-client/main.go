// Command bench-client drives closed-loop load against a braid.bench.Bench
// server with storj.io/drpc's drpcconn, for `braid bench` (system go-drpc).
//
// drpc v1.0.0 runs one stream at a time per connection, so each call in
// flight has its own connection. Output lines (the harness protocol shared
// with the Java client): "PROGRESS phase elapsed_ms phase_ms completed" every
// 200 ms, "PHASE measure" and "PHASE end" around the measured phase, then
// "RESULT <json>". Every response is verified; the first error stops the run
// and the result carries it instead of figures.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"storj.io/drpc/drpcconn"

	"braid.dev/gobench/internal/bench"
)

type loop struct {
	running   atomic.Bool
	measuring atomic.Bool
	completed atomic.Int64
	errMu     sync.Mutex
	err       string
	errors    int64
	wg        sync.WaitGroup
}

func (l *loop) fail(format string, args ...interface{}) {
	l.errMu.Lock()
	defer l.errMu.Unlock()
	l.errors++
	if l.err == "" {
		l.err = fmt.Sprintf(format, args...)
	}
	l.running.Store(false)
}

// slot holds one slot's measured samples; only its goroutine writes it.
type slot struct {
	lat      []int64
	messages int64
	bytes    int64
}

func (s *slot) record(l *loop, start, end time.Time, msgs, payload int64) {
	l.completed.Add(1)
	if l.measuring.Load() {
		s.lat = append(s.lat, end.Sub(start).Nanoseconds())
		s.messages += msgs
		s.bytes += payload
	}
}

func main() {
	addr := flag.String("addr", "", "server host:port")
	scenario := flag.String("scenario", "unary", "unary, server-stream or bidi")
	payload := flag.Int("payload", 0, "message size in bytes")
	inflight := flag.Int("inflight", 1, "calls in flight")
	messages := flag.Int("messages", 16, "messages per server-streaming call")
	warmupMs := flag.Int64("warmup-ms", 3000, "warm-up")
	measureMs := flag.Int64("measure-ms", 5000, "measured phase")
	flag.Parse()

	res := map[string]interface{}{
		"system": "go-drpc", "scenario": *scenario, "payload_bytes": *payload,
		"inflight": *inflight, "connections": *inflight, "executor": "goroutines",
		"messages_per_call": 1,
	}
	if *scenario == "server-stream" {
		res["messages_per_call"] = *messages
	}
	out := func() {
		b, _ := json.Marshal(res)
		fmt.Printf("RESULT %s\n", b)
		os.Exit(0)
	}
	failRes := func(why string) {
		res["error"] = why
		for _, k := range []string{"calls_per_s", "mib_per_s", "p50_us", "p99_us"} {
			res[k] = nil
		}
		out()
	}

	conns := make([]*drpcconn.Conn, *inflight)
	for i := range conns {
		nc, err := net.Dial("tcp", *addr)
		if err != nil {
			failRes(fmt.Sprintf("dial: %v", err))
		}
		conns[i] = drpcconn.New(nc)
		probe := append([]byte{}, bench.Pattern(16)...)
		var got []byte
		if err := conns[i].Invoke(context.Background(), bench.RPCUnary, bench.Raw, &probe, &got); err != nil || !bytes.Equal(got, probe) {
			failRes(fmt.Sprintf("first call failed: %v", err))
		}
	}

	l := &loop{}
	l.running.Store(true)
	slots := make([]*slot, *inflight)
	for i := range slots {
		slots[i] = &slot{}
		l.wg.Add(1)
		s, c, id := slots[i], conns[i], i
		switch *scenario {
		case "unary":
			go unary(l, s, c, id, *payload)
		case "server-stream":
			go serverStream(l, s, c, *messages, *payload)
		case "bidi":
			go bidi(l, s, c, id, *payload)
		default:
			failRes("unknown scenario " + *scenario)
		}
	}

	phase := func(name string, ms int64) {
		start := time.Now()
		for {
			el := time.Since(start).Milliseconds()
			fmt.Printf("PROGRESS %s %d %d %d\n", name, el, ms, l.completed.Load())
			if el >= ms || !l.running.Load() {
				return
			}
			d := ms - el
			if d > 200 {
				d = 200
			}
			time.Sleep(time.Duration(d) * time.Millisecond)
		}
	}
	phase("warmup", *warmupMs)
	before := bench.Now()
	t0 := time.Now()
	l.measuring.Store(true)
	fmt.Println("PHASE measure")
	phase("measure", *measureMs)
	l.measuring.Store(false)
	t1 := time.Now()
	after := bench.Now()
	fmt.Println("PHASE end")
	l.running.Store(false)
	done := make(chan struct{})
	go func() { l.wg.Wait(); close(done) }()
	stopped := true
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		stopped = false
	}
	for _, c := range conns {
		_ = c.Close()
	}

	var lat []int64
	var msgs, byt int64
	for _, s := range slots {
		lat = append(lat, s.lat...)
		msgs += s.messages
		byt += s.bytes
	}
	secs := t1.Sub(t0).Seconds()
	calls := int64(len(lat))
	res["calls"] = calls
	res["messages"] = msgs
	res["bytes"] = byt
	res["seconds"] = round(secs, 3)
	if l.err != "" {
		why := l.err
		if l.errors > 1 {
			why = fmt.Sprintf("%s (%d errors)", why, l.errors)
		}
		failRes(why)
	}
	if !stopped {
		failRes("slots still had a call outstanding 15000 ms after the end")
	}
	if calls == 0 {
		failRes("no call completed in the measured phase")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		idx := int(math.Ceil(p/100*float64(len(lat)))) - 1
		if idx < 0 {
			idx = 0
		}
		return round(float64(lat[idx])/1000, 1)
	}
	res["calls_per_s"] = round(float64(calls)/secs, 1)
	res["mib_per_s"] = round(float64(byt)/secs/(1<<20), 2)
	res["p50_us"] = pct(50)
	res["p90_us"] = pct(90)
	res["p99_us"] = pct(99)
	res["p999_us"] = pct(99.9)
	res["max_us"] = round(float64(lat[len(lat)-1])/1000, 1)
	res["client_cpu_us_per_call"] = round(float64(after.CPUNanos-before.CPUNanos)/1000/float64(calls), 2)
	res["client_alloc_bytes_per_call"] = round(float64(after.AllocBytes-before.AllocBytes)/float64(calls), 0)
	res["client_allocs_per_call"] = round(float64(after.Allocs-before.Allocs)/float64(calls), 1)
	out()
}

func round(v float64, d int) float64 {
	f := math.Pow(10, float64(d))
	return math.Round(v*f) / f
}

func unary(l *loop, s *slot, c *drpcconn.Conn, id int, size int) {
	defer l.wg.Done()
	req := append([]byte{}, bench.Pattern(size)...)
	var resp []byte
	for seq := uint64(1); l.running.Load(); seq++ {
		bench.Stamp(req, bench.Tag(id, seq))
		start := time.Now()
		err := c.Invoke(context.Background(), bench.RPCUnary, bench.Raw, &req, &resp)
		end := time.Now()
		if err != nil {
			l.fail("unary: %v", err)
			return
		}
		if !bytes.Equal(resp, req) {
			l.fail("unary: echo differs from the request (%d bytes, expected %d)", len(resp), len(req))
			return
		}
		s.record(l, start, end, 1, int64(size))
	}
}

func serverStream(l *loop, s *slot, c *drpcconn.Conn, count, size int) {
	defer l.wg.Done()
	req := bench.StreamRequest(count, size)
	expected := bench.Pattern(size)
	var m []byte
	for l.running.Load() {
		last := time.Now()
		st, err := c.NewStream(context.Background(), bench.RPCStream, bench.Raw)
		if err != nil {
			l.fail("server-stream: %v", err)
			return
		}
		if err := st.MsgSend(&req, bench.Raw); err != nil {
			l.fail("server-stream: send: %v", err)
			return
		}
		if err := st.CloseSend(); err != nil {
			l.fail("server-stream: close send: %v", err)
			return
		}
		n := 0
		for {
			err := st.MsgRecv(&m, bench.Raw)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				l.fail("server-stream: receive: %v", err)
				return
			}
			now := time.Now()
			if !bytes.Equal(m, expected) {
				l.fail("server-stream: message %d differs from the pattern (%d bytes)", n, len(m))
				return
			}
			s.record(l, last, now, 1, int64(size))
			last = now
			n++
		}
		_ = st.Close()
		if n != count {
			l.fail("server-stream: %d messages, expected %d", n, count)
			return
		}
	}
}

func bidi(l *loop, s *slot, c *drpcconn.Conn, id int, size int) {
	defer l.wg.Done()
	st, err := c.NewStream(context.Background(), bench.RPCBidi, bench.Raw)
	if err != nil {
		l.fail("bidi: %v", err)
		return
	}
	defer func() { _ = st.Close() }()
	req := append([]byte{}, bench.Pattern(size)...)
	var resp []byte
	for seq := uint64(1); l.running.Load(); seq++ {
		bench.Stamp(req, bench.Tag(id, seq))
		start := time.Now()
		if err := st.MsgSend(&req, bench.Raw); err != nil {
			l.fail("bidi: send: %v", err)
			return
		}
		if err := st.MsgRecv(&resp, bench.Raw); err != nil {
			l.fail("bidi: receive: %v", err)
			return
		}
		end := time.Now()
		if !bytes.Equal(resp, req) {
			l.fail("bidi: echo differs from the request (%d bytes, expected %d)", len(resp), len(req))
			return
		}
		s.record(l, start, end, 1, int64(size))
	}
	if err := st.CloseSend(); err != nil {
		l.fail("bidi: close send: %v", err)
		return
	}
	if err := st.MsgRecv(&resp, bench.Raw); !errors.Is(err, io.EOF) {
		l.fail("bidi: expected EOF after CloseSend, got %v", err)
	}
}
