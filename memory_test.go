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

// mixedPage is a body whose results are padded nulls and whose one real
// item has a flow_set of as many padded {} and padded nulls: a charge that
// lets one kind of value pay for another lets it through.
func mixedPage(size int) []byte {
	n := size / 84
	pad := func(v string, to int) string { return v + strings.Repeat(" ", to-len(v)-1) }
	var b bytes.Buffer
	b.WriteString(`{"pagination":{"next":0,"previous":0,"count":1,"current":1,"total_pages":1,"start_index":1,"end_index":1},"results":[`)
	for range n {
		b.WriteString(pad("null", 26) + ",")
	}
	b.WriteString(`{"pk":"a","flow_set":[`)
	for i := range n {
		b.WriteString(pad("{}", 26) + "," + pad("null", 28))
		if i < n-1 {
			b.WriteByte(',')
		}
	}
	b.WriteString(`]}]}`)
	return b.Bytes()
}

// decodeWithin32x runs call against a client whose every request is answered
// 200 with body, fails t when that allocated more than 32 times the body's
// size, and returns the bytes allocated and call's error.
func decodeWithin32x(t *testing.T, name string, body []byte, call func(*Client) error, opts ...Option) (uint64, error) {
	t.Helper()
	c, mt := newMockClient(t, append([]Option{WithRetryMax(0)}, opts...)...)
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(200, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	var err error
	got := allocatedBy(func() { err = call(c) })
	if limit := uint64(32 * len(body)); got > limit {
		t.Errorf("%s: %d MiB allocated for a %d MiB body: %.0fx, want at most 32x", name, got>>20, len(body)>>20, float64(got)/float64(len(body)))
	}
	return got, err
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
		name string
		body []byte
		// refused says which lists refuse the body: "all", "stages" (the
		// stage models fill flow_set; invitations skip it), "none".
		refused string
	}{
		{"empty objects", hostilePage(size, `"results":[`, `{}`, `]}`), "all"},
		{"zeros", hostilePage(size, `"results":[`, `0`, `]}`), "all"},
		{"nulls", hostilePage(size, `"results":[`, `null`, `]}`), "all"},
		{"empty strings", hostilePage(size, `"results":[`, `""`, `]}`), "all"},
		{"empty arrays", hostilePage(size, `"results":[`, `[]`, `]}`), "all"},
		{"nested empty arrays", hostilePage(size, `"results":[`, `[[[[]]]]`, `]}`), "all"},
		{"one stage with a huge flow_set", hostilePage(size, `"results":[{"pk":"a","flow_set":[`, `{}`, `]}]}`), "all"},
		{"flow_set of nulls", hostilePage(size, `"results":[{"pk":"a","flow_set":[`, `null`, `]}]}`), "all"},
		{"whitespace-padded objects", hostilePage(size, `"results":[`, "{ }\n", `]}`), "all"},
		// Dense but not amplifying: these decode within the bound.
		{"one huge name", []byte(`{"pagination":{"next":0,"previous":0,"count":1,"current":1,"total_pages":1,"start_index":1,"end_index":1},"results":[{"pk":"a","name":"` + strings.Repeat("x", size) + `"}]}`), "none"},
		// Just under the guard: the most a body it lets through can cost.
		{"flow_set of objects just under the guard", hostilePage(size, `"results":[{"pk":"a","flow_set":[`, `{"pk":"`+strings.Repeat("f", 110)+`"}`, `]}]}`), "none"},
		{"flow_set of strings just under the guard", hostilePage(size, `"results":[{"pk":"a","flow_set":[`, `"`+strings.Repeat("f", 66)+`"`, `]}]}`), "none"},
		{"results just under the guard", hostilePage(size, `"results":[`, `{"pk":"`+strings.Repeat("r", 45)+`"}`, `]}`), "none"},
		{"results of long strings", hostilePage(size, `"results":[`, `"`+strings.Repeat("s", 80)+`"`, `]}`), "none"},
		// The pre-scan cannot tell a field the models skip from one they fill:
		// dense arrays anywhere count, and no authentik answer has them.
		{"unknown fields with dense arrays", hostilePage(size, `"results":[{"pk":"a",`, `"k":[1,2,3,4,5,6,7,8,9]`, `"z":0}]}`), "all"},
		{"unknown fields with long strings", hostilePage(size, `"results":[{"pk":"a",`, `"k":"`+strings.Repeat("v", 60)+`"`, `"z":0}]}`), "none"},
		// Free-form JSON (an invitation's fixed_data): elements decode into
		// interface slots, cheaper than items but not free.
		{"fixed_data of zeros", hostilePage(size, `"results":[{"pk":"a","fixed_data":{"k":[`, `0`, `]}}]}`), "all"},
		{"fixed_data of empty arrays", hostilePage(size, `"results":[{"pk":"a","fixed_data":{"k":[`, `[]`, `]}}]}`), "all"},
		{"fixed_data of empty objects", hostilePage(size, `"results":[{"pk":"a","fixed_data":{"k":[`, `{}`, `]}}]}`), "all"},
		{"fixed_data of short strings just under the guard", hostilePage(size, `"results":[{"pk":"a","fixed_data":{"k":[`, `"abcd"`, `]}}]}`), "stages"},
		{"fixed_data of nested arrays", hostilePage(size, `"results":[{"pk":"a","fixed_data":{"k":[`, `[[[0]]]`, `]}}]}`), "all"},
		{"the results under another spelling", hostilePage(size, `"RESULTS":[`, `0`, `]}`), "all"},
		{"the results under an escaped key", hostilePage(size, `"re\u0073ults":[`, `{}`, `]}`), "all"},
		// Bodies from an adversarial review: padding each value to slip
		// under a per-value charge that was too low.
		{"flow_set of padded nulls", hostilePage(size, `"results":[{"pk":"a","flow_set":[`, "null"+strings.Repeat(" ", 27), `]}]}`), "stages"},
		{"padded nulls under another spelling of results", hostilePage(size, `"RESULTS":[`, "null"+strings.Repeat(" ", 49), `]}`), "all"},
		{"results and flow_set values paying for each other", mixedPage(size), "all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, list := range []struct {
				name string
				call func(*Client) error
			}{
				{"email List", func(c *Client) error { _, err := c.EmailStages.List(context.Background(), nil); return err }},
				{"invitations List", func(c *Client) error { _, err := c.Invitations.List(context.Background(), nil); return err }},
				{"invitation All, prefetch 4", func(c *Client) error {
					for _, err := range c.InvitationStages.All(context.Background(), nil) {
						if err != nil {
							return err
						}
					}
					return nil
				}},
			} {
				got, err := decodeWithin32x(t, list.name, tt.body, list.call, WithPrefetch(4))
				refused := errors.Is(err, ErrResponseTooLarge)
				want := tt.refused == "all" || tt.refused == "stages" && list.name != "invitations List"
				if refused != want {
					t.Errorf("%s: err = %v, refused %v, want %v", list.name, err, refused, want)
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
	// Invitations whose fixed_data holds lists (a JSON object of any prompt
	// values: authentik's JSONDictField), as onboarding scripts fill it.
	var invs []string
	var ids []string
	for i := range 30 {
		ids = append(ids, fmt.Sprint(i))
	}
	for i := range 100 {
		invs = append(invs, fmt.Sprintf(`{"pk":"%08d-0000-4000-8000-000000000000","name":"i%d","expires":null,`+
			`"fixed_data":{"email":"user%d@example.com","groups":[%s],"tags":["a","b","c"]},"created_by":{"pk":1,"username":"akadmin","attributes":{}},`+
			`"single_use":true,"flow":null,"flow_obj":null}`, i, i, i, strings.Join(ids, ",")))
	}
	invitationPage := []byte(`{"pagination":{"next":0,"previous":0,"count":100,"current":1,"total_pages":1,"start_index":1,"end_index":100},"results":[` + strings.Join(invs, ",") + `]}`)
	var many []string
	for i := range 5000 {
		many = append(many, fmt.Sprintf(`"g%d"`, i))
	}
	bigInvitation := []byte(`{"pk":"00000001-0000-4000-8000-000000000000","name":"big","expires":null,"fixed_data":{"groups":[` + strings.Join(many, ",") + `]},` +
		`"created_by":{"pk":1,"username":"akadmin","attributes":{}},"single_use":false,"flow":null,"flow_obj":null}`)
	for name, body := range map[string][]byte{"100 invitations with lists in fixed_data": invitationPage} {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", testAPI+"stages/invitation/invitations/", respond(t, nil, 200, body))
		if p, err := c.Invitations.List(context.Background(), nil); err != nil || len(p.Results) != 100 || len(p.Results[99].FixedData["groups"].([]any)) != 30 {
			t.Errorf("%s: %v", name, err)
		}
	}
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", testAPI+"stages/invitation/invitations/00000001-0000-4000-8000-000000000000/", respond(t, nil, 200, bigInvitation))
	if inv, err := c.Invitations.Get(context.Background(), "00000001-0000-4000-8000-000000000000"); err != nil || len(inv.FixedData["groups"].([]any)) != 5000 {
		t.Errorf("an invitation with 5,000 groups in fixed_data: %v", err)
	}
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

// TestDecodeMemoryIsBoundedForCallerTypes: Client.Do, List[T] and All[T]
// decode into the caller's types, which may be far larger than the SDK's: the
// guard charges their slices by their size. Not parallel: it measures the
// process's allocations.
func TestDecodeMemoryIsBoundedForCallerTypes(t *testing.T) {
	const size = 4 << 20
	type big struct{ S [40]string } // 640 bytes
	type withItems struct {
		PK    string `json:"pk"`
		Items []big  `json:"items"`
	}
	nulls := strings.Repeat("null"+strings.Repeat(" ", 49)+",", size/54)
	tests := []struct {
		name string
		body []byte
		call func(*Client) error
	}{
		{"Do into a slice of large structs", []byte("[" + nulls + "null]"), func(c *Client) error {
			var v []big
			_, err := c.Do(context.Background(), "GET", "core/things/", nil, nil, &v)
			return err
		}},
		{"List of items with a slice of large structs", hostilePage(size, `"results":[{"pk":"a","items":[`, "{}"+strings.Repeat(" ", 51), `]}]}`), func(c *Client) error {
			_, err := List[withItems](context.Background(), c, "core/things/", nil)
			return err
		}},
		{"All of large structs under another spelling of results", hostilePage(size, `"Results":[`, "null"+strings.Repeat(" ", 49), `]}`), func(c *Client) error {
			for _, err := range All[big](context.Background(), c, "core/things/", nil) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeWithin32x(t, tt.name, tt.body, tt.call); !errors.Is(err, ErrResponseTooLarge) {
				t.Errorf("err = %v, want ErrResponseTooLarge", err)
			}
		})
	}
}

// TestDecodeMemoryIsBoundedOnOlderReleases: a body that looks like an older
// release's (a flow's "background" without "background_url") is rewritten
// through a tree of values before decoding (quirks.go); the guard charges that
// tree too, so hostile bodies that would trigger it stay within 32x as well.
// Not parallel: it measures the process's allocations.
func TestDecodeMemoryIsBoundedOnOlderReleases(t *testing.T) {
	const size = 4 << 20
	list := func(c *Client) error { _, err := c.EmailStages.List(context.Background(), nil); return err }
	for _, n := range []int{20, 60, 130, 240} {
		pad := strings.Repeat("p", n)
		for _, tt := range []struct{ name, prefix, elem, suffix string }{
			{"flow_set of objects", `"background":1,"results":[{"pk":"a","flow_set":[`, `{"pk":"` + pad + `"}`, `]}]}`},
			{"flow_set of strings", `"background":1,"results":[{"pk":"a","flow_set":[`, `"` + pad + `"`, `]}]}`},
			{"results", `"background":1,"results":[`, `{"pk":"` + pad + `"}`, `]}`},
			{"results with many keys", `"background":1,"results":[`, `{"pk":"` + pad + `","a":1,"b":2,"c":3,"d":4,"e":5}`, `]}`},
			{"unknown keys", `"background":1,"results":[{"pk":"a",`, `"` + pad + fmt.Sprint(n) + `":0`, `"z":0}]}`},
			{"unknown array of objects", `"background":1,"results":[{"pk":"a","zz":[`, `{"` + pad + `":{}}`, `]}]}`},
		} {
			decodeWithin32x(t, fmt.Sprintf("%s of %d", tt.name, n), hostilePage(size, tt.prefix, tt.elem, tt.suffix), list)
		}
	}
}
