package contract

import (
	"github.com/authentik-go/authentik/internal/testkit"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
)

// TestPrismEndToEnd runs the SDK and every example against Prism serving
// authentik's schema in static mode: each request must pass Prism's validation
// and each response must decode.
func TestPrismEndToEnd(t *testing.T) {
	base := startPrism(t)
	const token = "fake-token-for-tests"
	ctx := context.Background()

	t.Run("sdk", func(t *testing.T) {
		c, err := authentik.NewClient(base, token, authentik.WithRetryMax(0))
		if err != nil {
			t.Fatal(err)
		}
		ep, err := c.EmailStages.List(ctx, &authentik.EmailStageListOptions{
			ListOptions:           authentik.ListOptions{Ordering: "name", Page: 1, PageSize: 20, Search: "x"},
			ActivateUserOnSuccess: authentik.Ptr(false), FromAddress: "a@b.c", Host: "h", Name: "n", Port: authentik.Ptr(25),
			Subject: "s", Template: "t", Timeout: authentik.Ptr(0), TokenExpiry: "minutes=30", UseGlobalSettings: authentik.Ptr(true),
			UseSSL: authentik.Ptr(false), UseTLS: authentik.Ptr(false), Username: "u",
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(ep.Results) != 1 || ep.Results[0].PK == "" || len(ep.Results[0].FlowSet) != 1 {
			t.Errorf("email page = %+v", ep)
		}
		ip, err := c.InvitationStages.List(ctx, &authentik.InvitationStageListOptions{
			ContinueFlowWithoutInvitation: authentik.Ptr(false), Name: "n", NoFlows: authentik.Ptr(true),
			StageUUID: "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf",
		})
		if err != nil || len(ip.Results) != 1 {
			t.Fatalf("invitation page = %+v, %v", ip, err)
		}
		n := 0
		for _, err := range c.EmailStages.All(ctx, nil) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		for _, err := range c.InvitationStages.All(ctx, &authentik.InvitationStageListOptions{ListOptions: authentik.ListOptions{PageSize: 5}}) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 2 { // static mode: one item a list, and next is 0
			t.Errorf("walked %d items, want 2", n)
		}
		// Static mode answers every retrieve with one example object, whatever
		// the pk: the SDK refuses an answer that is not the object asked for,
		// and accepts it when asked for that object's own pk.
		servedPK := func(err error, asked string) string {
			var de *authentik.DecodeError
			msg := fmt.Sprint(err)
			_, rest, ok := strings.Cut(msg, "the body is the object ")
			if !errors.As(err, &de) || !ok || !strings.Contains(msg, ", not "+asked) {
				t.Fatalf("Get %s = %v, want a *DecodeError naming the object served", asked, err)
			}
			pk, _, _ := strings.Cut(rest, ",")
			return pk
		}
		const askEmail, askInvitation = "7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d", "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"
		_, err = c.EmailStages.Get(ctx, askEmail)
		if s, err := c.EmailStages.Get(ctx, servedPK(err, askEmail)); err != nil || s.Name == "" {
			t.Errorf("Get email = %+v, %v", s, err)
		}
		_, err = c.InvitationStages.Get(ctx, askInvitation)
		if s, err := c.InvitationStages.Get(ctx, servedPK(err, askInvitation)); err != nil || s.Name == "" {
			t.Errorf("Get invitation = %+v, %v", s, err)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		if status, body := rawGet(t, base+"/api/v3/stages/email/", "Basic dXNlcjpwYXNz"); status != 401 {
			t.Errorf("Basic auth: %d %s, want 401", status, body)
		}
		if status, body := rawGet(t, base+"/api/v3/stages/email/", ""); status != 401 {
			t.Errorf("no auth: %d %s, want 401", status, body)
		}
		if status, body := rawGet(t, base+"/api/v3/stages/email/?port=abc", "Bearer "+token); status != 400 {
			t.Errorf("port=abc: %d %s, want 400", status, body)
		}
		if status, body := rawGet(t, base+"/api/v3/stages/invitation/stages/?stage_uuid=nope", "Bearer "+token); status != 400 {
			t.Errorf("stage_uuid=nope: %d %s, want 400", status, body)
		}
		// What the SDK makes of Prism's 401: a transport that swaps the scheme.
		basic := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r = r.Clone(r.Context())
			r.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
			return http.DefaultTransport.RoundTrip(r)
		})}
		c, err := authentik.NewClient(base, token, authentik.WithRetryMax(0), authentik.WithHTTPClient(basic))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.EmailStages.List(ctx, nil)
		var apiErr *authentik.APIError
		if !errors.Is(err, authentik.ErrUnauthorized) || !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
			t.Errorf("SDK with the wrong scheme: %v", err)
		}
	})

	t.Run("examples", func(t *testing.T) {
		bins := buildExamples(t)
		env := testkit.CleanEnv("AUTHENTIK_URL="+base, "AUTHENTIK_TOKEN="+token)
		for _, tt := range []struct {
			bin   string
			args  []string
			lines int
		}{
			{"list-email-stages", nil, 2},
			{"list-email-stages", []string{"-use-tls=false", "-port", "25", "-name", "x", "-all"}, 2},
			{"list-invitation-stages", []string{"-no-flows=false", "-stage-uuid", "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"}, 2},
			{"walk-all", []string{"-page-size", "3"}, 4},
			{"list-email-stages", []string{"-json"}, 1},
		} {
			cmd := exec.Command(bins[tt.bin], tt.args...)
			cmd.Env = env
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Errorf("%s %v: %v\n%s", tt.bin, tt.args, err, stderr.String())
				continue
			}
			lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
			if len(lines) != tt.lines {
				t.Errorf("%s %v: %d lines, want %d:\n%s", tt.bin, tt.args, len(lines), tt.lines, stdout.String())
			}
			if contains(tt.args, "-json") {
				var s authentik.EmailStage
				if err := json.Unmarshal([]byte(lines[0]), &s); err != nil || s.PK == "" {
					t.Errorf("-json line %q: %v", lines[0], err)
				}
			}
			if strings.Contains(stdout.String()+stderr.String(), token) {
				t.Errorf("%s printed the token", tt.bin)
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
