package authentik

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestWriteRedirectsKeepTheirMethod: a same-origin 301/302/303 would make
// net/http send a write again as a GET without its body and report the GET's
// answer; it is refused. A 307/308 keeps method and body and is followed.
func TestWriteRedirectsKeepTheirMethod(t *testing.T) {
	t.Parallel()
	var methods []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		methods = append(methods, r.Method+" "+r.URL.Path)
		switch {
		case strings.HasPrefix(r.URL.Path, "/moved/"):
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"pk":"%s","name":"old"}`, writePK)
		case r.URL.Query().Get("code") != "":
			w.Header().Set("Location", "/moved"+r.URL.Path)
			var code int
			fmt.Sscan(r.URL.Query().Get("code"), &code)
			w.WriteHeader(code)
		default:
			http.Redirect(w, r, "/moved"+r.URL.Path, http.StatusFound)
		}
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, testToken, WithRetryMax(0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.EmailStages.Update(ctx, writePK, &EmailStageRequest{Name: Ptr("new")}); err == nil || !strings.Contains(err.Error(), "redirected the PUT") {
		t.Errorf("Update: %v", err)
	}
	if err := c.EmailStages.Delete(ctx, writePK); err == nil || !strings.Contains(err.Error(), "redirected the DELETE") {
		t.Errorf("Delete: %v", err)
	}
	if _, err := c.Do(ctx, "PATCH", "stages/email/"+writePK+"/", url.Values{"code": {"303"}}, map[string]string{"name": "x"}, nil); err == nil {
		t.Errorf("PATCH 303: no error")
	}
	methods = nil
	if _, err := c.Do(ctx, "PATCH", "stages/email/"+writePK+"/", url.Values{"code": {"307"}}, map[string]string{"name": "x"}, nil); err != nil {
		t.Errorf("PATCH 307: %v", err)
	}
	if len(methods) != 2 || methods[1] != "PATCH /moved/api/v3/stages/email/"+writePK+"/" {
		t.Errorf("307 followed as %v", methods)
	}
}

// TestRequestSecretsInRedirectsAndLogs: a Location echoing the request's
// password, or the token, reaches neither the error, its errors.As targets,
// nor the log records.
func TestRequestSecretsInRedirectsAndLogs(t *testing.T) {
	t.Parallel()
	const pw = "S3cret-fake-passw0rd-91"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("x") != "" { // the second hop: cut the connection
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if r.Method == http.MethodPost {
			w.Header().Set("Location", "https://evil.example.com/?p="+url.QueryEscape(pw))
			w.WriteHeader(http.StatusTemporaryRedirect)
			return
		}
		http.Redirect(w, r, r.URL.Path+"?x="+url.QueryEscape(tok), http.StatusFound)
	}))
	defer srv.Close()
	var logs bytes.Buffer
	c, err := NewClient(srv.URL, testToken, WithRetryMax(0), WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := c.EmailStages.Create(context.Background(), &EmailStageRequest{Name: Ptr("x"), Password: Ptr(pw)})
	_, err2 := c.EmailStages.List(context.Background(), nil)
	for _, err := range []error{err1, err2} {
		if err == nil {
			t.Fatal("no error")
		}
		var ue *url.Error
		texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), logs.String()}
		if errors.As(err, &ue) {
			texts = append(texts, ue.Error(), ue.URL)
		}
		for _, s := range texts {
			if strings.Contains(s, pw[:12]) || strings.Contains(s, testToken[:12]) {
				t.Errorf("secret leaked in %q", s)
			}
		}
	}
}

// TestPost429ThenContextEnds: a POST whose every try was refused with 429 is
// not an unknown outcome when the context ends while it waits to retry.
func TestPost429ThenContextEnds(t *testing.T) {
	t.Parallel()
	var tries atomic.Int32
	c, mt := newMockClient(t, WithRetryWait(time.Second, time.Second))
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		tries.Add(1)
		return statusResponder(429, `{"detail":"slow down"}`, "Retry-After", "5")(r)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.EmailStages.Create(ctx, &EmailStageRequest{Name: Ptr("x")})
	if err == nil || errors.Is(err, ErrUnknownOutcome) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v after %d tries", err, tries.Load())
	}
}

// TestExpiresFilterKeepsFraction: authentik matches expires exactly, to the
// microsecond; the filter is sent with its fraction.
func TestExpiresFilterKeepsFraction(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	log := &requestLog{}
	mt.RegisterNoResponder(respond(t, log, 200, pageJSON(t, []Invitation{}, 1, 1, 0, 20)))
	exp := time.Date(2026, 12, 2, 14, 55, 12, 345678000, time.UTC)
	if _, err := c.Invitations.List(context.Background(), &InvitationListOptions{Expires: &exp}); err != nil {
		t.Fatal(err)
	}
	if q := log.queries(); len(q) != 1 || q[0] != "expires=2026-12-02T14%3A55%3A12.345678Z" {
		t.Errorf("query %v", q)
	}
}

// TestAllFromPageLast: a raw query's page=last is the server's to resolve.
func TestAllFromPageLast(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(respond(t, nil, 200, pageJSON(t, []map[string]string{{"slug": "c"}}, 3, 3, 5, 2)))
	var got []string
	for f, err := range All[struct{ Slug string }](context.Background(), c, "flows/instances/", url.Values{"page": {"last"}}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, f.Slug)
	}
	if len(got) != 1 || got[0] != "c" {
		t.Errorf("walked %v", got)
	}
}

// TestEscapedEchoInHTML: a non-JSON 2xx body echoing the token as \u escapes
// is redacted before it is quoted.
func TestEscapedEchoInHTML(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	var esc strings.Builder
	for _, r := range testToken {
		fmt.Fprintf(&esc, `\u%04x`, r)
	}
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		resp, _ := statusResponder(200, "x "+esc.String())(r)
		resp.Header.Set("Content-Type", "text/html")
		return resp, nil
	})
	_, err := c.EmailStages.List(context.Background(), nil)
	if err == nil || strings.Contains(err.Error(), `\\u0066`) || !strings.Contains(err.Error(), "[REDACTED]") {
		t.Errorf("err = %v", err)
	}
}
