package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/authentik-go/authentik"
)

// memTransport answers every request with the same 200 JSON body from memory:
// no socket, no server, so what is left is the code above the transport.
type memTransport struct{ body []byte }

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(t.body)),
		ContentLength: int64(len(t.body)),
		Request:       req,
	}, nil
}

// decodePage is B2's input: page 1 of B1's fixture, 100 realistic stages.
func decodePage() []byte {
	return pageBody(1, 200, realisticStages(pageSize, 2026))
}

// memBase is the base URL of the in-memory clients; nothing listens there.
const memBase = "http://127.0.0.1"

// httpUnmarshal is the hand-written equivalent of List: a GET through an
// http.Client, io.ReadAll, json.Unmarshal into the SDK's Page type.
func httpUnmarshal(ctx context.Context, hc *http.Client, u string) (*authentik.Page[authentik.EmailStage], error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var p authentik.Page[authentik.EmailStage]
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// BenchmarkDecode is B2: one op turns one 100-item page (114,548 bytes) into stages.
//
//	impl=json-unmarshal-mirror  json.Unmarshal into mirror types without methods
//	impl=json-unmarshal         json.Unmarshal into authentik.Page[authentik.EmailStage]:
//	                            since issue 17 the models are method-free too
//	                            (only Pagination has an UnmarshalJSON, once a page)
//	impl=http-unmarshal         the same through http.Client + memTransport +
//	                            io.ReadAll: the hand-written equivalent of List
//	impl=sdk-list               EmailStages.List through the same memTransport: the
//	                            SDK's whole request and decode path, no network:
//	                            the memory guard's pre-scan, the quirk table's two
//	                            byte searches (quirks.go), then json.Unmarshal
//	                            straight into the models
func BenchmarkDecode(b *testing.B) {
	body := decodePage()
	ctx := context.Background()
	check := func(b *testing.B, n int) {
		if n != pageSize {
			b.Fatalf("decoded %d stages, want %d", n, pageSize)
		}
	}
	b.Run("impl=json-unmarshal-mirror", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var p mirrorPage
			if err := json.Unmarshal(body, &p); err != nil {
				b.Fatal(err)
			}
			check(b, len(p.Results))
		}
	})
	b.Run("impl=json-unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var p authentik.Page[authentik.EmailStage]
			if err := json.Unmarshal(body, &p); err != nil {
				b.Fatal(err)
			}
			check(b, len(p.Results))
		}
	})
	b.Run("impl=http-unmarshal", func(b *testing.B) {
		hc := &http.Client{Transport: memTransport{body}}
		u := memBase + listPath + "?page_size=100"
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p, err := httpUnmarshal(ctx, hc, u)
			if err != nil {
				b.Fatal(err)
			}
			check(b, len(p.Results))
		}
	})
	b.Run("impl=sdk-list", func(b *testing.B) {
		c := sdkClient(b, memBase, 0, memTransport{body})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p, err := c.EmailStages.List(ctx, listOpts)
			if err != nil {
				b.Fatal(err)
			}
			check(b, len(p.Results))
		}
	})
}

// TestDecodeSidesAgree: the four sides of B2 decode the page to the same stages.
func TestDecodeSidesAgree(t *testing.T) {
	body := decodePage()
	ctx := context.Background()

	var plain authentik.Page[authentik.EmailStage]
	if err := json.Unmarshal(body, &plain); err != nil {
		t.Fatal(err)
	}
	if len(plain.Results) != pageSize || plain.Pagination.Next != 2 || plain.Pagination.TotalPages != 200 {
		t.Fatalf("unexpected page: %+v, %d results", plain.Pagination, len(plain.Results))
	}
	viaHTTP, err := httpUnmarshal(ctx, &http.Client{Transport: memTransport{body}}, memBase+listPath)
	if err != nil {
		t.Fatal(err)
	}
	viaSDK, err := sdkClient(t, memBase, 0, memTransport{body}).EmailStages.List(ctx, listOpts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(viaHTTP, &plain) || !reflect.DeepEqual(viaSDK, &plain) {
		t.Error("List or http+json.Unmarshal decode differently from json.Unmarshal")
	}

	// The mirror has the same fields and tags: re-encoding both gives the same JSON.
	var mirror mirrorPage
	if err := json.Unmarshal(body, &mirror); err != nil {
		t.Fatal(err)
	}
	// Compared as values: the generated models order their fields by name.
	var a, m any
	ab, _ := json.Marshal(plain.Results)
	mb, _ := json.Marshal(mirror.Results)
	if json.Unmarshal(ab, &a) != nil || json.Unmarshal(mb, &m) != nil || !reflect.DeepEqual(a, m) {
		t.Error("the mirror types decode differently from authentik's")
	}
	if mirror.Pagination != mirrorPagination(plain.Pagination) {
		t.Errorf("pagination: mirror %+v, authentik %+v", mirror.Pagination, plain.Pagination)
	}
}

// BenchmarkListBodySize checks one cost of the SDK's read path (core.readBody
// in ../core.go). bytes.Buffer.ReadFrom asks for 512 bytes of room
// (bytes.MinRead) before the Read that sees EOF; before 8102d05 readBody grew
// its buffer to the Content-Length only, so when the allocation's rounding left
// less than 512 bytes the buffer was reallocated at twice the size and copied.
// B2's page (114,548 bytes, 140 bytes short of the 114,688-byte allocation) was
// such a body: 583 KiB/op against 367 KiB/op padded. Since 8102d05 readBody
// grows the buffer to Content-Length + bytes.MinRead, so both sides should
// allocate alike; a difference again means the read path regressed.
//
//	impl=sdk-list         List of B2's page
//	impl=sdk-list-padded  List of the same page followed by 200 spaces (valid
//	                      JSON, same items): the size that did not reallocate
//	                      before 8102d05
func BenchmarkListBodySize(b *testing.B) {
	body := decodePage()
	padded := append(append([]byte(nil), body...), bytes.Repeat([]byte(" "), 200)...)
	ctx := context.Background()
	for _, side := range []struct {
		name string
		body []byte
	}{{"sdk-list", body}, {"sdk-list-padded", padded}} {
		b.Run("impl="+side.name, func(b *testing.B) {
			c := sdkClient(b, memBase, 0, memTransport{side.body})
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				p, err := c.EmailStages.List(ctx, listOpts)
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Results) != pageSize {
					b.Fatalf("decoded %d stages, want %d", len(p.Results), pageSize)
				}
			}
		})
	}
}
