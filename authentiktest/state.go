package authentiktest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
)

// The collection paths the snapshots and Add methods use (see collections).
const (
	emailPath      = "stages/email/"
	invitationPath = "stages/invitation/stages/"
	invitesPath    = "stages/invitation/invitations/"
)

// Invitations returns the invitations the server holds now (expired ones
// too), ordered by name.
func (s *Server) Invitations() []authentik.Invitation {
	return snapshot[authentik.Invitation](s, invitesPath)
}

// AddInvitations adds invitations. An empty PK is generated; an empty
// CreatedBy is the token's user; Flow, when set, names one of the server's
// flows (those its stages were added with), whose FlowObj is filled in.
func (s *Server) AddInvitations(invs ...authentik.Invitation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := collectionAt(invitesPath)
	for _, inv := range invs {
		inv.PK = orUUID(inv.PK)
		if inv.FixedData == nil {
			inv.FixedData = map[string]any{}
		}
		b, _ := json.Marshal(inv)
		var fields map[string]any
		_ = json.Unmarshal(b, &fields)
		if inv.CreatedBy.Username == "" {
			fields["created_by"] = s.user()
		}
		if inv.Flow == "" {
			fields["flow"] = nil
		}
		if inv.Expires != nil {
			fields["expires"] = inv.Expires.UTC().Format("2006-01-02T15:04:05.999999Z07:00")
		}
		fields["flow_obj"] = s.flowObject(fields["flow"])
		s.data[invitesPath] = append(s.data[invitesPath], c.newRow(fields))
	}
}

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

// EmailStages returns the email stages the server holds now, ordered by name.
func (s *Server) EmailStages() []authentik.EmailStage {
	return snapshot[authentik.EmailStage](s, emailPath)
}

// InvitationStages returns the invitation stages the server holds now, ordered by name.
func (s *Server) InvitationStages() []authentik.InvitationStage {
	return snapshot[authentik.InvitationStage](s, invitationPath)
}

// snapshot decodes a collection's rows, ordered by name (then pk).
func snapshot[T any](s *Server, path string) []T {
	s.mu.Lock()
	rows := append([]row(nil), s.data[path]...)
	s.mu.Unlock()
	sort.SliceStable(rows, func(i, j int) bool {
		if c := strings.Compare(rows[i].name, rows[j].name); c != 0 {
			return c < 0
		}
		return rows[i].pk < rows[j].pk
	})
	out := make([]T, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.json, &out[i]); err != nil {
			panic("authentiktest: a stored object does not decode: " + err.Error()) // the fake's own bug
		}
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
