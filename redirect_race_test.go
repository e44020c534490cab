package authentik

import (
	"context"
	"net/http"
	"net/http/httptest"
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
