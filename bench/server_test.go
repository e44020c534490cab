package bench

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

const (
	benchToken = "fake-token"
	listPath   = "/api/v3/stages/email/"
	pageSize   = 100
	// envelopeTail closes authentik's list envelope after the results.
	envelopeTail = `,"autocomplete":{}}`
)

// The shape authentik 2026.x sends for an email stage (see
// ../testdata/email_stages_2026_page1.json). These types have no methods, so
// they also serve as the "mirror" in BenchmarkDecode: the same fields and tags as
// authentik.EmailStage, FlowSet and Pagination, decoded by encoding/json alone.
type mirrorFlowSet struct {
	PK                      string `json:"pk"`
	PolicyBindingModelPtrID string `json:"policybindingmodel_ptr_id"`
	Name                    string `json:"name"`
	Slug                    string `json:"slug"`
	Title                   string `json:"title"`
	Designation             string `json:"designation"`
	Background              string `json:"background_url"`
	PolicyEngineMode        string `json:"policy_engine_mode"`
	CompatibilityMode       bool   `json:"compatibility_mode"`
	ExportURL               string `json:"export_url"`
	Layout                  string `json:"layout"`
	DeniedAction            string `json:"denied_action"`
}

type mirrorEmailStage struct {
	PK                    string          `json:"pk"`
	Name                  string          `json:"name"`
	Component             string          `json:"component"`
	VerboseName           string          `json:"verbose_name"`
	VerboseNamePlural     string          `json:"verbose_name_plural"`
	MetaModelName         string          `json:"meta_model_name"`
	FlowSet               []mirrorFlowSet `json:"flow_set"`
	UseGlobalSettings     bool            `json:"use_global_settings"`
	Host                  string          `json:"host"`
	Port                  int             `json:"port"`
	Username              string          `json:"username"`
	UseTLS                bool            `json:"use_tls"`
	UseSSL                bool            `json:"use_ssl"`
	Timeout               int             `json:"timeout"`
	FromAddress           string          `json:"from_address"`
	TokenExpiry           string          `json:"token_expiry"`
	Subject               string          `json:"subject"`
	Template              string          `json:"template"`
	ActivateUserOnSuccess bool            `json:"activate_user_on_success"`
	RecoveryMaxAttempts   int             `json:"recovery_max_attempts"`
	RecoveryCacheTimeout  string          `json:"recovery_cache_timeout"`
}

type mirrorPagination struct {
	Next       int `json:"next"`
	Previous   int `json:"previous"`
	Count      int `json:"count"`
	Current    int `json:"current"`
	TotalPages int `json:"total_pages"`
	StartIndex int `json:"start_index"`
	EndIndex   int `json:"end_index"`
}

type mirrorPage struct {
	Pagination mirrorPagination   `json:"pagination"`
	Results    []mirrorEmailStage `json:"results"`
}

// realisticStages makes n email stages that look like a large install's: every
// one bound to one flow, with varied names, hosts, templates and durations. The
// same seed gives the same stages.
func realisticStages(n int, seed uint64) []mirrorEmailStage {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	uuid := func() string {
		return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x",
			rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xfff, 0x8000|rng.Uint32()&0x3fff, rng.Uint64()&0xffffffffffff)
	}
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	designations := []string{"recovery", "enrollment", "authentication", "stage_configuration"}
	out := make([]mirrorEmailStage, n)
	for i := range out {
		tenant := rng.IntN(500)
		designation := designations[rng.IntN(len(designations))]
		slug := fmt.Sprintf("tenant-%03d-%s-flow", tenant, designation)
		flowPK := uuid()
		global := rng.IntN(3) == 0
		s := mirrorEmailStage{
			PK:                uuid(),
			Name:              fmt.Sprintf("tenant-%03d-%s-email-%06d", tenant, pick("verification", "recovery", "magic-link", "password-reset"), i),
			Component:         "ak-stage-email-form",
			VerboseName:       "Email Stage",
			VerboseNamePlural: "Email Stages",
			MetaModelName:     "authentik_stages_email.emailstage",
			FlowSet: []mirrorFlowSet{{
				PK:                      flowPK,
				PolicyBindingModelPtrID: flowPK,
				Name:                    fmt.Sprintf("Tenant %03d %s flow", tenant, designation),
				Slug:                    slug,
				Title:                   pick("Welcome to authentik!", "Reset your password", "Confirm your email address"),
				Designation:             designation,
				Background:              "/static/dist/assets/images/flow_background.jpg",
				PolicyEngineMode:        pick("any", "all"),
				CompatibilityMode:       rng.IntN(10) == 0,
				ExportURL:               "/api/v3/flows/instances/" + slug + "/export/",
				Layout:                  pick("stacked", "stacked", "content_left", "sidebar_right"),
				DeniedAction:            pick("message_continue", "message", "continue"),
			}},
			UseGlobalSettings:     global,
			Host:                  "localhost",
			Port:                  25,
			Timeout:               10,
			FromAddress:           "system@authentik.local",
			TokenExpiry:           pick("minutes=30", "hours=1", "minutes=15", "days=1"),
			Subject:               pick("authentik", "Reset your password", "Your sign-in link", "Confirm your account"),
			Template:              pick("email/password_reset.html", "email/account_confirmation.html", "email/magic_link.html"),
			ActivateUserOnSuccess: rng.IntN(2) == 0,
			RecoveryMaxAttempts:   5,
			RecoveryCacheTimeout:  "minutes=5",
		}
		if !global {
			s.Host = fmt.Sprintf("smtp.tenant-%03d.example.com", tenant)
			s.Port = []int{25, 465, 587}[rng.IntN(3)]
			s.Username = fmt.Sprintf("authentik@tenant-%03d.example.com", tenant)
			s.UseTLS = s.Port == 587
			s.UseSSL = s.Port == 465
			s.Timeout = 30
			s.FromAddress = fmt.Sprintf("no-reply@tenant-%03d.example.com", tenant)
		}
		out[i] = s
	}
	return out
}

// pageHead is authentik's envelope up to the results, for page n of total pages
// of pageSize items each (next is 0 on the last page, previous 0 on the first).
func pageHead(n, total int) []byte {
	next, prev := n+1, n-1
	if n == total {
		next = 0
	}
	return fmt.Appendf(nil, `{"pagination":{"next":%d,"previous":%d,"count":%d,"current":%d,"total_pages":%d,"start_index":%d,"end_index":%d},"results":`,
		next, prev, total*pageSize, n, total, (n-1)*pageSize+1, n*pageSize)
}

// encodeResults is the results array of one page, compact, as authentik sends it.
func encodeResults(items []mirrorEmailStage) []byte {
	b, err := json.Marshal(items)
	if err != nil {
		panic(err)
	}
	return b
}

// pageBody is the whole body of page n of total, with the given items.
func pageBody(n, total int, items []mirrorEmailStage) []byte {
	b := pageHead(n, total)
	b = append(b, encodeResults(items)...)
	return append(b, envelopeTail...)
}

// pageServer serves GET /api/v3/stages/email/?page=N&page_size=100 on loopback
// from bodies encoded once, before the clock starts: per request it only parses
// the query, waits the injected latency and writes bytes. Requests are served
// concurrently (one goroutine per connection, as net/http does).
type pageServer struct {
	srv      *httptest.Server
	url      string
	latency  time.Duration
	heads    [][]byte     // heads[n-1]: page n's envelope up to the results
	results  [][]byte     // page n's results are results[(n-1)%len(results)]
	requests atomic.Int64 // requests served
	conns    atomic.Int64 // connections accepted
	// Tests only, set before the first request: record sees every request;
	// fail, when not 0, is a page answered 500.
	record func(*http.Request)
	fail   int
}

// newPageServer serves pages pages of pageSize items. distinct is how many
// different result arrays it holds: distinct == pages makes every page
// different (B1); a smaller pool keeps the server's own heap small and equal
// between walks of different lengths (B3), and the client cannot tell.
func newPageServer(tb testing.TB, pages, distinct int, latency time.Duration) *pageServer {
	tb.Helper()
	return newPageServerFrom(tb, pages, resultPool(distinct), latency)
}

// resultPool encodes the results arrays of distinct pages of realistic stages.
func resultPool(distinct int) [][]byte {
	items := realisticStages(distinct*pageSize, 2026)
	pool := make([][]byte, distinct)
	for i := range pool {
		pool[i] = encodeResults(items[i*pageSize : (i+1)*pageSize])
	}
	return pool
}

// newPageServerFrom serves pages pages whose results cycle through pool.
func newPageServerFrom(tb testing.TB, pages int, pool [][]byte, latency time.Duration) *pageServer {
	tb.Helper()
	s := &pageServer{latency: latency, results: pool}
	for n := 1; n <= pages; n++ {
		s.heads = append(s.heads, pageHead(n, pages))
	}
	s.srv = httptest.NewUnstartedServer(s) // 127.0.0.1:<free port>
	s.srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.srv.Start()
	s.url = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

func (s *pageServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if s.record != nil {
		s.record(r)
	}
	fail := func(code int, detail string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"detail":%q}`, detail)
	}
	if r.Method != http.MethodGet || r.URL.Path != listPath {
		fail(http.StatusNotFound, "Not found.")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+benchToken {
		fail(http.StatusForbidden, "Authentication credentials were not provided.")
		return
	}
	q := r.URL.Query()
	if q.Get("page_size") != strconv.Itoa(pageSize) {
		fail(http.StatusBadRequest, "the benchmark server wants page_size=100")
		return
	}
	n := 1
	if p := q.Get("page"); p != "" {
		var err error
		if n, err = strconv.Atoi(p); err != nil {
			fail(http.StatusNotFound, "Invalid page.")
			return
		}
	}
	if n < 1 || n > len(s.heads) {
		fail(http.StatusNotFound, "Invalid page.")
		return
	}
	if n == s.fail {
		fail(http.StatusInternalServerError, "Server error.")
		return
	}
	if s.latency > 0 {
		t := time.NewTimer(s.latency)
		select {
		case <-t.C:
		case <-r.Context().Done(): // a cancelled prefetch: do not hold the server
			t.Stop()
			return
		}
	}
	head, res := s.heads[n-1], s.results[(n-1)%len(s.results)]
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(head) + len(res) + len(envelopeTail))}
	_, _ = w.Write(head)
	_, _ = w.Write(res)
	_, _ = w.Write(tailBytes)
}

var tailBytes = []byte(envelopeTail)

// tunedTransport is http.DefaultTransport's configuration with enough idle
// connections per host for a walk with 8 pages in flight (the default keeps 2).
func tunedTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return t
}

// closeDefaultIdle drops the idle connections that clients on the SDK's default
// transport (http.DefaultTransport) left behind.
func closeDefaultIdle() {
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
}
