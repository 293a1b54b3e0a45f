package bench

import (
	"fmt"
	"runtime"
	"syscall"
)

// Stats is CPU time and heap allocation of this process.
type Stats struct {
	CPUNanos   int64
	AllocBytes uint64
	Allocs     uint64
	GCCount    uint32
	GCMillis   uint64
}

// Now reads the process's counters (ReadMemStats stops the world briefly).
func Now() Stats {
	var ru syscall.Rusage
	cpu := int64(-1)
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		cpu = ru.Utime.Nano() + ru.Stime.Nano()
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return Stats{cpu, m.TotalAlloc, m.Mallocs, m.NumGC, m.PauseTotalNs / 1e6}
}

// Line is the STATS line of the harness protocol.
func (s Stats) Line() string {
	return fmt.Sprintf("STATS cpu_ns=%d alloc_bytes=%d allocs=%d gc_count=%d gc_ms=%d",
		s.CPUNanos, s.AllocBytes, s.Allocs, s.GCCount, s.GCMillis)
}
