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
//	impl=json-unmarshal-mirror  THE floor (issue 19), first so that benchstat
//	                            takes it as the base: json.Unmarshal of the body
//	                            into the mirror types, method-free structs with
//	                            the SDK's fields and tags (server_test.go;
//	                            TestMirrorHasTheSDKFields)
//	impl=json-unmarshal         json.Unmarshal into authentik.Page[authentik.EmailStage]:
//	                            since issue 17 the models are method-free too
//	                            (only Pagination has an UnmarshalJSON, once a page)
//	impl=http-unmarshal         the same through http.Client + memTransport +
//	                            io.ReadAll: a hand-written List
//	impl=sdk-list               EmailStages.List through the same memTransport: the
//	                            SDK's whole request and decode path, no network:
//	                            the request, the body read into one buffer, the
//	                            memory guard's pre-scan (which also finds an older
//	                            release's quirks, quirks.go), json.Unmarshal
//	                            straight into the models, the page checks
//
// B2's ratio is sdk-list / json-unmarshal-mirror: everything the SDK does for
// a page beyond decoding it, request included, over the least decoding costs.
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

// TestMirrorHasTheSDKFields: the mirror types (the floors' targets) have the
// fields of authentik's EmailStage, FlowSet, Pagination and EmailStageRequest:
// the same JSON names with the same kinds, no more, no fewer (the order may
// differ: the generated models sort theirs by name), and no methods, so that
// encoding/json decodes them with nothing but reflection.
func TestMirrorHasTheSDKFields(t *testing.T) {
	for _, pair := range [][2]reflect.Type{
		{reflect.TypeFor[mirrorEmailStage](), reflect.TypeFor[authentik.EmailStage]()},
		{reflect.TypeFor[mirrorFlowSet](), reflect.TypeFor[authentik.FlowSet]()},
		{reflect.TypeFor[mirrorPagination](), reflect.TypeFor[authentik.Pagination]()},
		{reflect.TypeFor[mirrorEmailStageRequest](), reflect.TypeFor[authentik.EmailStageRequest]()},
	} {
		mirror, sdk := jsonFields(pair[0]), jsonFields(pair[1])
		if !reflect.DeepEqual(mirror, sdk) {
			t.Errorf("%v has the fields\n%v\n%v has\n%v", pair[0], mirror, pair[1], sdk)
		}
		for _, typ := range []reflect.Type{pair[0], reflect.PointerTo(pair[0])} {
			if typ.NumMethod() != 0 {
				t.Errorf("%v has methods", typ)
			}
		}
	}
}

// jsonFields maps the JSON names of t's fields to their kinds (an element's
// kind after a slice's or pointer's).
func jsonFields(t reflect.Type) map[string]string {
	out := map[string]string{}
	for i := range t.NumField() {
		f := t.Field(i)
		kind := f.Type.Kind().String()
		if e := f.Type; e.Kind() == reflect.Slice || e.Kind() == reflect.Pointer {
			kind += " of " + e.Elem().Kind().String()
		}
		out[f.Tag.Get("json")] = kind
	}
	return out
}

// TestReadFloorAllocatesOnce: the floors read a body of known length with one
// allocation of Content-Length + 512 bytes, as the SDK's readBody does.
func TestReadFloorAllocatesOnce(t *testing.T) {
	body := decodePage()
	r := bytes.NewReader(body)
	resp := &http.Response{Body: io.NopCloser(r), ContentLength: int64(len(body))}
	var got []byte
	allocs := testing.AllocsPerRun(20, func() {
		r.Reset(body)
		var err error
		if got, err = readFloor(resp); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 1 || !bytes.Equal(got, body) || cap(got) < len(body)+bytes.MinRead {
		t.Errorf("%v allocations, %d bytes of %d read, capacity %d", allocs, len(got), len(body), cap(got))
	}
	// A body longer than it said is still read whole.
	r.Reset(body)
	resp.ContentLength = 10
	if got, err := readFloor(resp); err != nil || !bytes.Equal(got, body) {
		t.Errorf("a body longer than its Content-Length: %d of %d bytes, %v", len(got), len(body), err)
	}
}
