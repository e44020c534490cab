package main

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
	"github.com/authentik-go/authentik/examples/internal/clitest"
)

const prog = "ensure-email-stage"

// writes are the requests of the log that change something.
func writes(s *authentiktest.Server) []authentiktest.Request {
	var out []authentiktest.Request
	for _, r := range s.RequestLog() {
		if r.Method != http.MethodGet {
			out = append(out, r)
		}
	}
	return out
}

// TestConverges: the first run creates the stage with the flags' values (the
// password from its file), the second finds nothing to do, a changed flag is
// patched alone, and -dry-run changes nothing.
func TestConverges(t *testing.T) {
	s := authentiktest.Start(t, authentiktest.WithDemoData())
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("fake-smtp-password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-name", "ops-mail", "-host", "smtp.example.com", "-port", "587", "-use-tls", "-password-file", pw}

	res := clitest.Run(t, run, prog, clitest.Env(s), append(args, "-dry-run")...)
	res.Succeeded(t)
	if want := "would create ops-mail {Name:\"ops-mail\" Host:\"smtp.example.com\" Port:587 Password:\"[REDACTED]\" UseTLS:true}\n"; res.Stdout != want {
		t.Errorf("dry run: %q, want %q", res.Stdout, want)
	}
	if w := writes(s); len(w) != 0 {
		t.Fatalf("the dry run wrote: %+v", w)
	}

	res = clitest.Run(t, run, prog, clitest.Env(s), args...)
	res.Succeeded(t)
	if !strings.HasPrefix(res.Stdout, "created ops-mail (") {
		t.Errorf("first run: %q", res.Stdout)
	}
	w := writes(s)
	if len(w) != 1 || w[0].Method != "POST" || string(w[0].Body) != `{"name":"ops-mail","host":"smtp.example.com","port":587,"password":"fake-smtp-password","use_tls":true}` {
		t.Fatalf("first run wrote %+v", w)
	}

	res = clitest.Run(t, run, prog, clitest.Env(s), args...)
	res.Succeeded(t)
	if !strings.HasPrefix(res.Stdout, "ops-mail (") || !strings.HasSuffix(res.Stdout, ") is up to date\n") {
		t.Errorf("second run: %q", res.Stdout)
	}
	if len(writes(s)) != 1 {
		t.Errorf("the second run wrote")
	}

	res = clitest.Run(t, run, prog, clitest.Env(s), "-name", "ops-mail", "-port", "465", "-use-tls=false", "-use-ssl", "-host", "smtp.example.com", "-dry-run")
	res.Succeeded(t)
	want := "would change ops-mail port: 587 -> 465\nwould change ops-mail use-tls: true -> false\nwould change ops-mail use-ssl: false -> true\n"
	if res.Stdout != want {
		t.Errorf("dry run of a change: %q, want %q", res.Stdout, want)
	}
	res = clitest.Run(t, run, prog, clitest.Env(s), "-name", "ops-mail", "-port", "465", "-use-tls=false", "-use-ssl", "-host", "smtp.example.com")
	res.Succeeded(t)
	if res.Stdout != strings.ReplaceAll(want, "would change", "changed") {
		t.Errorf("change: %q", res.Stdout)
	}
	w = writes(s)
	if len(w) != 2 || w[1].Method != "PATCH" || string(w[1].Body) != `{"port":465,"use_tls":false,"use_ssl":true}` {
		t.Errorf("the change wrote %+v", w[1:])
	}
	for _, st := range s.EmailStages() {
		if st.Name == "ops-mail" && (st.Port != 465 || st.UseTLS || !st.UseSSL || st.Host != "smtp.example.com") {
			t.Errorf("the server holds %+v", st)
		}
	}
}

// TestDemo: the demo's recovery email already sends through its own SMTP
// server, so asking for that changes nothing; asking for the global settings
// is one change, which -dry-run only prints.
func TestDemo(t *testing.T) {
	res := clitest.Run(t, run, prog, nil, "-name", "default-recovery-email", "-use-global-settings=false",
		"-host", "smtp.example.com", "-port", "587", "-use-tls", "-use-ssl=false", "-username", "authentik@example.com",
		"-from-address", "authentik@example.com")
	if want := clitest.FakeStderr; res.Code != 0 || res.Stderr != want ||
		res.Stdout != "default-recovery-email (7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d) is up to date\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", res.Code, res.Stdout, res.Stderr)
	}
	res = clitest.Run(t, run, prog, nil, "-name", "default-recovery-email", "-use-global-settings", "-dry-run")
	if res.Code != 0 || res.Stdout != "would change default-recovery-email use-global-settings: false -> true\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", res.Code, res.Stdout, res.Stderr)
	}
}

// TestFailures: a missing name, a value the SDK refuses, a value the server
// refuses, and bad flags.
func TestFailures(t *testing.T) {
	s := authentiktest.Start(t, authentiktest.WithDemoData())
	clitest.Run(t, run, prog, clitest.Env(s)).Failed(t, "-name is required")
	clitest.Run(t, run, prog, clitest.Env(s), "-name", "x", "-port", "99999999999").Failed(t, "EmailStageRequest.Port")
	clitest.Run(t, run, prog, clitest.Env(s), "-name", "x", "-from-address", "nobody").Failed(t, "400 Bad Request", "from_address: Enter a valid email address.")
	clitest.Run(t, run, prog, clitest.Env(s), "-name", "x", "-password-file", "/nonexistent/pw").Failed(t, "/nonexistent/pw")
	for _, args := range [][]string{{"-use-tls", "false"}, {"-port", "x"}, {"-use-ssl=maybe"}} {
		if res := clitest.Run(t, run, prog, clitest.Env(s), append([]string{"-name", "x"}, args...)...); res.Code != 2 || res.Stdout != "" {
			t.Errorf("%q: exit %d, stdout %q", args, res.Code, res.Stdout)
		}
	}
	// The one write is the create the server refused.
	if w := writes(s); len(w) != 1 || string(w[0].Body) != `{"name":"x","from_address":"nobody"}` {
		t.Errorf("the failures wrote: %+v", w)
	}
}

// TestLostCreate: when the create's answer is lost (a proxy's 502), the stage
// is looked up by name: found, the run succeeds; not found, it says to run again.
func TestLostCreate(t *testing.T) {
	for _, applied := range []bool{true, false} {
		s := authentiktest.Start(t)
		target, _ := url.Parse(s.URL)
		rp := httputil.NewSingleHostReverseProxy(target)
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				if applied {
					rp.ServeHTTP(httptest.NewRecorder(), r)
				}
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			rp.ServeHTTP(w, r)
		}))
		res := clitest.Run(t, run, prog, map[string]string{authentik.EnvURL: proxy.URL, authentik.EnvToken: s.Token}, "-name", "lost")
		proxy.Close()
		if applied {
			res.Succeeded(t)
			if !strings.HasPrefix(res.Stdout, "created lost (") {
				t.Errorf("applied: %q", res.Stdout)
			}
		} else {
			res.Failed(t, "the create was not applied (its answer was lost); run again")
		}
		if n := len(s.EmailStages()); n != map[bool]int{true: 1, false: 0}[applied] {
			t.Errorf("applied %v: %d stages on the server", applied, n)
		}
	}
}
