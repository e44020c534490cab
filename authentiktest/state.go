package authentiktest

import (
	"net/http"
	"net/url"
	"testing"
)

// Request is one request the server received, as RequestLog reports it.
type Request struct {
	Method string
	Path   string // from /api/v3/, e.g. "/api/v3/stages/email/"
	Query  url.Values
	Body   []byte
}

// RequestLog returns every request the server received, in order, whatever
// it answered (faults included).
func (s *Server) RequestLog() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	for i, r := range s.log {
		out[i] = Request{Method: r.Method, Path: r.Path, Query: cloneValues(r.Query), Body: append([]byte(nil), r.Body...)}
	}
	return out
}

func (s *Server) logRequest(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: body})
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Start is NewServer for a test: the server is closed by tb.Cleanup.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := NewServer(opts...)
	tb.Cleanup(s.Close)
	return s
}
