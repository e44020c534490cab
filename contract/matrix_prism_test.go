package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authentik-go/authentik"
)

// TestReleaseMatrixPrism is the release matrix against Prism in dynamic mode:
// for every supported release (one per distinct cut), Prism serves that
// release's schema with random values of every property's type, format and
// enum, and every typed service's List decodes each field of what it sent.
// (Get is in TestReleaseMatrix: Prism's random object is not the one asked
// for, which the SDK refuses.)
func TestReleaseMatrixPrism(t *testing.T) {
	for _, rel := range distinctReleases(t) {
		t.Run(rel.Version, func(t *testing.T) {
			doc, err := rel.Load()
			if err != nil {
				t.Fatal(err)
			}
			// Prism invents properties a schema does not forbid; the release
			// sends only those it declares.
			no := false
			for _, ref := range doc.Components.Schemas {
				if ref.Value != nil && len(ref.Value.Properties) > 0 {
					ref.Value.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
				}
			}
			base := startPrismDoc(t, doc, true)
			rec := &recorder{next: http.DefaultTransport}
			c, err := authentik.NewClient(base, "fake-token-for-tests", authentik.WithRetryMax(0),
				authentik.WithHTTPClient(&http.Client{Transport: rec}))
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, s := range generatedServices {
				if doc.Paths.Value("/"+s.path) == nil {
					continue
				}
				for try := 0; try < 5; try++ { // Prism may send an empty page: ask again
					results, err := s.list(context.Background(), c)
					if err != nil {
						t.Errorf("%s: %v", s.name, err)
						break
					}
					var page struct{ Results []map[string]any }
					if err := json.Unmarshal(rec.last(), &page); err != nil {
						t.Fatalf("%s: %v", s.name, err)
					}
					rv := reflect.ValueOf(results)
					if rv.Len() != len(page.Results) {
						t.Errorf("%s: %d results decoded of %d sent", s.name, rv.Len(), len(page.Results))
						break
					}
					for i := range page.Results {
						if why := intactLoose(page.Results[i], rv.Index(i).Interface()); why != "" {
							t.Errorf("%s: %s\n%s", s.name, why, rec.last())
						}
					}
					if len(page.Results) > 0 {
						checked++
						break
					}
				}
			}
			if checked < len(generatedServices)-4 {
				t.Errorf("%d services checked with a non-empty page", checked)
			}
		})
	}
}

// intactLoose is intact for random values: a null the model holds as its
// zero value, and a date-time written another way, are the same.
func intactLoose(sent map[string]any, got any) string {
	return intact(loosen(sent).(map[string]any), got)
}

func loosen(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e == nil {
				continue // null: the model's zero value, or a nil pointer
			}
			out[k] = loosen(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = loosen(e)
		}
		return out
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil && strings.Contains(x, "T") {
			b, _ := t.MarshalJSON()
			return strings.Trim(string(b), `"`)
		}
	}
	return v
}

// recorder keeps the last response body. It makes a page's pagination one
// consistent page for its results: Prism's random numbers (the schema types
// them as any number) are what the SDK's page checks refuse, rightly.
type recorder struct {
	next http.RoundTripper
	body []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var page map[string]json.RawMessage
	if json.Unmarshal(b, &page) == nil && page["pagination"] != nil {
		var results []json.RawMessage
		_ = json.Unmarshal(page["results"], &results)
		n := len(results)
		page["pagination"], _ = json.Marshal(map[string]int{"next": 0, "previous": 0, "count": n, "current": 1,
			"total_pages": 1, "start_index": min(n, 1), "end_index": n})
		b, _ = json.Marshal(page)
		resp.ContentLength = int64(len(b))
		resp.Header.Del("Content-Length")
	}
	r.body = b
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

func (r *recorder) last() []byte { return r.body }
