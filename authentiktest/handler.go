package authentiktest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/authentik-go/authentik/internal/pysyntax"
)

// The collections the fake serves, below /api/v3/ (authentik's router in
// authentik/api/v3/urls.py registers them with DRF's DefaultRouter).
const (
	apiRoot        = "/api/v3/"
	emailPath      = "stages/email/"
	invitationPath = "stages/invitation/stages/"
)

// serveHTTP answers one request in the order authentik's stack does: Django's
// URL resolution (and CommonMiddleware's slash redirect), DRF's authentication
// and permission checks, then the viewset's filtering, ordering and pagination.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
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

	collection, pk, ok := route(r.URL.Path)
	if !ok {
		if _, _, ok := route(r.URL.Path + "/"); ok {
			// Django's CommonMiddleware with APPEND_SLASH: a permanent redirect to
			// the same path with a trailing slash, query kept.
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
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// DRF's MethodNotAllowed; the fake is read-only.
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"detail": fmt.Sprintf("Method %q not allowed.", r.Method)})
		return
	}
	var status int
	var body any
	switch {
	case collection == emailPath && pk == "":
		status, body = s.listEmail(r.URL.Query())
	case collection == emailPath:
		status, body = s.retrieveEmail(pk, r.URL.Query())
	case pk == "":
		status, body = s.listInvitation(r.URL.Query())
	default:
		status, body = s.retrieveInvitation(pk, r.URL.Query())
	}
	writeJSON(w, status, body)
}

// route splits an API path into its collection and, for a retrieve, the lookup
// value. DRF's router matches the lookup with [^/.]+ and requires the slash.
func route(path string) (collection, pk string, ok bool) {
	rest, found := strings.CutPrefix(path, apiRoot)
	if !found {
		return "", "", false
	}
	for _, c := range []string{invitationPath, emailPath} {
		tail, found := strings.CutPrefix(rest, c)
		if !found {
			continue
		}
		if tail == "" {
			return c, "", true
		}
		lookup, found := strings.CutSuffix(tail, "/")
		if found && lookup != "" && !strings.ContainsAny(lookup, "/.") {
			return c, lookup, true
		}
	}
	return "", "", false
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
