package authentiktest

import (
	"crypto/sha256"
	"fmt"
	"net/http"
)

// collection is one collection the fake serves: where, how it filters and
// orders, which fields a write may set and how they are checked, and its extra
// routes. The dispatcher (handler.go) serves every collection from this table;
// adding a resource to the fake is one entry here.
type collection struct {
	path     string // below /api/v3/, with the trailing slash
	model    string // Django's object_name, for "No <model> matches the given query."
	filters  []filterSpec
	ordering map[string]bool // OrderingFilter's valid fields; the default is "name"
	fields   []field         // writable serializer fields; nil: read-only (GET only)
	stage    bool            // a Stage: its name is unique across every stage collection
	bySlug   bool            // looked up by slug (flows), not by a UUID pk
	computed map[string]any  // what the serializer adds to every object
	actions  map[string]action
	order    string     // the view's default ordering; "" is "name"
	search   [][]string // the view's search_fields, through relations; nil is name
	expiring bool       // an ExpiringModel: expired objects are hidden
	// derive fills the fields computed from others or from the request's user
	// (created_by, flow_obj), on create and on every update. Called with s.mu held.
	derive func(s *Server, fields map[string]any, created bool)
}

// action is an @action route of the viewset: detail ones below an object
// (used_by), list ones beside the collection (templates). Both are
// pagination_class=None, filter_backends=[]: a bare JSON array.
type action struct {
	detail bool
	serve  func(s *Server, r row) any // a GET action; r is the zero row for a list action
	// send is a POST action, answering its own status and body.
	send func(s *Server, r row, req *http.Request, body []byte) (int, any)
}

func (a action) exists() bool { return a.serve != nil || a.send != nil }

// usedByAction is UsedByMixin.used_by (authentik/core/api/used_by.py).
var usedByAction = action{detail: true, serve: (*Server).usedBy}

// collections is the fake's table (authentik/api/v3/urls.py registers the
// viewsets with DRF's router).
var collections = []*collection{
	{
		// EmailStageViewSet and EmailStageSerializer (authentik/stages/email/api.py)
		// on the EmailStage model's fields and defaults (models.py).
		path: "stages/email/", model: "EmailStage", filters: emailFilters, ordering: emailOrdering, stage: true,
		fields: []field{
			{name: "name", kind: textField},
			{name: "use_global_settings", kind: boolField, def: false},
			{name: "host", kind: textField, def: "localhost"},
			{name: "port", kind: intField, def: int64(25), min: int32Min, max: int32Max},
			{name: "username", kind: blankTextField, def: ""},
			{name: "password", kind: blankTextField, def: "", writeOnly: true},
			{name: "use_tls", kind: boolField, def: false},
			{name: "use_ssl", kind: boolField, def: false},
			{name: "timeout", kind: intField, def: int64(10), min: int32Min, max: int32Max},
			{name: "from_address", kind: emailField, def: "system@authentik.local"},
			{name: "token_expiry", kind: durationField, def: "minutes=30"},
			{name: "subject", kind: textField, def: "authentik"},
			{name: "template", kind: templateField, def: "email/password_reset.html"},
			{name: "activate_user_on_success", kind: boolField, def: false},
			{name: "recovery_max_attempts", kind: intField, def: int64(5), min: 0, max: int32Max},
			{name: "recovery_cache_timeout", kind: durationField, def: "minutes=5"},
		},
		computed: map[string]any{"component": emailComponent, "verbose_name": "Email Stage",
			"verbose_name_plural": "Email Stages", "meta_model_name": "authentik_stages_email.emailstage"},
		actions: map[string]action{
			"used_by":   usedByAction,
			"templates": {serve: func(*Server, row) any { return templateList() }},
		},
	},
	{
		// InvitationStageViewSet and InvitationStageSerializer (authentik/stages/invitation/api.py).
		path: "stages/invitation/stages/", model: "InvitationStage", filters: invitationFilters,
		ordering: invitationOrdering, stage: true,
		fields: []field{
			{name: "name", kind: textField},
			{name: "continue_flow_without_invitation", kind: boolField, def: false},
		},
		computed: map[string]any{"component": invitationComponent, "verbose_name": "Invitation Stage",
			"verbose_name_plural": "Invitation Stages", "meta_model_name": "authentik_stages_invitation.invitationstage"},
		actions: map[string]action{"used_by": usedByAction},
	},
	{
		// FlowViewSet (authentik/flows/api/flows.py): read-only here, looked up
		// by slug (lookup_field = "slug"), filterable by slug and designation.
		path: "flows/instances/", model: "Flow", filters: flowFilters, ordering: flowOrdering, bySlug: true, order: "slug",
	},
	{
		// InvitationViewSet and InvitationSerializer (authentik/stages/invitation/
		// api.py) on the Invitation model (models.py): name is not unique,
		// expires and flow are nullable, created_by is the request's user
		// (perform_create), flow_obj the flow's FlowSerializer.
		path: "stages/invitation/invitations/", model: "Invitation", filters: invitationObjectFilters,
		ordering: invitationObjectOrdering, order: "-expires", expiring: true,
		search: [][]string{{"name"}, {"created_by", "username"}, {"expires"}, {"flow_obj", "slug"}},
		fields: []field{
			{name: "name", kind: slugField},
			{name: "expires", kind: datetimeField, nullable: true},
			{name: "fixed_data", kind: dictField, def: map[string]any{}},
			{name: "single_use", kind: boolField, def: false},
			{name: "flow", kind: flowField, nullable: true},
		},
		derive: func(s *Server, fields map[string]any, created bool) {
			if created {
				fields["created_by"] = s.user()
			}
			fields["flow_obj"] = s.flowObject(fields["flow"])
		},
		actions: map[string]action{"used_by": {detail: true, serve: func(*Server, row) any { return []any{} }},
			"send_email": {detail: true, send: (*Server).sendEmail}},
	},
}

// collectionAt is the collection whose path is p.
func collectionAt(p string) *collection {
	for _, c := range collections {
		if c.path == p {
			return c
		}
	}
	return nil
}

// templateList is the templates action (EmailStageViewSet.templates): a
// TypeCreateSerializer for each choice of get_template_choices, component and
// model_name empty.
func templateList() []map[string]any {
	out := make([]map[string]any, len(emailTemplates))
	for i, t := range emailTemplates {
		out[i] = map[string]any{"name": t.Name, "description": t.Description, "component": "", "model_name": "",
			"requires_enterprise": false, "deprecated": false}
	}
	return out
}

// usedBy is UsedByMixin.used_by for a stage: the managers of the object in
// alphabetical order, so first the flows it is bound to (the reverse
// many-to-many flow_set: cascade_many, named by Flow.__str__ "Flow <name>
// (<slug>)"), then its FlowStageBinding rows (cascade, named by
// FlowStageBinding.__str__ "Flow-stage binding #<order> to <flow uuid>"). The
// fake binds each flow at order 10 and derives the binding's pk from the
// stage's and the flow's.
func (s *Server) usedBy(r row) any {
	flows, _ := r.fields["flow_set"].([]any)
	out := make([]map[string]string, 0, 2*len(flows))
	var bindings []map[string]string
	for _, f := range flows {
		flow, _ := f.(map[string]any)
		pk, _ := flow["pk"].(string)
		name, _ := flow["name"].(string)
		slug, _ := flow["slug"].(string)
		out = append(out, map[string]string{"app": "authentik_flows", "model_name": "flow", "pk": pk,
			"name": fmt.Sprintf("Flow %s (%s)", name, slug), "action": "cascade_many"})
		bindings = append(bindings, map[string]string{"app": "authentik_flows", "model_name": "flowstagebinding",
			"pk": bindingPK(r.pk, pk), "name": "Flow-stage binding #10 to " + pk, "action": "cascade"})
	}
	return append(out, bindings...)
}

// bindingPK is a stable UUID for the binding of stage to flow.
func bindingPK(stage, flow string) string {
	h := sha256.Sum256([]byte(stage + "/" + flow))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// methodNotAllowed is DRF's MethodNotAllowed.
func methodNotAllowed(method string) (int, any) {
	return http.StatusMethodNotAllowed, detail(fmt.Sprintf("Method %q not allowed.", method))
}

// user is the token's user, as PartialUserSerializer shows it: the fake's one
// user, authentik's default admin.
func (s *Server) user() map[string]any {
	return map[string]any{"pk": 1.0, "username": "akadmin", "name": "authentik Default Admin", "is_active": true,
		"last_login": nil, "email": "root@localhost", "attributes": map[string]any{},
		"uid": "7b0a1c2f9d3e4b5a6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b"}
}

// sendEmail is InvitationViewSet.send_email (authentik 2026.8): it reads
// request.data itself (its serializer only documents the body), answers
// {"error": ...} with 400 for no addresses or an invitation bound to no flow,
// queues the emails (here: nothing; RequestLog has the request) and answers 204.
func (s *Server) sendEmail(r row, req *http.Request, body []byte) (int, any) {
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
