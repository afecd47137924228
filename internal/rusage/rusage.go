// Package rusage reads what the process and its threads have used: CPU
// time and peak resident memory. The build pipeline reports them per
// stage; a stage that runs on several goroutines counts each on its own
// thread (see Thread).
package rusage

import (
	"os"
	"time"
)

// Usage is the resources used between two points.
type Usage struct {
	Wall time.Duration
	CPU  time.Duration // user + system
	// PeakRSS is the largest resident set in bytes; 0 when unknown.
	PeakRSS int64
}

// sampleEvery is how often a Meter reads the resident set.
const sampleEvery = 5 * time.Millisecond

// Meter measures one stretch of work of the whole process.
type Meter struct {
	start time.Time
	cpu   time.Duration
	stop  chan struct{}
	peak  chan int64
}

// Start begins measuring. The peak resident set of the stretch is the
// largest of samples taken every few milliseconds (the kernel's own peak
// covers the whole life of the process, and resetting it would change
// what tools such as time(1) report).
func Start() Meter {
	m := Meter{start: time.Now(), cpu: processCPU(), stop: make(chan struct{}), peak: make(chan int64, 1)}
	go func() {
		peak := residentSet()
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				m.peak <- max(peak, residentSet())
				return
			case <-t.C:
				peak = max(peak, residentSet())
			}
		}
	}()
	return m
}

// Stop returns what the process used since Start.
func (m Meter) Stop() Usage {
	close(m.stop)
	return Usage{Wall: time.Since(m.start), CPU: processCPU() - m.cpu, PeakRSS: <-m.peak}
}

// ProcessCPU returns the CPU time the process has used so far.
func ProcessCPU() time.Duration { return processCPU() }

// PeakRSS returns the peak resident set of the process in bytes over its
// life, or 0 when unknown.
func PeakRSS() int64 { return peakRSS() }

// Thread measures the CPU time of the calling goroutine, which it locks
// to its OS thread until Stop: the work of one of several concurrent
// workers. On systems without per-thread accounting it reports 0.
type Thread struct{ start time.Duration }

// StartThread locks the calling goroutine to its thread and starts
// counting. Call Stop on the same goroutine.
func StartThread() Thread {
	lockThread()
	return Thread{start: threadCPU()}
}

// Stop returns the CPU time used since StartThread and unlocks the thread.
func (t Thread) Stop() time.Duration {
	d := threadCPU() - t.start
	unlockThread()
	return d
}

// OfProcess returns what a process that has exited used, given the wall
// time it ran: its CPU time and peak resident set.
func OfProcess(ps *os.ProcessState, wall time.Duration) Usage {
	cpu, peak := ofProcess(ps)
	return Usage{Wall: wall, CPU: cpu, PeakRSS: peak}
}
