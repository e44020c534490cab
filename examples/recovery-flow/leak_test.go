package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a walk,
// a retry, a server or a client connection left behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
