package authentiktest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
)

// TestAddSamePKReplaces: an Add* with a pk the server holds replaces that
// object, for every collection, so a DELETE leaves nothing behind; and a
// stage pk is one stage whatever its type (Stage.stage_uuid is the primary
// key of the base table every stage type shares, authentik/flows/models.py).
func TestAddSamePKReplaces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path, model string
		add               func(s *Server, pk, name string)
		names             func(s *Server) []string
	}{
		{"email stages", "/api/v3/stages/email/", "EmailStage",
			func(s *Server, pk, name string) { s.AddEmailStages(authentik.EmailStage{PK: pk, Name: name}) },
			func(s *Server) []string {
				return namesOf(s.EmailStages(), func(x authentik.EmailStage) string { return x.Name })
			}},
		{"invitation stages", "/api/v3/stages/invitation/stages/", "InvitationStage",
			func(s *Server, pk, name string) { s.AddInvitationStages(authentik.InvitationStage{PK: pk, Name: name}) },
			func(s *Server) []string {
				return namesOf(s.InvitationStages(), func(x authentik.InvitationStage) string { return x.Name })
			}},
		{"invitations", "/api/v3/stages/invitation/invitations/", "Invitation",
			func(s *Server, pk, name string) { s.AddInvitations(authentik.Invitation{PK: pk, Name: name}) },
			func(s *Server) []string {
				return namesOf(s.Invitations(), func(x authentik.Invitation) string { return x.Name })
			}},
	}
	const pk = "00000000-0000-4000-8000-0000000000a1"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Start(t, WithToken(testToken))
			tt.add(s, pk, "first")
			tt.add(s, pk, "second")
			if got := tt.names(s); !reflect.DeepEqual(got, []string{"second"}) {
				t.Errorf("snapshot %v, want [second]", got)
			}
			r := get(t, s, "GET", tt.path, "Bearer "+testToken)
			if got, want := decodeList(t, r.body), (listOf{page(0, 0, 1, 1, 1, 1, 1), []string{"second"}, map[string]any{}}); !reflect.DeepEqual(got, want) {
				t.Errorf("list %+v, want %+v", got, want)
			}
			if r := send(t, s, "DELETE", tt.path+pk+"/", "", ""); r.status != 204 || len(r.body) != 0 {
				t.Errorf("delete: %d %s", r.status, r.body)
			}
			if r := get(t, s, "GET", tt.path+pk+"/", "Bearer "+testToken); r.status != 404 ||
				string(r.body) != `{"detail":"No `+tt.model+` matches the given query."}` {
				t.Errorf("after delete: %d %s", r.status, r.body)
			}
			if got := tt.names(s); len(got) != 0 {
				t.Errorf("snapshot after delete %v", got)
			}
		})
	}
	t.Run("one stage pk across stage types", func(t *testing.T) {
		t.Parallel()
		s := Start(t, WithToken(testToken))
		s.AddEmailStages(authentik.EmailStage{PK: pk, Name: "as-email"})
		s.AddInvitationStages(authentik.InvitationStage{PK: pk, Name: "as-invitation"})
		if got := len(s.EmailStages()); got != 0 {
			t.Errorf("%d email stages, want 0", got)
		}
		if got := namesOf(s.InvitationStages(), func(x authentik.InvitationStage) string { return x.Name }); !reflect.DeepEqual(got, []string{"as-invitation"}) {
			t.Errorf("invitation stages %v", got)
		}
		if r := get(t, s, "GET", "/api/v3/stages/email/"+pk+"/", "Bearer "+testToken); r.status != 404 ||
			string(r.body) != `{"detail":"No EmailStage matches the given query."}` {
			t.Errorf("as an email stage: %d %s", r.status, r.body)
		}
		if r := get(t, s, "GET", "/api/v3/stages/invitation/stages/"+pk+"/", "Bearer "+testToken); r.status != 200 ||
			!strings.Contains(string(r.body), `"name":"as-invitation"`) {
			t.Errorf("as an invitation stage: %d %s", r.status, r.body)
		}
	})
}

func namesOf[T any](xs []T, name func(T) string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, name(x))
	}
	return out
}

// TestIntegerFiltersSeeEveryRow: integer filters (django-filter's exact
// NumberFilter) and ordering (OrderingFilter) treat a number the same
// whether the row came from Add*, POST, PATCH or PUT, or a model default.
func TestIntegerFiltersSeeEveryRow(t *testing.T) {
	t.Parallel()
	s := Start(t, WithToken(testToken))
	const email = "/api/v3/stages/email/"
	s.AddEmailStages(authentik.EmailStage{Name: "a-added", Port: 2525, Timeout: 30})
	for _, body := range []string{`{"name":"b-posted","port":2525,"timeout":5}`, `{"name":"c-posted","port":"587"}`, `{"name":"d-posted","port":25,"timeout":20}`} {
		if r := send(t, s, "POST", email, "application/json", body); r.status != 201 {
			t.Fatalf("create %s: %d %s", body, r.status, r.body)
		}
	}
	d := s.EmailStages()[3]
	if r := send(t, s, "PATCH", email+d.PK+"/", "application/json", `{"port":465}`); r.status != 200 {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	if r := send(t, s, "PUT", email+d.PK+"/", "application/json", `{"name":"d-posted","timeout":10}`); r.status != 200 {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	tests := []struct {
		query string
		names []string
	}{
		{"?port=2525", []string{"a-added", "b-posted"}},                             // Add* and POST
		{"?port=465", []string{"d-posted"}},                                         // PATCH
		{"?port=587", []string{"c-posted"}},                                         // POST of a string
		{"?timeout=10", []string{"c-posted", "d-posted"}},                           // the model's default and PUT
		{"?ordering=port", []string{"d-posted", "c-posted", "a-added", "b-posted"}}, // ties keep the order added
		{"?ordering=-timeout", []string{"a-added", "c-posted", "d-posted", "b-posted"}},
		{"?ordering=timeout,-port", []string{"b-posted", "c-posted", "d-posted", "a-added"}},
	}
	for _, tt := range tests {
		r := get(t, s, "GET", email+tt.query, "Bearer "+testToken)
		n := len(tt.names)
		if got, want := decodeList(t, r.body), (listOf{page(0, 0, n, 1, 1, min(n, 1), n), tt.names, map[string]any{}}); r.status != 200 || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d %+v, want %+v", tt.query, r.status, got, want)
		}
	}
}

// flowList is the pks of a flow list's results and the stages each has.
func flowList(t *testing.T, s *Server, query string) map[string][]string {
	t.Helper()
	r := get(t, s, "GET", "/api/v3/flows/instances/"+query, "Bearer "+testToken)
	var env struct {
		Results []struct {
			PK     string   `json:"pk"`
			Stages []string `json:"stages"`
		} `json:"results"`
	}
	if err := json.Unmarshal(r.body, &env); r.status != 200 || err != nil {
		t.Fatalf("flows%s: %d %s %v", query, r.status, r.body, err)
	}
	out := map[string][]string{}
	for _, f := range env.Results {
		out[f.PK] = f.Stages
	}
	return out
}

// TestFlowSetNamesAnExistingFlow: flow slugs are unique (Flow.slug is
// SlugField(unique=True), authentik/flows/models.py), so a FlowSet entry
// that names a flow the server holds, by pk or by slug, binds the stage to
// that flow; one whose slug another flow has is refused.
func TestFlowSetNamesAnExistingFlow(t *testing.T) {
	t.Parallel()
	s := Start(t, WithToken(testToken))
	const (
		flowPK                  = "2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
		slug                    = "default-recovery-flow"
		byPK, bySlug, invBySlug = "00000000-0000-4000-8000-0000000000b1", "00000000-0000-4000-8000-0000000000b2", "00000000-0000-4000-8000-0000000000b3"
	)
	recovery := authentik.FlowSet{PK: flowPK, Name: "Default recovery flow", Slug: slug, Title: "Reset your password",
		Designation: authentik.FlowDesignationRecovery}
	s.AddEmailStages(authentik.EmailStage{PK: byPK, Name: "by-pk", FlowSet: []authentik.FlowSet{recovery}})
	s.AddEmailStages(authentik.EmailStage{PK: bySlug, Name: "by-slug", FlowSet: []authentik.FlowSet{{Slug: slug}}})
	s.AddInvitationStages(authentik.InvitationStage{PK: invBySlug, Name: "inv-by-slug", FlowSet: []authentik.FlowSet{{Slug: slug, Name: "Default recovery flow"}}})

	want := map[string][]string{flowPK: {byPK, bySlug, invBySlug}}
	if got := flowList(t, s, "?slug="+slug); !reflect.DeepEqual(got, want) {
		t.Errorf("?slug=%s: %v, want %v", slug, got, want)
	}
	if got := flowList(t, s, ""); !reflect.DeepEqual(got, want) {
		t.Errorf("all flows: %v, want %v", got, want)
	}
	// The stage bound by slug shows the flow as the server holds it.
	stages := s.EmailStages()
	if len(stages) != 2 || len(stages[1].FlowSet) != 1 || !reflect.DeepEqual(stages[1].FlowSet, stages[0].FlowSet) || stages[1].FlowSet[0].Title != "Reset your password" {
		t.Errorf("flow_set by slug %+v\nwant %+v", stages[1].FlowSet, stages[0].FlowSet)
	}
	// Two entries naming one new slug make one flow.
	s.AddEmailStages(authentik.EmailStage{Name: "new-slug-twice", FlowSet: []authentik.FlowSet{{Slug: "fresh"}}},
		authentik.EmailStage{Name: "new-slug-again", FlowSet: []authentik.FlowSet{{Slug: "fresh"}}})
	if got := flowList(t, s, "?slug=fresh"); len(got) != 1 {
		t.Errorf("?slug=fresh: %v, want one flow", got)
	}
	for _, st := range s.EmailStages() {
		if st.Name == "new-slug-twice" || st.Name == "new-slug-again" {
			if len(st.FlowSet) != 1 || len(flowList(t, s, "?slug=fresh")[st.FlowSet[0].PK]) != 2 {
				t.Errorf("%s bound to %+v", st.Name, st.FlowSet)
			}
		}
	}

	// A slug another flow has, or a known pk with another slug, is the calling test's mistake.
	for _, f := range []authentik.FlowSet{{PK: "00000000-0000-4000-8000-0000000000c1", Slug: slug}, {PK: flowPK, Slug: "another-slug"}} {
		func() {
			defer func() {
				r := recover()
				if msg := fmt.Sprint(r); r == nil || !strings.Contains(msg, `"`+f.Slug+`"`) || !strings.Contains(msg, "unique") {
					t.Errorf("FlowSet %s %q: recovered %v", f.PK, f.Slug, r)
				}
			}()
			s.AddEmailStages(authentik.EmailStage{Name: "conflict", FlowSet: []authentik.FlowSet{f}})
		}()
	}
	if got := flowList(t, s, "?slug="+slug); !reflect.DeepEqual(got, want) {
		t.Errorf("after the refusals ?slug=%s: %v, want %v", slug, got, want)
	}
	if got := flowList(t, s, "?slug=another-slug"); len(got) != 0 {
		t.Errorf("?slug=another-slug: %v", got)
	}
	if got := len(s.EmailStages()); got != 4 {
		t.Errorf("%d email stages, want 4 (no conflict stored)", got)
	}
}
