//go:build race

package bench

// raceEnabled: the race detector is on; B3's walks are shortened (see heapSizes).
const raceEnabled = true
