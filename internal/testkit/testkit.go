// Package testkit holds what the tests of several packages and modules of this
// repository need, once: finding the go command and a clean environment for
// the programs they run. It is for tests only.
package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// GoTool is the go command of the toolchain running the tests: GOROOT's when
// GOROOT is set and holds one, else the one on PATH.
func GoTool(t testing.TB) string {
	t.Helper()
	if root := os.Getenv("GOROOT"); root != "" {
		name := "go"
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		if p := filepath.Join(root, "bin", name); fileExists(p) {
			return p
		}
	}
	path, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command: %v", err)
	}
	return path
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// CleanEnv is this process's environment without any AUTHENTIK_ variable (in
// any case), as on a machine where nothing is set, plus extra.
func CleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(strings.ToUpper(kv), "AUTHENTIK_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}
