package authentiktest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/authentik-go/authentik/internal/pysyntax"
)

// apiRoot is where authentik serves its API.
const apiRoot = "/api/v3/"

// serveHTTP answers one request in the order authentik's stack does: Django's
// URL resolution (and CommonMiddleware's slash redirect), DRF's authentication
// and permission checks, the method, then the viewset's work.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.logRequest(r, body)
	if !s.delay(r) {
		return
	}
	if status, retryAfter, ok := s.takeFault(); ok {
		if retryAfter > 0 {
			w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(retryAfter.Seconds()))))
		}
		writeJSON(w, status, map[string]string{"detail": http.StatusText(status)})
		return
	}
	if status, body, ok := s.takeMatchedFault(r, body); ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
		return
	}

	rt, ok := route(r.URL.Path)
	if !ok {
		if _, ok := route(r.URL.Path + "/"); ok && r.Method == http.MethodGet {
			// Django's CommonMiddleware with APPEND_SLASH: a permanent redirect to
			// the same path with a trailing slash, query kept (for GET; Django
			// refuses to redirect a write, which would lose its body).
			target := r.URL.Path + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Not found."})
		return
	}
	// DRF runs authentication before anything the view does
	// (APIView.initial: perform_authentication, check_permissions).
	if detail := s.authenticate(r.Header.Get("Authorization")); detail != "" {
		writeJSON(w, http.StatusForbidden, map[string]string{"detail": detail})
		return
	}
	status, out := s.dispatch(rt, r, body)
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, out)
}

// target is what a path names: a collection, maybe one object (by its lookup
// value), maybe an action.
type target struct {
	c      *collection
	lookup string
	action string
}

// route resolves a path as DRF's router does: the list route, the list
// actions, the detail route ([^/.]+ for the lookup, trailing slash required),
// the detail actions.
func route(path string) (target, bool) {
	rest, found := strings.CutPrefix(path, apiRoot)
	if !found {
		return target{}, false
	}
	for _, c := range collections {
		tail, found := strings.CutPrefix(rest, c.path)
		if !found {
			continue
		}
		if tail == "" {
			return target{c: c}, true
		}
		parts := strings.Split(tail, "/")
		if parts[len(parts)-1] != "" {
			return target{}, false // no trailing slash
		}
		parts = parts[:len(parts)-1]
		for _, p := range parts {
			if p == "" || strings.Contains(p, ".") {
				return target{}, false
			}
		}
		switch {
		case len(parts) == 1 && c.actions[parts[0]].exists() && !c.actions[parts[0]].detail:
			return target{c: c, action: parts[0]}, true
		case len(parts) == 1:
			return target{c: c, lookup: parts[0]}, true
		case len(parts) == 2 && c.actions[parts[1]].exists() && c.actions[parts[1]].detail:
			return target{c: c, lookup: parts[0], action: parts[1]}, true
		}
		return target{}, false
	}
	return target{}, false
}

// dispatch is the viewset: the method and the route pick the operation.
func (s *Server) dispatch(t target, r *http.Request, body []byte) (int, any) {
	q := r.URL.Query()
	read := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case t.action != "" && t.lookup == "":
		if !read {
			return methodNotAllowed(r.Method)
		}
		return http.StatusOK, t.c.actions[t.action].serve(s, t.c, row{})
	case t.lookup == "" && read:
		return s.list(t.c, q)
	case t.lookup == "" && r.Method == http.MethodPost && t.c.fields != nil:
		return s.create(t.c, r, body)
	case t.lookup == "":
		return methodNotAllowed(r.Method)
	}
	// Detail routes: get_object filters the queryset with the request's query
	// too, then looks the object up (DRF GenericAPIView.get_object).
	obj, status, out := s.object(t.c, q, t.lookup)
	if obj == nil {
		return status, out
	}
	a := t.c.actions[t.action]
	if t.c.union != nil {
		// stages/all/: the object is its own type's, whose relations used_by
		// lists and whose delete cascades.
		owner := s.owner(t.c, obj.pk)
		switch {
		case t.action != "" && a.serve != nil && read:
			return http.StatusOK, a.serve(s, owner, *obj)
		case t.action == "" && r.Method == http.MethodDelete:
			s.remove(owner, obj.pk)
			return http.StatusNoContent, nil
		}
	}
	switch {
	case t.action != "" && a.send != nil && r.Method == http.MethodPost:
		return a.send(s, *obj, r, body)
	case t.action != "" && a.serve != nil && read:
		return http.StatusOK, a.serve(s, t.c, *obj)
	case t.action != "":
		return methodNotAllowed(r.Method)
	case read:
		return http.StatusOK, obj.body()
	case t.c.fields == nil:
		return methodNotAllowed(r.Method)
	case r.Method == http.MethodPut || r.Method == http.MethodPatch:
		return s.update(t.c, obj.pk, r, body, r.Method == http.MethodPatch)
	case r.Method == http.MethodDelete:
		s.remove(t.c, obj.pk)
		return http.StatusNoContent, nil
	}
	return methodNotAllowed(r.Method)
}

// authenticate returns "" for the server's token, else the detail authentik
// answers with. authentik/api/authentication.py (validate_auth, bearer_auth):
// a header without a space is no credentials at all; a scheme other than
// "bearer" (any case) is "Unsupported authentication type"; an empty credential
// is "Malformed header"; an unknown token is "Token invalid/expired". With no
// credentials DRF's IsAuthenticated raises NotAuthenticated. authentik's token
// authenticator sends no WWW-Authenticate challenge, so DRF turns both into 403
// (APIView.permission_denied and handle_exception).
func (s *Server) authenticate(header string) string {
	h := pysyntax.Strip(header)
	if h == "" || !strings.Contains(h, " ") {
		return "Authentication credentials were not provided."
	}
	scheme, credentials, _ := strings.Cut(h, " ")
	if pysyntax.Lower(scheme) != "bearer" {
		return "Unsupported authentication type"
	}
	if credentials == "" {
		return "Malformed header"
	}
	if credentials != s.Token {
		return "Token invalid/expired"
	}
	return ""
}

// delay waits out the configured latency, or until the client goes away or the
// server closes. It reports whether to go on answering.
func (s *Server) delay(r *http.Request) bool {
	s.mu.Lock()
	d := s.latency
	s.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closed:
		return false
	}
}

// takeMatchedFault consumes one failure injected with FailWhen whose match
// accepts the request, if any is left. A match is the test's own code and may
// call the server (RequestLog, the snapshots), so it runs without s.mu; the
// fault is then consumed under s.mu only if it still has one left, else the
// next one is tried: concurrent requests never take more than n.
func (s *Server) takeMatchedFault(r *http.Request, body []byte) (int, []byte, bool) {
	req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: body}
	s.mu.Lock()
	faults := len(s.matched) // FailWhen only appends: indexes below stay valid
	s.mu.Unlock()
	for i := 0; i < faults; i++ {
		s.mu.Lock()
		f := s.matched[i]
		s.mu.Unlock()
		if f.left <= 0 || !f.match(req) {
			continue
		}
		s.mu.Lock()
		taken := s.matched[i].left > 0
		if taken {
			s.matched[i].left--
		}
		s.mu.Unlock()
		if taken {
			return f.status, f.body, true
		}
	}
	return 0, nil, false
}

// takeFault consumes one injected failure, if any are left.
func (s *Server) takeFault() (status int, retryAfter time.Duration, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failRemaining <= 0 {
		return 0, 0, false
	}
	s.failRemaining--
	return s.failStatus, s.failAfter, true
}

// writeJSON answers as DRF's JSONRenderer does.
func writeJSON(w http.ResponseWriter, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
