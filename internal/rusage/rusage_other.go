//go:build !linux

package rusage

import (
	"os"
	"time"
)

func processCPU() time.Duration { return 0 }
func threadCPU() time.Duration  { return 0 }
func lockThread()               {}
func unlockThread()             {}
func residentSet() int64        { return 0 }
func peakRSS() int64            { return 0 }

func ofProcess(ps *os.ProcessState) (time.Duration, int64) {
	return ps.UserTime() + ps.SystemTime(), 0
}
