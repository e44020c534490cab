package authentiktest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Add adds objects to the server, to the collection that serves T: any SDK
// model the fake serves (authentik.Flow, authentik.FlowStageBinding,
// authentik.EmailStage, authentik.InvitationStage, authentik.Invitation). It
// panics for a type the fake does not serve.
//
// Each object is stored as given, as test data: its zero values are what
// the test said, no field is validated and no unique constraint checked. An
// empty PK is generated; what the server computes (a flow's export URL and
// background URLs, a stage's component and verbose names, an invitation's
// creator when empty) is filled in; what a relation derives (a flow's
// Stages, a stage's FlowSet, a binding's StageObj, an invitation's FlowObj)
// is not stored but always computed from the other objects. An object whose
// PK the server holds replaces it (a stage's PK across every stage type).
// A reference (a binding's Target and Stage, an invitation's Flow) must name
// an object the server holds, or Add panics: add the flow and the stage
// before their bindings. A stage's FlowSet is its bindings: see
// AddEmailStages.
func Add[T any](s *Server, objs ...T) {
	c := servedBy(reflect.TypeFor[T](), "Add")
	if c.union != nil {
		panic(fmt.Sprintf("authentiktest: Add: %v is the view of every stage type (/api/v3/%s); add stages of a type (EmailStage, DenyStage, ...)",
			reflect.TypeFor[T](), c.path))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range objs {
		fields, keys := fieldsOf(o)
		s.addLocked(c, fields, keys)
	}
}

// Objects returns what the server holds of the collection that serves T
// (see Add), as its list endpoint would list it with no query: its default
// ordering, every page, derived fields computed (expired invitations are
// hidden, as the API hides them). They are copies: changing them changes
// nothing on the server. It panics for a type the fake does not serve.
func Objects[T any](s *Server) []T {
	c := servedBy(reflect.TypeFor[T](), "Objects")
	s.mu.Lock()
	rows := s.rowsLocked(c)
	s.mu.Unlock()
	orderRows(rows, nil, c.ordering, c.defaultOrder())
	return decodeRows[T](rows)
}

// servedBy is the collection that serves the SDK model t; what asks is
// named in the panic for a type no collection serves.
func servedBy(t reflect.Type, what string) *collection {
	for _, c := range collections {
		if c.typ == t {
			return c
		}
	}
	var served []string
	for _, c := range collections {
		served = append(served, c.typ.String())
	}
	panic(fmt.Sprintf("authentiktest: %s: the fake serves no %v (it serves %v)", what, t, served))
}

// addLocked stores one object given to Add as JSON fields, through the
// collection's add hook; keys nil is the order c's SDK model writes. Called
// with s.mu held.
func (s *Server) addLocked(c *collection, fields map[string]any, keys keyOrder) row {
	if keys == nil {
		keys = typeKeys(c.typ)
	}
	store := func(f map[string]any) row {
		s.references(c, f)
		return s.put(c, f, keys)
	}
	if c.add != nil {
		return c.add(s, fields, store)
	}
	return store(fields)
}

// snapshot is what the server holds of c now, expired objects too, as its
// serializer shows them, ordered by name (then pk).
func snapshot[T any](s *Server, c *collection) []T {
	s.mu.Lock()
	rows := make([]row, len(s.data[c.path]))
	for i, r := range s.data[c.path] {
		rows[i] = s.present(c, r, nil, 0)
	}
	s.mu.Unlock()
	sort.SliceStable(rows, func(i, j int) bool {
		if c := strings.Compare(rows[i].name, rows[j].name); c != 0 {
			return c < 0
		}
		return rows[i].pk < rows[j].pk
	})
	return decodeRows[T](rows)
}

func decodeRows[T any](rows []row) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.body(), &out[i]); err != nil {
			panic("authentiktest: a stored object does not decode: " + err.Error()) // the fake's own bug
		}
	}
	return out
}
