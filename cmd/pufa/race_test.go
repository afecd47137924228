//go:build race

package main

// raceEnabled: the race detector slows builds several times over, so
// wall-clock targets are reported rather than enforced under it.
const raceEnabled = true
