// Package examples_test builds the example programs and runs them as a user on a
// fresh clone would, with `go run` and nothing set: no AUTHENTIK_URL, no token.
// The examples' own tests call their run functions; this one checks the real
// binaries, their exit status and both outputs, and that each example can be
// copied alone into another module.
package examples_test

import (
	"bytes"
	"context"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authentik-go/authentik/authentiktest"
	"github.com/authentik-go/authentik/examples/internal/clitest"
	"github.com/authentik-go/authentik/internal/testkit"
)

// build compiles the examples named by pkgs (directories below examples/) into
// one temporary directory with a single go build, and returns the path of each
// binary.
func build(t *testing.T, pkgs ...string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := []string{"build", "-o", dir}
	for _, p := range pkgs {
		args = append(args, "./"+p)
	}
	cmd := exec.CommandContext(ctx, testkit.GoTool(t), args...)
	cmd.Env = testkit.CleanEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	bins := make(map[string]string)
	for _, p := range pkgs {
		bin := filepath.Join(dir, p)
		if runtime.GOOS == "windows" {
			bin += ".exe"
		}
		bins[p] = bin
	}
	return bins
}

// TestBinariesWithNothingSet is `go run ./examples/list-email-stages` and
// `go run ./examples/walk-all -page-size 3` on a fresh clone: each program
// starts the built-in fake, says so in one line on stderr, prints the demo
// data and exits 0.
func TestBinariesWithNothingSet(t *testing.T) {
	bins := build(t, "list-email-stages", "walk-all", "ensure-email-stage")

	// The expected rows are those of a fake in this process with the same demo
	// data, in its order (by name).
	demo := authentiktest.Start(t, authentiktest.WithDemoData())
	email, invitation := demo.EmailStages(), demo.InvitationStages()
	emailRows := [][]string{{"NAME", "PK", "SMTP", "FROM ADDRESS", "FLOWS"}}
	for _, s := range email[:20] { // the first page, of the server's default size
		emailRows = append(emailRows, []string{s.Name, s.PK, clitest.SMTP(s), s.FromAddress, clitest.Flows(s.FlowSet)})
	}
	walkRows := [][]string{{"KIND", "NAME", "PK", "FLOWS"}}
	for _, s := range email {
		walkRows = append(walkRows, []string{"email", s.Name, s.PK, clitest.Flows(s.FlowSet)})
	}
	for _, s := range invitation {
		walkRows = append(walkRows, []string{"invitation", s.Name, s.PK, clitest.Flows(s.FlowSet)})
	}

	tests := []struct {
		prog       string
		args       []string
		firstLines []string // what a reader sees first, spelled out
		wantLines  int
		wantStdout string
		note       string // what a one-page listing says on stderr after the fake's notice
	}{
		{
			prog: "list-email-stages",
			firstLines: []string{
				"NAME                                     PK                                    SMTP                  FROM ADDRESS            FLOWS",
				"default-authentication-email-magic-link  5d0c6f1e-8a4b-4f2e-9b3a-7c1d2e3f4a5b  global settings       system@authentik.local  default-authentication-flow",
				"default-enrollment-email-verification    6e1d7a2f-9b5c-4a3f-8c4b-8d2e3f4a5b6c  global settings       system@authentik.local  default-enrollment-flow",
				"default-recovery-email                   7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d  smtp.example.com:587  authentik@example.com   default-recovery-flow",
				"demo-email-stage-01                      e0000000-0000-4000-8000-000000000001  global settings       system@authentik.local  -",
			},
			wantLines:  1 + 20,
			wantStdout: clitest.Table(emailRows...),
			note:       clitest.PageNote(1, 3, 45),
		},
		{
			prog: "walk-all",
			args: []string{"-page-size", "3"},
			firstLines: []string{
				"KIND        NAME                                                   PK                                    FLOWS",
				"email       default-authentication-email-magic-link                5d0c6f1e-8a4b-4f2e-9b3a-7c1d2e3f4a5b  default-authentication-flow",
				"email       default-enrollment-email-verification                  6e1d7a2f-9b5c-4a3f-8c4b-8d2e3f4a5b6c  default-enrollment-flow",
				"email       default-recovery-email                                 7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d  default-recovery-flow",
				"email       demo-email-stage-01                                    e0000000-0000-4000-8000-000000000001  -",
			},
			wantLines:  1 + 45 + 25 + 1,
			wantStdout: clitest.Table(walkRows...) + "email stages: 45, invitation stages: 25\n",
		},
		{
			prog: "list-email-stages",
			args: []string{"-use-global-settings=false"}, // the README's audit: one flow sends through its own server
			firstLines: []string{
				"NAME                    PK                                    SMTP                  FROM ADDRESS           FLOWS",
				"default-recovery-email  7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d  smtp.example.com:587  authentik@example.com  default-recovery-flow",
			},
			wantLines: 2,
			wantStdout: "NAME                    PK                                    SMTP                  FROM ADDRESS           FLOWS\n" +
				"default-recovery-email  7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d  smtp.example.com:587  authentik@example.com  default-recovery-flow\n",
		},
		{
			prog:       "ensure-email-stage",
			args:       []string{"-name", "default-recovery-email", "-port", "465", "-use-tls=false", "-use-ssl", "-dry-run"},
			firstLines: []string{`would change default-recovery-email port: 587 -> 465`, `would change default-recovery-email use-tls: true -> false`},
			wantLines:  3,
			wantStdout: "would change default-recovery-email port: 587 -> 465\nwould change default-recovery-email use-tls: true -> false\n" +
				"would change default-recovery-email use-ssl: false -> true\n",
		},
	}
	for _, tt := range tests {
		t.Run(strings.Join(append([]string{tt.prog}, tt.args...), " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bins[tt.prog], tt.args...)
			cmd.Env = testkit.CleanEnv()
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				t.Fatalf("running %s: %v", tt.prog, err)
			}
			if code := cmd.ProcessState.ExitCode(); code != 0 || stderr.String() != clitest.FakeStderr+tt.note {
				t.Fatalf("exit %d, stderr %q; want 0 and %q", code, stderr.String(), clitest.FakeStderr+tt.note)
			}
			out := stdout.String()
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != tt.wantLines || !strings.HasSuffix(out, "\n") {
				t.Errorf("%d lines, want %d", len(lines), tt.wantLines)
			}
			for i, want := range tt.firstLines {
				if i >= len(lines) || lines[i] != want {
					t.Fatalf("line %d:\n%q\nwant:\n%q\nstdout:\n%s", i+1, lines[min(i, len(lines)-1)], want, out)
				}
			}
			if out != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tt.wantStdout)
			}
		})
	}
}

// examples are the example programs: the directories below examples/ that
// hold a main package, but not internal/.
func examples(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "internal" && e.Name() != "testdata" {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs
}

// TestExamplesStandAlone: each example is documentation that a user copies
// into their own module, so its non-test files import nothing but the
// standard library, the SDK and its fake (authentiktest); not this module's
// internal packages, nor any other module.
func TestExamplesStandAlone(t *testing.T) {
	allowed := map[string]bool{
		"github.com/authentik-go/authentik":               true,
		"github.com/authentik-go/authentik/authentiktest": true,
	}
	dirs := examples(t)
	if len(dirs) < 5 {
		t.Fatalf("found the examples %q; want at least the five", dirs)
	}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		mains := 0
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue // tests are not copied
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			if f.Name.Name == "main" {
				mains++
			}
			for _, imp := range f.Imports {
				path, err := strconv.Unquote(imp.Path.Value)
				if err != nil {
					t.Fatal(err)
				}
				// The standard library's import paths have no dot in their first element.
				std := !strings.Contains(strings.Split(path, "/")[0], ".")
				if !std && !allowed[path] {
					t.Errorf("%s imports %q: an example may import only the standard library, %s and %s",
						name, path, "github.com/authentik-go/authentik", "github.com/authentik-go/authentik/authentiktest")
				}
			}
		}
		if mains == 0 {
			t.Errorf("%s: no package main outside its tests", dir)
		}
	}
}
