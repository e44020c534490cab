package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/authentik-go/authentik"
)

func getenv(env map[string]string) func(string) string {
	return func(key string) string { return env[key] }
}

// TestTriState parses flags the way the examples register them and checks
// that an unset flag leaves nil, which the SDK does not send.
func TestTriState(t *testing.T) {
	ptr := func(b bool) *bool { return &b }
	num := func(n int) *int { return &n }
	tests := []struct {
		args     []string
		wantBool *bool
		wantInt  *int
		wantErr  string
	}{
		{args: nil},
		{args: []string{"-b"}, wantBool: ptr(true)},
		{args: []string{"-b=true"}, wantBool: ptr(true)},
		{args: []string{"-b=false"}, wantBool: ptr(false)},
		{args: []string{"-b=0"}, wantBool: ptr(false)},
		{args: []string{"-b=F"}, wantBool: ptr(false)},
		{args: []string{"-b=false", "-b"}, wantBool: ptr(true)}, // the last one wins
		{args: []string{"-n", "0"}, wantInt: num(0)},
		{args: []string{"-n=-3"}, wantInt: num(-3)},
		{args: []string{"-n", "587", "-b=false"}, wantBool: ptr(false), wantInt: num(587)},
		{args: []string{"-b=no"}, wantErr: `invalid boolean value "no" for -b: want true or false`},
		{args: []string{"-n", "25.0"}, wantErr: `invalid value "25.0" for flag -n: want a whole number`},
		{args: []string{"-n"}, wantErr: "flag needs an argument: -n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var b *bool
			var n *int
			BoolVar(fs, &b, "b", "")
			IntVar(fs, &n, "n", "")
			err := fs.Parse(tt.args)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (b == nil) != (tt.wantBool == nil) || (b != nil && *b != *tt.wantBool) {
				t.Errorf("bool %v, want %v", show(b), show(tt.wantBool))
			}
			if (n == nil) != (tt.wantInt == nil) || (n != nil && *n != *tt.wantInt) {
				t.Errorf("int %v, want %v", show(n), show(tt.wantInt))
			}
		})
	}
}

func show[T any](p *T) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// TestFlagValueMethods checks what the flag package relies on: String of a
// zero value (used by PrintDefaults), IsBoolFlag, and no panic without a target.
func TestFlagValueMethods(t *testing.T) {
	var b *bool
	var n *int
	bv, nv := NewBool(&b), NewInt(&n)
	if bv.String() != "" || nv.String() != "" || (&Bool{}).String() != "" || (&Int{}).String() != "" {
		t.Error("an unset flag's String is not empty")
	}
	if !bv.IsBoolFlag() {
		t.Error("Bool.IsBoolFlag is false: -use-tls would need a value")
	}
	if err := bv.Set("false"); err != nil || bv.String() != "false" {
		t.Errorf("Set(false): %v, String %q", err, bv.String())
	}
	if err := nv.Set("25"); err != nil || nv.String() != "25" {
		t.Errorf("Set(25): %v, String %q", err, nv.String())
	}
	if (&Bool{}).Set("true") == nil || (&Int{}).Set("1") == nil {
		t.Error("Set without a target did not fail")
	}
}

// TestListFlags checks the shared paging flags and -resource style choices.
func TestListFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    authentik.ListOptions
		wantAll bool
		wantErr string
	}{
		{args: nil},
		{args: []string{"-page", "3", "-page-size", "100", "-ordering", "-name", "-search", "recovery", "-all"},
			want:    authentik.ListOptions{Page: 3, PageSize: 100, Ordering: "-name", Search: "recovery"},
			wantAll: true},
		{args: []string{"-page", "-1"}, wantErr: `invalid value "-1" for flag -page: want 0 (the server's default) or more`},
		{args: []string{"-page-size", "ten"}, wantErr: `invalid value "ten" for flag -page-size: want a whole number`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var lo authentik.ListOptions
			CommonFlags(fs, &lo)
			all := PageFlags(fs, &lo)
			err := fs.Parse(tt.args)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if lo != tt.want || *all != tt.wantAll {
				t.Errorf("got %+v all=%v, want %+v all=%v", lo, *all, tt.want, tt.wantAll)
			}
		})
	}
}

func TestChoiceVar(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	kind := "both"
	ChoiceVar(fs, &kind, "resource", "which `kind`", "email", "invitation", "both")
	if err := fs.Parse([]string{"-resource", "email"}); err != nil || kind != "email" {
		t.Fatalf("parse: %v, kind %q", err, kind)
	}
	if err := fs.Parse([]string{"-resource", "Email"}); err == nil {
		t.Error("a value outside the choices was accepted")
	}
	fs.PrintDefaults()
	if !strings.Contains(buf.String(), "(email|invitation|both) (default both)") {
		t.Errorf("usage does not list the choices and the default:\n%s", buf.String())
	}
}

// TestConnect checks the environment handling when AUTHENTIK_URL is set, with
// no request sent: NewClient makes none.
func TestConnect(t *testing.T) {
	const token = "connect-test-token"
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // "" for success
	}{
		{"https", map[string]string{authentik.EnvURL: "https://authentik.example.com", authentik.EnvToken: token}, ""},
		{"loopback http", map[string]string{authentik.EnvURL: "http://127.0.0.1:9000", authentik.EnvToken: token}, ""},
		{"http to another host, insecure", map[string]string{authentik.EnvURL: "http://authentik.lan:9000", authentik.EnvToken: token,
			authentik.EnvInsecure: "true"}, ""},
		{"http to another host", map[string]string{authentik.EnvURL: "http://authentik.lan:9000", authentik.EnvToken: token},
			"AUTHENTIK_INSECURE=true"},
		{"http to another host, insecure false", map[string]string{authentik.EnvURL: "http://authentik.lan:9000", authentik.EnvToken: token,
			authentik.EnvInsecure: "false"}, "AUTHENTIK_INSECURE=true"},
		{"insecure not a boolean", map[string]string{authentik.EnvURL: "https://authentik.example.com", authentik.EnvToken: token,
			authentik.EnvInsecure: "sure"}, "AUTHENTIK_INSECURE is not a boolean; set it to true or false"},
		{"no token", map[string]string{authentik.EnvURL: "https://authentik.example.com"}, "AUTHENTIK_TOKEN is not set"},
		{"bad URL", map[string]string{authentik.EnvURL: "authentik.example.com", authentik.EnvToken: token}, "has no scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c, cleanup, err := Connect(getenv(tt.env), &stderr)
			if cleanup == nil {
				t.Fatal("cleanup is nil")
			}
			defer cleanup()
			if tt.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("Connect: %v", err)
				}
			} else {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "sure") {
					t.Errorf("the error quotes an environment value: %v", err)
				}
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr %q", stderr.String())
			}
		})
	}
}

// TestConnectFake checks that without AUTHENTIK_URL Connect starts the fake
// with its demo data, says so in one line, ignores the other variables (even
// ones that would be errors with a real server), and that cleanup stops it.
func TestConnectFake(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"nothing set", nil},
		{"blank URL", map[string]string{authentik.EnvURL: " \n"}},
		{"token set", map[string]string{authentik.EnvToken: "connect-test-token"}},
		{"insecure not a boolean", map[string]string{authentik.EnvInsecure: "sure"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c, cleanup, err := Connect(getenv(tt.env), &stderr)
			if cleanup == nil {
				t.Fatal("cleanup is nil")
			}
			defer cleanup()
			if err != nil || c == nil {
				t.Fatalf("Connect: %v", err)
			}
			if want := FakeNotice + "\n"; stderr.String() != want {
				t.Errorf("stderr %q, want %q", stderr.String(), want)
			}
			ctx := context.Background()
			page, err := c.EmailStages.List(ctx, nil)
			if err != nil {
				t.Fatalf("listing the fake's email stages: %v", err)
			}
			if page.Pagination.Count != 45 || len(page.Results) != 20 || page.Results[0].Name != "default-authentication-email-magic-link" {
				t.Errorf("%d email stages, %d on the first page; want the demo data's 45 and 20", page.Pagination.Count, len(page.Results))
			}

			cleanup()
			cleanup() // a second call is harmless
			// The server is gone: the request fails (the SDK retries a refused
			// connection, so the deadline is what ends it).
			ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			defer cancel()
			if _, err := c.EmailStages.List(ctx, nil); err == nil {
				t.Error("the fake still answers after cleanup")
			}
		})
	}
}

// TestRunCleanup checks that Run calls Connect's cleanup exactly once on every
// path once Connect has run, errors included, so the fake never outlives Run.
func TestRunCleanup(t *testing.T) {
	env := map[string]string{authentik.EnvURL: "https://authentik.example.com", authentik.EnvToken: "tok"}
	tests := []struct {
		name        string
		args        []string
		connectErr  error
		bodyErr     error
		wantCode    int
		wantCleanup int
	}{
		{name: "ok", wantCode: 0, wantCleanup: 1},
		{name: "body fails", bodyErr: errors.New("boom"), wantCode: 1, wantCleanup: 1},
		{name: "connect fails", connectErr: errors.New("no"), wantCode: 1, wantCleanup: 1},
		{name: "usage error: no connection", args: []string{"-x"}, wantCode: 2, wantCleanup: 0},
	}
	defer func(orig func(func(string) string, io.Writer) (*authentik.Client, func(), error)) { connect = orig }(connect)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cleanups := 0
			connect = func(getenv func(string) string, stderr io.Writer) (*authentik.Client, func(), error) {
				c, _, err := Connect(getenv, stderr)
				if tt.connectErr != nil {
					c, err = nil, tt.connectErr
				}
				return c, func() { cleanups++ }, err
			}
			fs := NewFlagSet("prog", "Summary.", io.Discard)
			code := Run(context.Background(), fs, tt.args, getenv(env), io.Discard, func(ctx context.Context, c *authentik.Client) error {
				if cleanups != 0 {
					t.Error("cleanup ran before the body")
				}
				return tt.bodyErr
			})
			if code != tt.wantCode || cleanups != tt.wantCleanup {
				t.Errorf("exit %d, %d cleanups; want %d, %d", code, cleanups, tt.wantCode, tt.wantCleanup)
			}
		})
	}
}

// TestFail checks the one error line: prefixed, on one line, without the token.
func TestFail(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		secret string
		want   string
	}{
		{"plain", errors.New("authentik: not found"), "tok", "prog: authentik: not found\n"},
		{"multi-line", errors.New("first\nsecond\r\n\tthird"), "", "prog: first second   third\n"},
		{"escape sequence", errors.New("bad \x1b[31mred"), "", "prog: bad  [31mred\n"},
		{"echoed token", errors.New("detail: Bearer s3cr3t-token was rejected; s3cr3t-token"), "s3cr3t-token",
			"prog: detail: Bearer [REDACTED] was rejected; [REDACTED]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := fail(&stderr, "prog", tt.err, tt.secret); code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if stderr.String() != tt.want {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.want)
			}
		})
	}
}

// TestRun checks the exit statuses without a real server: usage errors are 2 and
// connect errors 1, and the body only runs once both have passed; without
// AUTHENTIK_URL it runs against the fake, after the one notice line.
func TestRun(t *testing.T) {
	env := map[string]string{authentik.EnvURL: "https://authentik.example.com", authentik.EnvToken: "tok-for-run"}
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		bodyErr  error
		wantCode int
		wantBody bool
		wantErr  string // in stderr
	}{
		{name: "ok", env: env, wantCode: 0, wantBody: true},
		{name: "body fails", env: env, bodyErr: errors.New("boom"), wantCode: 1, wantBody: true, wantErr: "prog: boom\n"},
		{name: "body echoes the token", env: env, bodyErr: errors.New("got tok-for-run"), wantCode: 1, wantBody: true,
			wantErr: "prog: got [REDACTED]\n"},
		{name: "no URL: the fake", env: map[string]string{}, wantCode: 0, wantBody: true, wantErr: FakeNotice + "\n"},
		{name: "no token", env: map[string]string{authentik.EnvURL: "https://authentik.example.com"}, wantCode: 1,
			wantErr: "prog: AUTHENTIK_TOKEN is not set"},
		{name: "the fake, body fails", env: map[string]string{}, bodyErr: errors.New("boom"), wantCode: 1, wantBody: true,
			wantErr: FakeNotice + "\nprog: boom\n"},
		{name: "unknown flag", env: env, args: []string{"-x"}, wantCode: 2, wantErr: "flag provided but not defined: -x"},
		{name: "stray argument", env: env, args: []string{"-b", "false"}, wantCode: 2, wantErr: `unexpected argument "false"`},
		{name: "help", env: env, args: []string{"-help"}, wantCode: 0, wantErr: "Usage: prog [flags]\n\nSummary."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			fs := NewFlagSet("prog", "Summary.", &stderr)
			var b *bool
			BoolVar(fs, &b, "b", "")
			ran := false
			code := Run(context.Background(), fs, tt.args, getenv(tt.env), &stderr, func(ctx context.Context, c *authentik.Client) error {
				ran = c != nil
				return tt.bodyErr
			})
			if code != tt.wantCode || ran != tt.wantBody {
				t.Errorf("exit %d, body ran %v; want %d, %v", code, ran, tt.wantCode, tt.wantBody)
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.wantErr)
			}
			if tt.wantErr == "" && stderr.Len() != 0 {
				t.Errorf("stderr %q, want nothing", stderr.String())
			}
		})
	}
}
