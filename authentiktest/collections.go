package authentiktest

import (
	"fmt"
	"net/http"
)

// collection is one collection the fake serves: where, how it filters and
// orders, which fields a write may set and how they are checked, and its extra
// routes. The dispatcher (handler.go) and the store (store.go) serve every
// collection from this description alone; each resource declares its own in
// one file (email_stages.go, invitation_stages.go, flows.go, invitations.go)
// and is listed in collections.
type collection struct {
	path     string // below /api/v3/, with the trailing slash
	model    string // Django's object_name, for "No <model> matches the given query."
	filters  []filterSpec
	ordering map[string]bool // OrderingFilter's valid fields
	order    string          // the view's default ordering; "" is "name"
	search   []searchField   // the view's search_fields; nil is name
	fields   []field         // writable serializer fields; nil: read-only (GET only)
	computed map[string]any  // what the serializer adds to every object
	actions  map[string]action
	// lookup is the view's lookup_field when it is not the UUID pk ("slug").
	lookup string
	// base names the base model of a multi-table inheritance that the
	// collections naming it share ("stage": every stage type is a row of
	// Stage, authentik/flows/models.py): its pk (Stage.stage_uuid,
	// primary_key=True) is one object and its name (Stage.name,
	// unique=True) one name across all of them.
	base string
	// expiring is an ExpiringModel: expired objects are hidden.
	expiring bool
	// derive fills the fields computed from others or from the request's user
	// (created_by, flow_obj), on create, on every update and on Add. Called
	// with s.mu held.
	derive func(s *Server, fields map[string]any)
	// view, when set, shows the stored rows with what the serializer
	// computes from the other collections (a flow's stages). Called with s.mu held.
	view func(s *Server, stored []row) []row
}

// collections is the fake's table (authentik/api/v3/urls.py registers the
// viewsets with DRF's router).
var collections = []*collection{emailStages, invitationStages, flows, invitations}

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

func (c *collection) defaultOrder() string {
	if c.order != "" {
		return c.order
	}
	return "name"
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
