package authentik_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

// The write soak: many creates, updates, patches and deletes through a proxy
// that, from a seeded hash of each request, resets the connection before or
// after passing the request on, answers 429 or 503 without passing it on,
// passes it on and then answers 502 or 504, stalls past the client's timeout,
// or cuts the answer short. At the end the fake's state must equal what the
// client was told (after it resolved every unknown outcome by looking the name
// up, as the error advises), no create may reach the server twice, and every
// create that was applied but whose answer was lost must have been reported
// as ErrUnknownOutcome.

type writeFault int

const (
	wfNone writeFault = iota
	wfResetBefore
	wfResetAfter
	wf429
	wf503
	wf502After
	wf504After
	wfStall
	wfTruncate
	wfKinds
)

var writeFaultNames = [...]string{"none", "reset-before", "reset-after", "429", "503", "502-after", "504-after", "stall", "truncated"}

// writeFaultWeights out of 1000: about 22% of requests fail.
var writeFaultWeights = [...]int{780, 30, 35, 25, 25, 30, 30, 15, 30}

type faultProxy struct {
	seed    int64
	target  string
	hc      *http.Client
	counter atomic.Int64
	faults  [wfKinds]atomic.Int64

	mu          sync.Mutex
	lostCreates map[string]bool // names whose create was applied but whose answer was lost
}

func (p *faultProxy) pick(n int64) writeFault {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d", p.seed, n)
	r := int(h.Sum64() % 1000)
	for k, w := range writeFaultWeights {
		if r < w {
			return writeFault(k)
		}
		r -= w
	}
	return wfNone
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f := p.pick(p.counter.Add(1))
	p.faults[f].Add(1)
	switch f {
	case wfResetBefore:
		resetConn(w)
		return
	case wf429:
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	case wf503:
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	status, header, answer, err := p.forward(r, body)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	if f != wfNone && r.Method == http.MethodPost && status == http.StatusCreated {
		var req struct{ Name string }
		_ = json.Unmarshal(body, &req)
		p.mu.Lock()
		p.lostCreates[strings.TrimSpace(req.Name)] = true
		p.mu.Unlock()
	}
	switch f {
	case wfResetAfter:
		resetConn(w)
	case wf502After:
		w.WriteHeader(http.StatusBadGateway)
	case wf504After:
		w.WriteHeader(http.StatusGatewayTimeout)
	case wfStall:
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	case wfTruncate:
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", status, http.StatusText(status), len(answer)+10)
		_, _ = buf.Write(answer[:len(answer)/2])
		_ = buf.Flush()
		_ = conn.Close()
	default:
		for k, vs := range header {
			w.Header()[k] = vs
		}
		w.WriteHeader(status)
		_, _ = w.Write(answer)
	}
}

func (p *faultProxy) forward(r *http.Request, body []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequest(r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header = r.Header.Clone()
	resp, err := p.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

// resetConn closes the client's connection with a TCP reset.
func resetConn(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// told is what the client believes about one stage.
type told struct {
	exists            bool
	pk, subject, host string
	port              int
}

func TestSoakWrites(t *testing.T) {
	const (
		workers   = 8
		perWorker = 40
	)
	seed := int64(20261130)
	if v := os.Getenv("AUTHENTIK_SOAK_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseInt(v, 10, 64); err != nil {
			t.Fatalf("AUTHENTIK_SOAK_SEED=%q: %v", v, err)
		}
	}
	fake := authentiktest.Start(t)
	proxy := &faultProxy{seed: seed, target: fake.URL, hc: &http.Client{}, lostCreates: map[string]bool{}}
	ps := httptest.NewServer(proxy)
	defer ps.Close()
	defer proxy.hc.CloseIdleConnections()
	c, err := authentik.NewClient(ps.URL, fake.Token, authentik.WithRetryMax(6),
		authentik.WithRetryWait(time.Millisecond, 5*time.Millisecond), authentik.WithTimeout(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	var (
		mu                                          sync.Mutex
		model                                       = map[string]*told{}
		unknownCreates                              = map[string]bool{}
		ops, acked, unknown, otherErrs, resolutions atomic.Int64
	)
	// resolve looks a stage up by name, as ErrUnknownOutcome advises, until a
	// lookup gets through the faults.
	resolve := func(name string) *told {
		resolutions.Add(1)
		for try := 0; try < 20; try++ {
			page, err := c.EmailStages.List(ctx, &authentik.EmailStageListOptions{Name: name})
			if err != nil {
				continue
			}
			if len(page.Results) == 0 {
				return &told{}
			}
			s := page.Results[0]
			return &told{exists: true, pk: s.PK, subject: s.Subject, host: s.Host, port: s.Port}
		}
		t.Errorf("seed %d: %s could not be looked up", seed, name)
		return nil
	}
	fromStage := func(s *authentik.EmailStage) *told {
		return &told{exists: true, pk: s.PK, subject: s.Subject, host: s.Host, port: s.Port}
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				name := fmt.Sprintf("soak-%d-%03d", w, i)
				var st *told
				ops.Add(1)
				s, err := c.EmailStages.Create(ctx, &authentik.EmailStageRequest{Name: authentik.Ptr(name), Port: authentik.Ptr(i), Password: authentik.Ptr("fake-pw")})
				switch {
				case err == nil:
					acked.Add(1)
					st = fromStage(s)
				case errors.Is(err, authentik.ErrUnknownOutcome):
					unknown.Add(1)
					mu.Lock()
					unknownCreates[name] = true
					mu.Unlock()
					st = resolve(name)
				default:
					otherErrs.Add(1)
					st = resolve(name) // a 429 that outlasted the retries: nothing was created
				}
				if st == nil {
					return
				}
				if st.exists {
					// A patch, an update, and for a third of them a delete; each
					// retried by the SDK, and re-read when it still failed.
					steps := []func() (*authentik.EmailStage, error){
						func() (*authentik.EmailStage, error) {
							return c.EmailStages.Patch(ctx, st.pk, &authentik.EmailStageRequest{Subject: authentik.Ptr("patched " + name)})
						},
						func() (*authentik.EmailStage, error) {
							return c.EmailStages.Update(ctx, st.pk, &authentik.EmailStageRequest{Name: authentik.Ptr(name), Host: authentik.Ptr("smtp-" + name)})
						},
					}
					for _, step := range steps {
						ops.Add(1)
						if s, err := step(); err == nil {
							acked.Add(1)
							st = fromStage(s)
						} else if st = resolve(name); st == nil {
							return
						}
					}
					if i%3 == 0 {
						ops.Add(1)
						if err := c.EmailStages.Delete(ctx, st.pk); err == nil {
							acked.Add(1)
							st = &told{}
						} else if st = resolve(name); st == nil {
							return
						}
					}
				}
				mu.Lock()
				model[name] = st
				mu.Unlock()
			}
		}()
	}
	wg.Wait()

	// The server's state equals what the client was told.
	server := map[string]authentik.EmailStage{}
	for _, s := range fake.EmailStages() {
		server[s.Name] = s
	}
	stages := 0
	for name, want := range model {
		got, ok := server[name]
		if ok != want.exists {
			t.Errorf("seed %d: %s exists on the server: %v; the client was told %v", seed, name, ok, want.exists)
			continue
		}
		if !ok {
			continue
		}
		stages++
		if got.PK != want.pk || got.Subject != want.subject || got.Host != want.host || got.Port != want.port {
			t.Errorf("seed %d: %s on the server %+v, the client was told %+v", seed, name, got, *want)
		}
	}
	for name := range server {
		if _, ok := model[name]; !ok {
			t.Errorf("seed %d: %s is on the server, the client never heard of it", seed, name)
		}
	}
	// No create reached the server twice.
	posts := map[string]int{}
	for _, r := range fake.RequestLog() {
		if r.Method == http.MethodPost {
			var req struct{ Name string }
			_ = json.Unmarshal(r.Body, &req)
			posts[req.Name]++
		}
	}
	duplicates := 0
	for name, n := range posts {
		if n > 1 {
			duplicates++
			t.Errorf("seed %d: the create of %s reached the server %d times", seed, name, n)
		}
	}
	// Every create applied with its answer lost was reported as unknown.
	proxy.mu.Lock()
	for name := range proxy.lostCreates {
		if !unknownCreates[name] {
			t.Errorf("seed %d: the create of %s was applied, its answer lost, and not reported as ErrUnknownOutcome", seed, name)
		}
	}
	lost := len(proxy.lostCreates)
	proxy.mu.Unlock()
	var kinds []string
	for k := wfNone + 1; k < wfKinds; k++ {
		kinds = append(kinds, fmt.Sprintf("%s=%d", writeFaultNames[k], proxy.faults[k].Load()))
		if proxy.faults[k].Load() == 0 {
			t.Errorf("seed %d: no %s fault was injected", seed, writeFaultNames[k])
		}
	}
	t.Logf("write soak seed %d: %d operations, %d acknowledged, %d unknown outcomes (%d creates applied with the answer lost, all reported), %d other errors, %d lookups",
		seed, ops.Load(), acked.Load(), unknown.Load(), lost, otherErrs.Load(), resolutions.Load())
	t.Logf("write soak faults: %s", strings.Join(kinds, " "))
	t.Logf("write soak state: %d stages on the server, as the client was told; %d duplicate creates", stages, duplicates)
}
