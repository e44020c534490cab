//go:build !race

package bench

// raceEnabled: the race detector is off; B3 walks 10k and 100k items.
const raceEnabled = false
