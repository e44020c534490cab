package contract

import (
	"github.com/authentik-go/authentik/internal/testkit"
	"github.com/getkin/kin-openapi/openapi3"

	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Prism (npm @stoplight/prism-cli, pinned with its whole tree in
// prism/package-lock.json) is installed by the tests themselves with `npm ci`
// into ../.cache/prism-<lock hash>, once per lock file. Without node and npm the
// tests fail and say how to get them: never a silent skip.

var (
	prismOnce sync.Once
	prismBin  string
	prismErr  error
)

func prismBinary(t *testing.T) string {
	t.Helper()
	prismOnce.Do(func() { prismBin, prismErr = installPrism() })
	if prismErr != nil {
		t.Fatal(prismErr)
	}
	return prismBin
}

func installPrism() (string, error) {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Errorf("the contract tests run Prism, which needs %s (Node.js 18 or newer) on PATH: "+
				"install it (Debian: apt-get install nodejs npm), then run the tests again", tool)
		}
	}
	src := filepath.Join(Dir(), "prism")
	lock, err := os.ReadFile(filepath.Join(src, "package-lock.json"))
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(lock)
	dir := filepath.Join(Dir(), "..", ".cache", "prism-"+hex.EncodeToString(sum[:6]))
	bin := filepath.Join(dir, "node_modules", ".bin", "prism")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, name := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return "", err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("installing Prism with npm ci in %s: %v\n%s", dir, err, out)
	}
	return bin, nil
}

// startPrism runs Prism in static mode on a free 127.0.0.1 port, serving the
// schema mounted under /api/v3, and stops it when the test ends, whatever happens.
func startPrism(t *testing.T) string {
	t.Helper()
	doc, err := LoadSchema()
	if err != nil {
		t.Fatal(err)
	}
	return startPrismDoc(t, doc, false)
}

// startPrismDoc serves doc with Prism: in static mode the schema's examples
// (or values built from it), in dynamic mode (-d) random values of every
// property's type, format and enum.
func startPrismDoc(t *testing.T, doc *openapi3.T, dynamic bool) string {
	t.Helper()
	bin := prismBinary(t)
	spec, err := Mounted(doc).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	specPath := filepath.Join(t.TempDir(), "prism-api-v3.json")
	if err := os.WriteFile(specPath, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	l.Close()

	var logs bytes.Buffer
	args := []string{"mock", "-h", "127.0.0.1", "-p", port, specPath}
	if dynamic {
		args = append(args, "-d")
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // node may start children: stop the group
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			t.Logf("prism output:\n%s", logs.String())
		}
	})
	base := "http://127.0.0.1:" + port
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/api/v3/stages/email/")
		if err == nil {
			resp.Body.Close()
			return base
		}
		if time.Now().After(deadline) {
			t.Fatalf("prism did not start on %s within 60s: %v\n%s", base, err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// rawGet sends one request with the given Authorization header.
func rawGet(t *testing.T, url, auth string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// buildExamples compiles every example program into a temporary folder.
func buildExamples(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	names := []string{"list-email-stages", "list-invitation-stages", "walk-all"}
	args := []string{"build", "-o", dir + string(os.PathSeparator)}
	for _, n := range names {
		args = append(args, "./examples/"+n)
	}
	cmd := exec.Command(testkit.GoTool(t), args...)
	cmd.Dir = filepath.Join(Dir(), "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the examples: %v\n%s", err, out)
	}
	bins := map[string]string{}
	for _, n := range names {
		bins[n] = filepath.Join(dir, n)
	}
	return bins
}
