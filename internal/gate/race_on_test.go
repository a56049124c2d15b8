//go:build race

package gate

// raceEnabled: the race detector slows the code under test unevenly, so
// timing tests skip.
const raceEnabled = true
