package authentiktest

import (
	"fmt"
	"net/http"

	"github.com/authentik-go/authentik"
)

// invitationStr is Invitation.__str__, the creator as User.__str__ (the
// username).
func invitationStr(f map[string]any) string {
	by, _ := f["created_by"].(map[string]any)
	return fmt.Sprintf("Invitation %v created by %v", f["pk"], by["username"])
}

// invitationSearch is InvitationViewSet.search_fields: expires is searched
// as PostgreSQL prints a timestamp.
var invitationSearch = []searchField{{path: []string{"name"}}, {path: []string{"created_by", "username"}},
	{path: []string{"expires"}, text: postgresTimestamp}, {path: []string{"flow_obj", "slug"}}}

// invitationRefs: flow is ForeignKey(Flow, null=True, default=None,
// on_delete=SET_DEFAULT), shown as flow_obj by FlowSerializer.
var invitationRefs = []reference{{field: "flow", to: "Flow", onDelete: setDefault, obj: "flow_obj"}}

// deriveInvitation: created_by is the request's user (perform_create).
func deriveInvitation(s *Server, fields map[string]any) {
	if fields["created_by"] == nil {
		fields["created_by"] = s.user()
	}
}

// Invitations returns the invitations the server holds now (expired ones
// too), ordered by name.
func (s *Server) Invitations() []authentik.Invitation {
	return snapshot[authentik.Invitation](s, invitations)
}

// AddInvitations adds invitations, as Add does. An empty PK is generated, and
// a PK the server holds already is replaced by the new invitation; an empty
// CreatedBy is the token's user; nil FixedData is {}; Flow, when set, names
// one of the server's flows (Add panics otherwise), whose FlowObj is shown.
func (s *Server) AddInvitations(invs ...authentik.Invitation) {
	Add(s, invs...)
}

// addInvitation is the invitations' add hook: the Go zero values that mean
// "none" stored as authentik stores none (no creator: the token's user; no
// flow: null; no fixed data: {}), the expiry as DRF writes it.
func addInvitation(_ *Server, fields map[string]any, store func(map[string]any) row) row {
	if fields["fixed_data"] == nil {
		fields["fixed_data"] = map[string]any{}
	}
	if by, _ := fields["created_by"].(map[string]any); by["username"] == "" {
		delete(fields, "created_by")
	}
	if fields["flow"] == "" {
		fields["flow"] = nil
	}
	if exp, ok := fields["expires"].(string); ok {
		if t, err := parseISOTime(exp); err == nil {
			fields["expires"] = drfDateTime(t)
		}
	}
	return store(fields)
}

// sendInvitationEmail is InvitationViewSet.send_email (authentik 2026.8): it
// reads request.data itself (its serializer only documents the body), answers
// {"error": ...} with 400 for no addresses or an invitation bound to no flow,
// queues the emails (here: nothing; RequestLog has the request) and answers 204.
func sendInvitationEmail(_ *Server, r row, req *http.Request, body []byte) (int, any) {
	data, status, out := parseBody(req, body)
	if data == nil {
		return status, out
	}
	if to, _ := data["email_addresses"].([]any); len(to) == 0 {
		return http.StatusBadRequest, map[string]string{"error": "No email addresses provided"}
	}
	if r.fields["flow"] == nil {
		return http.StatusBadRequest, map[string]string{"error": "Invitation has no associated flow"}
	}
	return http.StatusNoContent, nil
}
