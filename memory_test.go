package authentik

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

// hostilePage is a 200 list body of about size bytes: a valid envelope whose
// results (or one result's flow_set) repeat elem, the kind of body that makes
// encoding/json allocate hundreds of times its size.
func hostilePage(size int, prefix, elem, suffix string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"pagination":{"next":0,"previous":0,"count":1,"current":1,"total_pages":1,"start_index":1,"end_index":1},`)
	b.WriteString(prefix)
	for b.Len() < size-len(suffix)-len(elem)-8 {
		b.WriteString(elem)
		b.WriteByte(',')
	}
	b.WriteString(strings.TrimSuffix(elem, ","))
	b.WriteString(suffix)
	return b.Bytes()
}

// allocatedBy is the bytes the process allocated while f ran. The test using it
// must not run in parallel with others.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDecodeMemoryIsBounded: whatever a server sends within the size cap,
// decoding it allocates at most 32 times the body's size; a body of tiny values
// that would decode into far more is refused, before decoding, with an error
// matching ErrResponseTooLarge. Not parallel: it measures the process's allocations.
func TestDecodeMemoryIsBounded(t *testing.T) {
	const size = 4 << 20
	tests := []struct {
		name    string
		body    []byte
		refused bool
	}{
		{"empty objects", hostilePage(size, `"results":[`, `{}`, `]}`), true},
		{"zeros", hostilePage(size, `"results":[`, `0`, `]}`), true},
		{"nulls", hostilePage(size, `"results":[`, `null`, `]}`), true},
		{"empty strings", hostilePage(size, `"results":[`, `""`, `]}`), true},
		{"empty arrays", hostilePage(size, `"results":[`, `[]`, `]}`), true},
		{"nested empty arrays", hostilePage(size, `"results":[`, `[[[[]]]]`, `]}`), true},
		{"one stage with a huge flow_set", hostilePage(size, `"results":[{"pk":"a","flow_set":[`, `{}`, `]}]}`), true},
		{"flow_set of nulls", hostilePage(size, `"results":[{"pk":"a","flow_set":[`, `null`, `]}]}`), true},
		{"whitespace-padded objects", hostilePage(size, `"results":[`, "{ }\n", `]}`), true},
		// Dense but not amplifying: these decode within the bound.
		{"one huge name", []byte(`{"pagination":{"next":0,"previous":0,"count":1,"current":1,"total_pages":1,"start_index":1,"end_index":1},"results":[{"pk":"a","name":"` + strings.Repeat("x", size) + `"}]}`), false},
		// Just under the guard: the most a body it lets through can cost.
		{"flow_set of objects just under the guard", hostilePage(size, `"results":[{"pk":"a","flow_set":[`, `{"pk":"`+strings.Repeat("f", 45)+`"}`, `]}]}`), false},
		{"flow_set of strings just under the guard", hostilePage(size, `"results":[{"pk":"a","flow_set":[`, `"`+strings.Repeat("f", 52)+`"`, `]}]}`), false},
		{"results just under the guard", hostilePage(size, `"results":[`, `{"pk":"`+strings.Repeat("r", 45)+`"}`, `]}`), false},
		{"results of long strings", hostilePage(size, `"results":[`, `"`+strings.Repeat("s", 80)+`"`, `]}`), false},
		// The pre-scan cannot tell a field the models skip from one they fill:
		// dense arrays anywhere count, and no authentik answer has them.
		{"unknown fields with dense arrays", hostilePage(size, `"results":[{"pk":"a",`, `"k":[1,2,3,4,5,6,7,8,9]`, `"z":0}]}`), true},
		{"unknown fields with long strings", hostilePage(size, `"results":[{"pk":"a",`, `"k":"`+strings.Repeat("v", 60)+`"`, `"z":0}]}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, list := range []struct {
				name string
				call func(*Client) error
			}{
				{"email List", func(c *Client) error { _, err := c.EmailStages.List(context.Background(), nil); return err }},
				{"invitation All, prefetch 4", func(c *Client) error {
					for _, err := range c.InvitationStages.All(context.Background(), nil) {
						if err != nil {
							return err
						}
					}
					return nil
				}},
			} {
				c, mt := newMockClient(t, WithPrefetch(4), WithRetryMax(0))
				mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
					resp := httpmock.NewBytesResponse(200, tt.body)
					resp.Header.Set("Content-Type", "application/json")
					return resp, nil
				})
				var err error
				got := allocatedBy(func() { err = list.call(c) })
				if limit := uint64(32 * len(tt.body)); got > limit {
					t.Errorf("%s: %d MiB allocated for a %d MiB body: %.0fx, want at most 32x", list.name, got>>20, len(tt.body)>>20, float64(got)/float64(len(tt.body)))
				}
				refused := errors.Is(err, ErrResponseTooLarge)
				if refused != tt.refused {
					t.Errorf("%s: err = %v, refused %v, want %v", list.name, err, refused, tt.refused)
				}
				if refused && !strings.Contains(err.Error(), "more than any authentik response") {
					t.Errorf("%s: unclear error %v", list.name, err)
				}
				t.Logf("%s: %.1fx the body, err %v", list.name, float64(got)/float64(len(tt.body)), err != nil)
			}
		})
	}
}

// TestRealPagesAreNotRefused: the guard leaves alone what authentik sends, and
// pages of many small test objects: a 1,000-item page of {"pk": ...} items.
func TestRealPagesAreNotRefused(t *testing.T) {
	t.Parallel()
	var items []string
	for i := range 1000 {
		items = append(items, fmt.Sprintf(`{"pk":"%d"}`, i))
	}
	small := []byte(`{"pagination":{"next":0,"previous":0,"count":1000,"current":1,"total_pages":1,"start_index":1,"end_index":1000},"results":[` + strings.Join(items, ",") + `]}`)
	for name, body := range map[string][]byte{
		"2026 page":       readFixture(t, "email_stages_2026_page1.json"),
		"2025 page":       readFixture(t, "email_stages_2025.json"),
		"1000 tiny items": small,
		"empty page":      []byte(`{"pagination":{"next":0,"previous":0,"count":0,"current":1,"total_pages":1,"start_index":0,"end_index":0},"results":[]}`),
	} {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", testAPI+"stages/email/", respond(t, nil, 200, body))
		if _, err := c.EmailStages.List(context.Background(), nil); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
