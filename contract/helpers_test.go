package contract

import (
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/authentik-go/authentik/authentiktest"
)

// validator loads the schema (or its older generation) for a test.
func validator(t *testing.T, older bool) *Validator {
	t.Helper()
	doc, err := LoadSchema()
	if err != nil {
		t.Fatal(err)
	}
	if older {
		doc = OlderGeneration(doc)
	}
	v, err := NewValidator(doc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fakeBehindProxy starts the fake with demo data behind a validating proxy.
func fakeBehindProxy(t *testing.T) (*authentiktest.Server, *Proxy) {
	t.Helper()
	return behindProxy(t, validator(t, false))
}

// fakeBehindWriteProxy is fakeBehindProxy checking against the 2026.8.3 cut.
func fakeBehindWriteProxy(t *testing.T) (*authentiktest.Server, *Proxy) {
	t.Helper()
	doc, err := LoadWriteSchema()
	if err != nil {
		t.Fatal(err)
	}
	AsServed(doc)
	v, err := NewValidator(doc)
	if err != nil {
		t.Fatal(err)
	}
	return behindProxy(t, v)
}

func behindProxy(t *testing.T, v *Validator) (*authentiktest.Server, *Proxy) {
	t.Helper()
	fake := authentiktest.Start(t, authentiktest.WithDemoData())
	u, err := url.Parse(fake.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := NewProxy(v, httputil.NewSingleHostReverseProxy(u))
	t.Cleanup(p.Close)
	return fake, p
}

// sdkFixture reads one of the SDK's test fixtures (../testdata).
func sdkFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Dir(), "..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func getRequest(t *testing.T, uri string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, "http://127.0.0.1"+uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", "Bearer fake-token-for-tests")
	return r
}
