package authentiktest

import (
	"fmt"
	"net/http"
	"reflect"
)

// collection is one collection the fake serves: where, how it filters and
// orders, which fields a write may set and how they are checked, how it
// relates to the other collections, and its extra routes. The dispatcher
// (handler.go), the store (store.go) and the relations (relations.go) serve
// every collection from this description alone; each resource declares its
// own in one file (email_stages.go, invitation_stages.go, flows.go,
// flow_stage_bindings.go, invitations.go) and is listed in collections.
type collection struct {
	path string // below /api/v3/, with the trailing slash
	// model is Django's object_name: "No <model> matches the given query.",
	// and the name a reference to this collection's objects gives.
	model string
	app   string       // the model's app_label, as used_by names it
	typ   reflect.Type // the SDK model the collection serves (Add, Objects)
	// str is the model's __str__, the name used_by gives an object; nil is
	// Django's default "<model> object (<pk>)".
	str      func(fields map[string]any) string
	filters  []filterSpec
	ordering map[string]bool // OrderingFilter's valid fields
	order    string          // the view's default ordering; "" is "name"
	// meta is the model's Meta.ordering ("a,b"), the order its related
	// managers (used_by) give; "" is the order objects were added in.
	meta     string
	search   []searchField  // the view's search_fields; nil is name
	fields   []field        // writable serializer fields; nil: read-only (GET only)
	computed map[string]any // what the serializer adds to every object
	actions  map[string]action
	// lookup is the view's lookup_field when it is not the UUID pk ("slug").
	lookup string
	// base is the base model of a multi-table inheritance that the
	// collections naming it share (every stage type is a row of Stage): its
	// pk is one object across them, its unique fields unique across them,
	// and a reference to it names an object of any of them.
	base *baseModel
	// union lists every object of the collections whose base it is, shown
	// with its fields (stages/all/: StageViewSet over Stage.objects, each
	// as StageSerializer shows it), read and delete only.
	union *baseModel
	show  []string
	// expiring is an ExpiringModel: expired objects are hidden.
	expiring bool
	// refs are the model's foreign keys (relations.go).
	refs []reference
	// manyToMany are the model's many-to-many fields through another
	// collection (relations.go).
	manyToMany []manyToMany
	// reverse are read-only lists of the objects of another model that name
	// this one (relations.go).
	reverse []reverseList
	// unique are the model's unique fields and unique_together sets.
	unique []uniqueSet
	// derive fills the fields computed from others or from the request's user
	// (created_by, export_url), on create, on every update and on Add. Called
	// with s.mu held.
	derive func(s *Server, fields map[string]any)
	// check is the serializer's validate(), or a validate_<field> that reads
	// other fields: the error of values whose fields are each valid, or "",
	// and its field ("" for validate()'s non_field_errors). values holds
	// what the request set (with the model's defaults on a create).
	check func(values map[string]any) (field, msg string)
	// add stores one object given to Add (and the Add* helpers), as
	// JSON fields, by calling store with them; it may adapt them first and
	// store related objects after. nil: stored as given. Called with s.mu held.
	add func(s *Server, fields map[string]any, store func(map[string]any) row) row
}

// collections is the fake's table, filled by init (zz_collections.go,
// generated from the declarations).
var collections []*collection

// action is an @action route of the viewset: detail ones below an object
// (used_by), list ones beside the collection (templates). Both are
// pagination_class=None, filter_backends=[]: a bare JSON array.
type action struct {
	detail bool
	// serve is a GET action; r is the zero row for a list action. Called
	// without s.mu.
	serve func(s *Server, c *collection, r row) any
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

// is reports whether a reference to model names this collection's objects:
// its own model, or its base.
func (c *collection) is(model string) bool {
	return c.model == model || (c.base != nil && c.base.name == model)
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
