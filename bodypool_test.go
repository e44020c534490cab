package authentik

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// TestReusableInto: a body is reused after decoding only into types that
// copy what they decode; a type of the caller's with its own UnmarshalJSON
// or UnmarshalText, anywhere inside, keeps its body from reuse.
func TestReusableInto(t *testing.T) {
	t.Parallel()
	type recursive struct {
		Next *recursive `json:"next"`
		Name string     `json:"name"`
	}
	type holdsKeeper struct {
		Items []map[string]*keepsBytes `json:"items"`
	}
	for _, tt := range []struct {
		v    any
		want bool
	}{
		{&wirePage[EmailStage]{}, true},
		{&Page[Flow]{}, true},
		{&EmailStage{}, true},
		{&[]Stage{}, true},
		{new(any), true},
		{&map[string]any{}, true},
		{new(json.RawMessage), true},
		{&struct{ T time.Time }{}, true},
		{&recursive{}, true},
		{new(keepsBytes), false},
		{&[]keepsBytes{}, false},
		{&holdsKeeper{}, false},
		{new(keepsText), false},
		{new(decodesFrom), false},
		{&map[keepsText]int{}, false},
		{nil, false},
	} {
		if got := reusableInto(tt.v); got != tt.want {
			t.Errorf("reusableInto(%T) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

// keepsBytes keeps the bytes it is given, in breach of json.Unmarshaler's
// contract: a body decoded into it must never be reused.
type keepsBytes struct{ raw []byte }

func (k *keepsBytes) UnmarshalJSON(b []byte) error { k.raw = b; return nil }

// decodesFrom has encoding/json/v2's method (GOEXPERIMENT=jsonv2).
type decodesFrom struct{}

func (*decodesFrom) UnmarshalJSONFrom(any) error { return nil }

// keepsText is a map key with its own UnmarshalText.
type keepsText string

func (k *keepsText) UnmarshalText(b []byte) error { *k = keepsText(b); return nil }

// TestBodyBufferClasses: buffers come by powers of two from 512 bytes to 4 MiB;
// only one of exactly a class's size goes back.
func TestBodyBufferClasses(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ size, class, capacity int }{
		{1, -1, 1}, {511, -1, 511}, {512, 0, 512}, {513, 1, 1024}, {651, 1, 1024}, {4097, 4, 8192},
		{114549, 8, 131072}, {4 << 20, 13, 4 << 20}, {4<<20 + 1, -1, 4<<20 + 1},
	} {
		if got := bodyPoolClass(tt.size); got != tt.class {
			t.Errorf("bodyPoolClass(%d) = %d, want %d", tt.size, got, tt.class)
		}
		if b := newBodyBuffer(tt.size); len(b) != 0 || cap(b) != tt.capacity {
			t.Errorf("newBodyBuffer(%d): len %d cap %d, want 0 and %d", tt.size, len(b), cap(b), tt.capacity)
		}
	}
	// Grown past its class by append: not a class's size, not kept.
	b := append(newBodyBuffer(5000), make([]byte, 9000)...)
	releaseBody(b) // must not panic or pool a buffer of another size
	if c := newBodyBuffer(8192); cap(c) != 8192 {
		t.Errorf("cap %d after releasing a grown buffer", cap(c))
	}
}

// TestReusedBodiesLeaveResultsIntact: pages read one after another into
// reused buffers (each body as long as the last, so the same buffer is
// likely to come back) leave every decoded result as it was; a caller's type
// that keeps the bytes it was given (Do) still sees its own body after more
// answers.
func TestReusedBodiesLeaveResultsIntact(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	const pages = 6
	page := func(n int) []byte {
		items := make([]EmailStage, 40)
		for i := range items {
			items[i] = EmailStage{PK: fmt.Sprintf("00000000-0000-4000-8000-%012d", n*100+i), Name: fmt.Sprintf("stage-%d-%02d", n, i),
				Subject: strings.Repeat(string(rune('a'+n)), 60), TokenExpiry: "minutes=30"}
		}
		return pageJSON(t, items, n, pages, 40*pages, 40)
	}
	mt.RegisterResponder("GET", testAPI+"stages/email/", func(r *http.Request) (*http.Response, error) {
		n := 1
		if p := r.URL.Query().Get("page"); p != "" {
			fmt.Sscan(p, &n)
		}
		body := page(n)
		resp := httpmock.NewBytesResponse(http.StatusOK, body)
		resp.Header.Set("Content-Type", "application/json")
		resp.ContentLength = int64(len(body)) // a declared length: the buffer is pooled
		return resp, nil
	})
	var all []EmailStage
	for s, err := range c.EmailStages.All(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, s)
	}
	if len(all) != 40*pages {
		t.Fatalf("%d stages", len(all))
	}
	for i, s := range all {
		n, k := i/40+1, i%40
		if s.Name != fmt.Sprintf("stage-%d-%02d", n, k) || s.Subject != strings.Repeat(string(rune('a'+n)), 60) || s.TokenExpiry != "minutes=30" ||
			s.PK != fmt.Sprintf("00000000-0000-4000-8000-%012d", n*100+k) {
			t.Fatalf("stage %d changed after later pages: %+v", i, s)
		}
	}

	var kept keepsBytes
	if _, err := c.Do(context.Background(), http.MethodGet, "stages/email/", nil, nil, &kept); err != nil {
		t.Fatal(err)
	}
	want := string(kept.raw)
	for range 3 {
		var p Page[EmailStage]
		if _, err := c.Do(context.Background(), http.MethodGet, "stages/email/", struct {
			Page int `url:"page"`
		}{2}, nil, &p); err != nil {
			t.Fatal(err)
		}
	}
	if string(kept.raw) != want || !strings.Contains(want, "stage-1-00") {
		t.Errorf("the bytes a caller's type kept changed: %.80s", kept.raw)
	}

	// The same type behind an interface holding a pointer, which
	// encoding/json decodes into and no type says: Do's bodies are never
	// reused.
	hidden := &keepsBytes{}
	holder := struct {
		X any `json:"results"`
	}{X: hidden}
	if _, err := c.Do(context.Background(), http.MethodGet, "stages/email/", nil, nil, &holder); err != nil {
		t.Fatal(err)
	}
	want = string(hidden.raw)
	for range 3 {
		var m map[string]any
		if _, err := c.Do(context.Background(), http.MethodGet, "stages/email/", struct {
			Page int `url:"page"`
		}{3}, nil, &m); err != nil {
			t.Fatal(err)
		}
	}
	if string(hidden.raw) != want || !strings.Contains(want, "stage-1-00") {
		t.Errorf("the bytes a type behind an interface kept changed: %.80s", hidden.raw)
	}
}
