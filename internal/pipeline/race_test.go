//go:build race

package pipeline

// raceEnabled: the helper binary is built with the race detector too, so
// it reuses the packages this test binary was compiled from.
const raceEnabled = true
