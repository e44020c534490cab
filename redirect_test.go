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
	"sync"
	"testing"
)

// TestRedirectsConcurrently: same-origin redirects followed by many requests
// at once, one of them carrying a password, share no state (run with -race),
// and the password of one request never colours another's errors.
func TestRedirectsConcurrently(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/x/") {
			http.Redirect(w, r, r.URL.Path+"x/", http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"pagination":{"next":0},"results":[]}`))
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, testToken, WithRetryMax(0))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				_, _ = c.Do(context.Background(), "GET", "stages/email/", nil, nil, nil)
				return
			}
			_, _ = c.EmailStages.Create(context.Background(), &EmailStageRequest{Name: Ptr("x"), Password: Ptr("fake-pw-1234")})
		}()
	}
	wg.Wait()
}

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
