package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/authentik-go/authentik"
)

// B4: the write path. One op creates an email stage (POST, 201 with the
// object), patches it (PATCH, 200 with the object) and deletes it (DELETE, 204)
// against a loopback server that answers as authentik does, from bytes encoded
// before the clock starts.

// writePK is the pk the write server gives the stage it creates.
const writePK = "2f0b6f5c-8a4e-4c43-9d1e-6a1f0f3e9b7a"

// mirrorEmailStageRequest is the hand-written side's request body: the fields
// and tags of authentik.EmailStageRequest (nil is not sent), no methods.
type mirrorEmailStageRequest struct {
	Name                  *string `json:"name,omitempty"`
	UseGlobalSettings     *bool   `json:"use_global_settings,omitempty"`
	Host                  *string `json:"host,omitempty"`
	Port                  *int    `json:"port,omitempty"`
	Username              *string `json:"username,omitempty"`
	Password              *string `json:"password,omitempty"`
	UseTLS                *bool   `json:"use_tls,omitempty"`
	UseSSL                *bool   `json:"use_ssl,omitempty"`
	Timeout               *int    `json:"timeout,omitempty"`
	FromAddress           *string `json:"from_address,omitempty"`
	TokenExpiry           *string `json:"token_expiry,omitempty"`
	Subject               *string `json:"subject,omitempty"`
	Template              *string `json:"template,omitempty"`
	ActivateUserOnSuccess *bool   `json:"activate_user_on_success,omitempty"`
	RecoveryMaxAttempts   *int    `json:"recovery_max_attempts,omitempty"`
	RecoveryCacheTimeout  *string `json:"recovery_cache_timeout,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// The create and patch bodies, the same for both sides (TestWriteSidesAgree
// compares the bytes sent): a stage with its own SMTP server and password, then
// a new subject and token expiry.
var (
	createReq = mirrorEmailStageRequest{
		Name:                  ptr("tenant-042-recovery-email"),
		UseGlobalSettings:     ptr(false),
		Host:                  ptr("smtp.tenant-042.example.com"),
		Port:                  ptr(587),
		Username:              ptr("authentik@tenant-042.example.com"),
		Password:              ptr("correct horse battery staple"),
		UseTLS:                ptr(true),
		Timeout:               ptr(30),
		FromAddress:           ptr("no-reply@tenant-042.example.com"),
		TokenExpiry:           ptr("minutes=30"),
		Subject:               ptr("Reset your password"),
		Template:              ptr("email/password_reset.html"),
		ActivateUserOnSuccess: ptr(true),
	}
	patchReq = mirrorEmailStageRequest{
		Subject:     ptr("Your password reset link"),
		TokenExpiry: ptr("hours=1"),
	}
)

// sdkRequest is r as the SDK's request type: the same fields.
func sdkRequest(r mirrorEmailStageRequest) *authentik.EmailStageRequest {
	out := authentik.EmailStageRequest(r)
	return &out
}

// writeStage is the stage as authentik answers the create; the patch answers it
// with the patched fields. A new stage is bound to no flow.
func writeStage(patched bool) mirrorEmailStage {
	s := mirrorEmailStage{
		PK:                    writePK,
		Name:                  *createReq.Name,
		Component:             "ak-stage-email-form",
		VerboseName:           "Email Stage",
		VerboseNamePlural:     "Email Stages",
		MetaModelName:         "authentik_stages_email.emailstage",
		FlowSet:               []mirrorFlowSet{},
		UseGlobalSettings:     *createReq.UseGlobalSettings,
		Host:                  *createReq.Host,
		Port:                  *createReq.Port,
		Username:              *createReq.Username,
		UseTLS:                *createReq.UseTLS,
		Timeout:               *createReq.Timeout,
		FromAddress:           *createReq.FromAddress,
		TokenExpiry:           *createReq.TokenExpiry,
		Subject:               *createReq.Subject,
		Template:              *createReq.Template,
		ActivateUserOnSuccess: *createReq.ActivateUserOnSuccess,
		RecoveryMaxAttempts:   5,
		RecoveryCacheTimeout:  "minutes=5",
	}
	if patched {
		s.Subject, s.TokenExpiry = *patchReq.Subject, *patchReq.TokenExpiry
	}
	return s
}

// writeServer answers POST /api/v3/stages/email/ with 201 and the stage, PATCH
// and DELETE /api/v3/stages/email/<writePK>/ with 200 and the patched stage, and
// 204. Headers are those authentik (Django REST framework) sends. It reads each
// request body whole and does not decode it (TestWriteSidesAgree compares what
// each side sent).
type writeServer struct {
	srv              *httptest.Server
	url              string
	created, patched []byte
	requests         atomic.Int64
	record           func(r *http.Request, body []byte) // tests only
}

func newWriteServer(tb testing.TB) *writeServer {
	tb.Helper()
	enc := func(s mirrorEmailStage) []byte {
		b, err := json.Marshal(s)
		if err != nil {
			tb.Fatal(err)
		}
		return b
	}
	s := &writeServer{created: enc(writeStage(false)), patched: enc(writeStage(true))}
	s.srv = httptest.NewServer(s)
	s.url = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

func (s *writeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	if s.record != nil {
		s.record(r, body)
	}
	h := w.Header()
	h["Vary"] = []string{"Accept, Cookie"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	h["Referrer-Policy"] = []string{"same-origin"}
	answer := func(code int, b []byte) {
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{fmt.Sprint(len(b))}
		w.WriteHeader(code)
		_, _ = w.Write(b)
	}
	if r.Header.Get("Authorization") != "Bearer "+benchToken {
		answer(http.StatusForbidden, []byte(`{"detail":"Authentication credentials were not provided."}`))
		return
	}
	item := listPath + writePK + "/"
	switch {
	case r.Method == http.MethodPost && r.URL.Path == listPath:
		h["Allow"] = []string{"GET, POST, HEAD, OPTIONS"}
		answer(http.StatusCreated, s.created)
	case r.Method == http.MethodPatch && r.URL.Path == item:
		h["Allow"] = []string{"GET, PUT, PATCH, DELETE, HEAD, OPTIONS"}
		answer(http.StatusOK, s.patched)
	case r.Method == http.MethodDelete && r.URL.Path == item:
		h["Allow"] = []string{"GET, PUT, PATCH, DELETE, HEAD, OPTIONS"}
		w.WriteHeader(http.StatusNoContent)
	default:
		answer(http.StatusNotFound, []byte(`{"detail":"Not found."}`))
	}
}

// floorSend is one request of the write floor: the body (when not nil) encoded
// with json.Marshal, the SDK's headers, the answer read as readFloor does and,
// unless the status is 204, decoded into out. A status other than want is an
// error.
func floorSend(ctx context.Context, hc *http.Client, method, u string, in any, want int, out *mirrorEmailStage) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	floorHeaders(req, in != nil)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	b, err := readFloor(resp)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s: %s", method, u, resp.Status, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// floorWrite is B4's floor: create, patch and delete with net/http and
// encoding/json; it returns the created and the patched stage.
func floorWrite(ctx context.Context, hc *http.Client, base string) (created, patched mirrorEmailStage, err error) {
	if err = floorSend(ctx, hc, http.MethodPost, base+listPath, &createReq, http.StatusCreated, &created); err != nil {
		return
	}
	item := base + listPath + created.PK + "/"
	if err = floorSend(ctx, hc, http.MethodPatch, item, &patchReq, http.StatusOK, &patched); err != nil {
		return
	}
	err = floorSend(ctx, hc, http.MethodDelete, item, nil, http.StatusNoContent, nil)
	return
}

// sdkWrite is B4's SDK side: EmailStages.Create, Patch and Delete.
func sdkWrite(ctx context.Context, c *authentik.Client, create, patch *authentik.EmailStageRequest) (created, patched *authentik.EmailStage, err error) {
	if created, err = c.EmailStages.Create(ctx, create); err != nil {
		return
	}
	if patched, err = c.EmailStages.Patch(ctx, created.PK, patch); err != nil {
		return
	}
	err = c.EmailStages.Delete(ctx, created.PK)
	return
}

// BenchmarkWrite is B4: one op is create + patch + delete of an email stage
// over loopback (3 requests on one kept-alive connection).
//
//	impl=floor  floorWrite: net/http + encoding/json, the same requests
//	impl=sdk    EmailStages.Create, Patch and Delete
//
// Both use their own tunedTransport.
func BenchmarkWrite(b *testing.B) {
	srv := newWriteServer(b)
	ctx := context.Background()
	run := func(b *testing.B, op func() (string, error)) {
		requests := srv.requests.Load()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			pk, err := op()
			if err != nil {
				b.Fatal(err)
			}
			sink += len(pk)
		}
		b.StopTimer()
		if got := srv.requests.Load() - requests; got != 3*int64(b.N) {
			b.Fatalf("%d requests for %d ops, want 3 an op", got, b.N)
		}
	}
	b.Run("impl=floor", func(b *testing.B) {
		tr := tunedTransport()
		defer tr.CloseIdleConnections()
		hc := &http.Client{Transport: tr}
		run(b, func() (string, error) {
			_, p, err := floorWrite(ctx, hc, srv.url)
			return p.Subject, err
		})
	})
	b.Run("impl=sdk", func(b *testing.B) {
		tr := tunedTransport()
		defer tr.CloseIdleConnections()
		c := sdkClient(b, srv.url, 0, tr)
		create, patch := sdkRequest(createReq), sdkRequest(patchReq)
		run(b, func() (string, error) {
			_, p, err := sdkWrite(ctx, c, create, patch)
			if err != nil {
				return "", err
			}
			return p.Subject, nil
		})
	})
}

// TestWriteSidesAgree: both sides of B4 send the same three requests (method,
// URL, headers, body bytes) and decode the same stages from the answers.
func TestWriteSidesAgree(t *testing.T) {
	srv := newWriteServer(t)
	var mu sync.Mutex
	var seen []string
	srv.record = func(r *http.Request, body []byte) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, fmt.Sprintf("%s %s %d %v\n%s", r.Method, r.URL.RequestURI(), r.ContentLength, r.Header, body))
	}
	requests := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := seen
		seen = nil
		return out
	}
	ctx := context.Background()
	tr := tunedTransport()
	defer tr.CloseIdleConnections()

	fc, fp, err := floorWrite(ctx, &http.Client{Transport: tr}, srv.url)
	if err != nil {
		t.Fatal(err)
	}
	floorSent := requests()
	sc, sp, err := sdkWrite(ctx, sdkClient(t, srv.url, 0, tr), sdkRequest(createReq), sdkRequest(patchReq))
	if err != nil {
		t.Fatal(err)
	}
	sdkSent := requests()
	t.Logf("each side sent:\n%s", strings.Join(sdkSent, "\n"))
	if len(floorSent) != 3 || !reflect.DeepEqual(floorSent, sdkSent) {
		t.Errorf("the floor sent\n%s\n\nthe SDK sent\n%s", floorSent, sdkSent)
	}
	if got := asPublic(t, []mirrorEmailStage{fc, fp}); !reflect.DeepEqual(got, []authentik.EmailStage{*sc, *sp}) {
		t.Errorf("decoded: floor %+v, SDK %+v, %+v", got, *sc, *sp)
	}
	if fc.PK != writePK || fp.Subject != *patchReq.Subject || fc.Subject != *createReq.Subject {
		t.Errorf("unexpected answers: %+v, %+v", fc, fp)
	}
}
