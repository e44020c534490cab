package bench

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them.
// BENCH_NO_GOLEAK=1 skips the check: results-issue19/callgrind.sh counts every
// instruction of the process, and goleak's retries at exit (while net/http's
// goroutines wind down) vary from run to run.
func TestMain(m *testing.M) {
	if os.Getenv("BENCH_NO_GOLEAK") != "" {
		os.Exit(m.Run())
	}
	goleak.VerifyTestMain(m)
}
