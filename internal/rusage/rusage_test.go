package rusage

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// spin burns CPU on the calling goroutine for about d of wall time.
func spin(d time.Duration) int {
	n := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 1000; i++ {
			n += i * i
		}
	}
	return n
}

func TestMeterCountsWork(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("CPU accounting is read on Linux only")
	}
	m := Start()
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	spin(50 * time.Millisecond)
	u := m.Stop()
	runtime.KeepAlive(buf)
	if u.CPU <= 0 || u.Wall < 50*time.Millisecond {
		t.Errorf("Stop() = %+v: want CPU and at least 50ms of wall time", u)
	}
	if u.PeakRSS < 64<<20 {
		t.Errorf("PeakRSS = %d after touching 64 MiB", u.PeakRSS)
	}
}

func TestThreadCountsOnlyItsGoroutine(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("CPU accounting is read on Linux only")
	}
	var wg sync.WaitGroup
	var busy, idle time.Duration
	wg.Add(2)
	go func() {
		defer wg.Done()
		th := StartThread()
		spin(100 * time.Millisecond)
		busy = th.Stop()
	}()
	go func() {
		defer wg.Done()
		th := StartThread()
		time.Sleep(100 * time.Millisecond)
		idle = th.Stop()
	}()
	wg.Wait()
	if busy < 20*time.Millisecond {
		t.Errorf("busy thread used %v of CPU, want most of 100ms", busy)
	}
	if idle > busy/2 {
		t.Errorf("sleeping thread used %v, busy one %v", idle, busy)
	}
}
