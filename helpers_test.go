package authentik

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// Obviously fake credentials and a base URL that never resolves: every request in
// these tests is answered by httpmock.
const (
	testBase  = "https://authentik.example.com"
	testAPI   = testBase + "/api/v3/"
	testToken = "fake-token-for-tests"
)

// newMockClient returns a client whose requests go to a fresh httpmock transport,
// with millisecond retry waits so retry tests stay fast.
func newMockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]Option{WithHTTPClient(&http.Client{Transport: mt}), WithRetryWait(time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := NewClient(testBase, testToken, all...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c, mt
}

// readFixture returns a file from testdata/.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// requestLog records what a mock responder saw, safely across goroutines.
type requestLog struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (l *requestLog) add(r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r)
}

func (l *requestLog) queries() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := make([]string, len(l.reqs))
	for i, r := range l.reqs {
		q[i] = r.URL.RawQuery
	}
	return q
}

func (l *requestLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

// checkHeaders asserts the three headers every request carries.
func checkHeaders(t *testing.T, r *http.Request) {
	t.Helper()
	want := map[string]string{
		"Authorization": "Bearer " + testToken,
		"Accept":        "application/json",
		"User-Agent":    "authentik-go/" + Version + " (+github.com/authentik-go/authentik)",
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
}

// respond is a responder that records the request and answers status with body
// as application/json.
func respond(t *testing.T, log *requestLog, status int, body []byte) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		if log != nil {
			log.add(r)
		}
		checkHeaders(t, r)
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// pageJSON builds a list envelope as authentik's paginator does for page cur of
// total pages holding count items in pages of size.
func pageJSON(t testing.TB, results any, cur, total, count, size int) []byte {
	t.Helper()
	n := 0
	if b, err := json.Marshal(results); err == nil {
		var items []json.RawMessage
		_ = json.Unmarshal(b, &items)
		n = len(items)
	}
	p := Pagination{Current: cur, TotalPages: total, Count: count}
	if cur < total {
		p.Next = cur + 1
	}
	if cur > 1 {
		p.Previous = cur - 1
	}
	if n > 0 {
		p.StartIndex = (cur-1)*size + 1
		p.EndIndex = p.StartIndex + n - 1
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(map[string]any{"pagination": p, "results": results, "autocomplete": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
