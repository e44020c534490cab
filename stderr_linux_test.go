package authentik

import (
	"io"
	"os"
	"syscall"
	"testing"
)

// captureStderr runs f with file descriptor 2 pointed at a pipe and returns what
// was written there. It swaps the descriptor itself, not os.Stderr, because a
// logger made at init (retryablehttp's default, log.New(os.Stderr, ...)) holds
// the *os.File for descriptor 2 and never looks at os.Stderr again.
func captureStderr(t *testing.T, f func()) string {
	t.Helper()
	saved, err := syscall.Dup(2)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Dup3(int(w.Fd()), 2, 0); err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	func() {
		defer func() {
			_ = syscall.Dup3(saved, 2, 0)
			_ = syscall.Close(saved)
			_ = w.Close()
		}()
		f()
	}()
	out := <-done
	_ = r.Close()
	return out
}
