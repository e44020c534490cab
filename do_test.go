package authentik

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
)

// TestDo: any endpoint, with the query as url.Values or a struct, a JSON body,
// the answer decoded into the caller's type, and the same errors and retries.
func TestDo(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	var mu sync.Mutex
	var calls []writeCall
	mt.RegisterNoResponder(recordWrite(t, &mu, &calls, 200, `{"pk":"x","slug":"default-authentication-flow"}`))
	var flow struct {
		PK   string `json:"pk"`
		Slug string `json:"slug"`
	}
	resp, err := c.Do(context.Background(), "GET", "flows/instances/default-authentication-flow/", url.Values{"a": {"1"}}, nil, &flow)
	if err != nil || resp.StatusCode != 200 || flow.Slug != "default-authentication-flow" || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%+v %+v %v", resp, flow, err)
	}
	type q struct {
		Designation string `url:"designation,omitempty"`
		Page        int    `url:"page,omitempty"`
	}
	if _, err := c.Do(context.Background(), "patch", "flows/instances/x/", q{Designation: "enrollment"}, map[string]string{"title": "Hi"}, nil); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || calls[0].query != "a=1" || calls[1].method != "PATCH" || calls[1].path != "/api/v3/flows/instances/x/" ||
		calls[1].query != "designation=enrollment" || string(calls[1].body) != `{"title":"Hi"}` || calls[1].contentType != "application/json" {
		t.Errorf("calls %+v", calls)
	}
}

// TestDoRefusesPaths: what is not a path below /api/v3/ is refused before sending.
func TestDoRefusesPaths(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	for _, p := range []string{"", "/flows/instances/", "https://evil.example.com/x/", "//evil.example.com/x", "flows/../core/users/",
		"flows/./x/", "flows/%2e%2e/core/users/", "flows/%2E%2e/", "flows/instances/?page=2", "flows/instances/#x",
		`..\core\users\`, `flows\instances/`, "flows/%5Ccore/", "flows/%5c../"} {
		_, err := c.Do(context.Background(), "GET", p, nil, nil, nil)
		var in *InputError
		if !errors.As(err, &in) || in.Field != "path" {
			t.Errorf("%q: err = %v", p, err)
		}
	}
	if _, err := c.Do(context.Background(), "GE T", "flows/", nil, nil, nil); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("bad method: %v", err)
	}
	if _, err := c.Do(context.Background(), "GET", "flows/", 42, nil, nil); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("bad query: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestDoPostNotRetried: Do follows the method's retry policy.
func TestDoPostNotRetried(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(statusResponder(http.StatusBadGateway, `{}`))
	_, err := c.Do(context.Background(), "POST", "core/users/", nil, map[string]string{"username": "x"}, nil)
	if !errors.Is(err, ErrUnknownOutcome) || mt.GetTotalCallCount() != 1 {
		t.Errorf("err = %v after %d requests", err, mt.GetTotalCallCount())
	}
}

// TestGenericListAndAll: List[T] and All[T] page through any endpoint with
// the caller's type, with the walker's checks.
func TestGenericListAndAll(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithPrefetch(0))
	type flow struct {
		Slug string `json:"slug"`
	}
	log := &requestLog{}
	mt.RegisterResponder("GET", testAPI+"flows/instances/", func(r *http.Request) (*http.Response, error) {
		page := r.URL.Query().Get("page")
		body := pageJSON(t, []flow{{"a"}, {"b"}}, 1, 2, 3, 2)
		if page == "2" {
			body = pageJSON(t, []flow{{"c"}}, 2, 2, 3, 2)
		}
		return respond(t, log, 200, body)(r)
	})
	p, err := List[flow](context.Background(), c, "flows/instances/", url.Values{"designation": {"enrollment"}})
	if err != nil || len(p.Results) != 2 || p.Results[1].Slug != "b" || p.Pagination.Next != 2 {
		t.Fatalf("%+v %v", p, err)
	}
	var slugs []string
	for f, err := range All[flow](context.Background(), c, "flows/instances/", url.Values{"designation": {"enrollment"}}) {
		if err != nil {
			t.Fatal(err)
		}
		slugs = append(slugs, f.Slug)
	}
	if len(slugs) != 3 || slugs[2] != "c" {
		t.Errorf("walked %v", slugs)
	}
	if q := log.queries(); len(q) != 3 || q[0] != "designation=enrollment" || q[2] != "designation=enrollment&page=2" {
		t.Errorf("queries %v", q)
	}
	for _, err := range All[flow](context.Background(), c, "/flows/", nil) {
		if !errors.Is(err, ErrInvalidInput) {
			t.Errorf("bad path: %v", err)
		}
	}
}

// TestDoEmptyBodies: Do leaves v alone for a 204 or an empty 2xx body; the
// SDK's typed calls, which expect an object, refuse an empty answer.
func TestDoEmptyBodies(t *testing.T) {
	t.Parallel()
	for _, status := range []int{200, 201, 204} {
		c, mt := newMockClient(t)
		mt.RegisterNoResponder(statusResponder(status, ""))
		v := map[string]any{"kept": true}
		if _, err := c.Do(context.Background(), "GET", "core/x/", nil, nil, &v); err != nil || v["kept"] != true {
			t.Errorf("%d: %v %v", status, v, err)
		}
	}
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(statusResponder(200, ""))
	var de *DecodeError
	if _, err := c.EmailStages.Get(context.Background(), writePK); !errors.As(err, &de) || !strings.Contains(err.Error(), "the body is empty") {
		t.Errorf("Get: %v", err)
	}
	if _, err := c.EmailStages.List(context.Background(), nil); !errors.As(err, &de) {
		t.Errorf("List: %v", err)
	}
}

// TestDoTargetCheckedBeforeSending: v must be a non-nil pointer, checked
// before the write is sent (it used to be sent, applied, then fail).
func TestDoTargetCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(statusResponder(201, `{"pk":"x"}`))
	var nilMap *map[string]any
	for _, v := range []any{struct{}{}, map[string]any{}, "x", 3, nilMap, (*struct{})(nil), new(chan int), new(func())} {
		_, err := c.Do(context.Background(), "POST", "core/users/", nil, map[string]string{"username": "x"}, v)
		var in *InputError
		if !errors.As(err, &in) || in.Field != "v" {
			t.Errorf("v %T: err = %v, want an InputError for v", v, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestDoSendsCallersJSON: an io.Reader, []byte or json.RawMessage body is the
// caller's JSON, sent as those bytes; invalid JSON is refused before sending.
func TestDoSendsCallersJSON(t *testing.T) {
	t.Parallel()
	const doc = `{"title": "Hi",  "layout":"stacked"}`
	for _, body := range []any{strings.NewReader(doc), []byte(doc), json.RawMessage(doc), bytes.NewBufferString(doc)} {
		c, mt := newMockClient(t)
		var mu sync.Mutex
		var calls []writeCall
		mt.RegisterNoResponder(recordWrite(t, &mu, &calls, 200, `{}`))
		if _, err := c.Do(context.Background(), "PATCH", "flows/instances/x/", nil, body, nil); err != nil {
			t.Fatalf("%T: %v", body, err)
		}
		if len(calls) != 1 || string(calls[0].body) != doc || calls[0].contentType != "application/json" || calls[0].method != "PATCH" {
			t.Errorf("%T: sent %+v", body, calls)
		}
	}
	c, mt := newMockClient(t)
	for _, body := range []any{strings.NewReader(`{"title":`), []byte(`not json`), json.RawMessage(``), []byte(nil), (*bytes.Buffer)(nil),
		readerFunc(nil), struct{ io.Reader }{}} {
		_, err := c.Do(context.Background(), "PATCH", "flows/instances/x/", nil, body, nil)
		var in *InputError
		if !errors.As(err, &in) || in.Field != "body" {
			t.Errorf("%T %v: err = %v, want an InputError for body", body, body, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestAllReadsTheQueryOnce: All[T] (and List[T]) read the caller's query when
// called; changing the map afterwards, even inside the loop, changes nothing.
func TestAllReadsTheQueryOnce(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithPrefetch(1))
	log := &requestLog{}
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		log.add(r)
		page := r.URL.Query().Get("page")
		if page == "" || page == "1" {
			return httpmock.NewBytesResponse(200, pageJSON(t, []map[string]string{{"pk": "a"}}, 1, 2, 2, 1)), nil
		}
		return httpmock.NewBytesResponse(200, pageJSON(t, []map[string]string{{"pk": "b"}}, 2, 2, 2, 1)), nil
	})
	q := url.Values{"designation": {"recovery"}}
	seq := All[map[string]string](context.Background(), c, "flows/instances/", q)
	q.Set("designation", "enrollment")
	q["designation"][0] = "authentication"
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		q.Set("page_size", "7") // the race detector would see a walk reading q
		n++
	}
	if n != 2 {
		t.Fatalf("%d items", n)
	}
	for _, got := range log.queries() {
		if v, _ := url.ParseQuery(got); v.Get("designation") != "recovery" || v.Get("page_size") != "" {
			t.Errorf("query %q, want the one given at the call", got)
		}
	}
}

// TestDoRedactsRequestSecrets: a request type given to Do keeps its
// write-only values out of errors, as the typed calls do, as a pointer or a value.
func TestDoRedactsRequestSecrets(t *testing.T) {
	t.Parallel()
	const pw = "canary-pw-51f0c9d3e7" // shares no 8-byte run with the token, which is redacted anyway
	req := &EmailStageRequest{Name: Ptr("m"), Password: Ptr(pw)}
	for _, body := range []any{req, *req, &req} {
		c, mt := newMockClient(t)
		mt.RegisterNoResponder(statusResponder(400, `{"password":["`+pw+` is too weak"]}`))
		_, err := c.Do(context.Background(), "POST", "stages/email/", nil, body, nil)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || strings.Contains(fmt.Sprintf("%v %+v %s", err, apiErr, apiErr.Body), pw) ||
			strings.Contains(strings.Join(apiErr.Fields["password"], ""), pw) {
			t.Errorf("%T: the password reached the error: %v", body, err)
		}
	}
	// A success whose headers echo it: the Response Do returns has them
	// redacted too.
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(statusResponder(201, `{"pk":"x"}`, "Content-Type", "application/json", "X-Echo", "pw="+pw))
	resp, err := c.Do(context.Background(), "POST", "stages/email/", nil, req, nil)
	if err != nil || resp == nil || strings.Contains(fmt.Sprint(resp.Header), pw) || !strings.Contains(resp.Header.Get("X-Echo"), "pw=") {
		t.Errorf("a success's headers: %v, %v", resp, err)
	}
}

// readerFunc is an io.Reader made of a function (a nil one panics when read).
type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// TestDoWriteAnsweredWithAPage: a write answered 2xx with a page that is not
// JSON (a proxy's login page) is not known to be applied, even when the
// caller asked for no decoding.
func TestDoWriteAnsweredWithAPage(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterNoResponder(statusResponder(200, "<html>log in</html>", "Content-Type", "text/html"))
	_, err := c.Do(context.Background(), "POST", "core/users/", nil, map[string]string{"username": "x"}, nil)
	var de *DecodeError
	if !errors.Is(err, ErrUnknownOutcome) || !errors.As(err, &de) || de.StatusCode != 200 {
		t.Errorf("err = %v", err)
	}
	if _, err := c.Do(context.Background(), "GET", "core/users/", nil, nil, nil); err != nil {
		t.Errorf("a read with v nil reads nothing: %v", err)
	}
}
