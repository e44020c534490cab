package authentiktest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/authentik-go/authentik/internal/pysyntax"
)

// Relations between collections are declared on the collections as Django
// declares them on the models: a foreign key on the referring model
// (reference), a many-to-many on the model that owns it through a model of
// its own (manyToMany), unique fields and unique_together (uniqueSet). From
// the declarations alone the fake derives what serializers show of related
// objects (a nested object, a list of pks, a reverse list), what used_by
// lists, what a delete takes with it, and which writes break a constraint.
// Nothing derived is stored: it is computed from the rows when shown.

// onDelete is a foreign key's on_delete (django/db/models/deletion.py).
type onDelete int

const (
	cascade    onDelete = iota // CASCADE: the referring object is deleted too
	setNull                    // SET_NULL: its reference becomes null
	setDefault                 // SET_DEFAULT: its reference takes the field's default (null here)
	// manyPKs is a many-to-many whose field lists the related pks (no
	// through collection the fake serves): deleting a related object takes
	// it off the list (Django deletes the link rows), and used_by calls that
	// cascade_many.
	manyPKs
)

// usedBy is the action used_by gives a reference's on_delete
// (authentik/core/api/used_by.py, get_delete_action).
func (d onDelete) usedBy() string {
	switch d {
	case setNull:
		return "set_null"
	case setDefault:
		return "set_default"
	case manyPKs:
		return "cascade_many"
	}
	return "cascade"
}

// reference is a foreign key of a collection's model.
type reference struct {
	field string // the serializer field holding the referenced pk ("target")
	// to is the referenced model: a collection's model, or a base that
	// several collections share (any of them holds the object).
	to       string
	onDelete onDelete
	// related is the reverse accessor on the referenced model (related_name);
	// "" is Django's default, "<model>_set".
	related string
	// obj is a read-only serializer field nesting the referenced object
	// (source=<field>, "stage_obj"); "" when the serializer shows none.
	obj string
	// show are the nested serializer's fields, in its order; nil: the
	// referenced collection's whole object.
	show []string
	// stub is what obj shows for a model the fake does not serve: the
	// nested serializer's required fields, empty, with the pk under
	// stubKey (the fake knows nothing else of the object).
	stub    map[string]any
	stubKey string
}

// stubFor is the stub with pk.
func (r reference) stubFor(pk string) map[string]any {
	out := make(map[string]any, len(r.stub)+1)
	for k, v := range r.stub {
		out[k] = v
	}
	out[r.stubKey] = pk
	return out
}

// reverseList is a read-only serializer field listing the objects of another
// model whose list field via names this one (PromptSerializer's
// prompt_stages_obj: the prompt stages whose fields hold the prompt).
type reverseList struct {
	field, model, via string
}

// manyToMany is a ManyToManyField through a model of its own: its rows'
// references source (to the owner) and target (to the related model) link
// the two.
type manyToMany struct {
	field   string // on the owner's serializer: the pks of the related objects ("stages")
	related string // on the related model's serializer: the owners ("flow_set")
	through string // the through model: a collection's model
	source  string // the through model's reference to the owner
	target  string // the through model's reference to the related model
	// show are the fields of the serializer the related model nests the
	// owners with (FlowSetSerializer), in its order.
	show []string
}

// uniqueSet is a unique field (one name) or a Meta.unique_together set.
type uniqueSet struct {
	fields []string
	// verbose is the model's verbose_name, which DRF's UniqueValidator
	// message names (rest_framework/utils/field_mapping.py,
	// get_unique_error_message).
	verbose string
}

// baseModel is the parent of a multi-table inheritance (Stage for every
// stage type): a reference to it names an object of any collection naming
// it as base.
type baseModel struct {
	name   string // object_name
	app    string // app_label
	str    func(fields map[string]any) string
	unique []uniqueSet // unique across every collection of the base
}

// maxDepth bounds how deep objects nest, against a declaration that would
// nest without end: what the declarations nest (a binding's stage, the
// stage's flows) is two levels deep.
const maxDepth = 4

// modelNamed is the collection whose model is name, or nil.
func modelNamed(name string) *collection {
	for _, c := range collections {
		if c.model == name {
			return c
		}
	}
	return nil
}

// targetModel is the related model of m: what its through model's target
// reference names.
func (m manyToMany) targetModel() string {
	for _, r := range modelNamed(m.through).refs {
		if r.field == m.target {
			return r.to
		}
	}
	panic("authentiktest: many-to-many " + m.field + " through " + m.through + " has no reference " + m.target) // a declaration's bug
}

// describe is what used_by says of the model name: its app, object name and
// __str__ (a collection's, else a base's).
func describe(name string) (app, object string, str func(map[string]any) string) {
	for _, c := range collections {
		if c.model == name {
			return c.app, c.model, c.str
		}
		if c.base != nil && c.base.name == name {
			return c.base.app, c.base.name, c.base.str
		}
	}
	return "", name, nil
}

// heldRow is the stored object of model (a collection's or a base's) whose
// pk is pk, and its collection. Called with s.mu held.
func (s *Server) heldRow(model, pk string) (*collection, row, bool) {
	for _, c := range collections {
		if !c.is(model) {
			continue
		}
		if i := indexOf(s.data[c.path], pk); i >= 0 {
			return c, s.data[c.path][i], true
		}
	}
	return nil, row{}, false
}

// holds reports whether the server holds an object of model with pk (a
// related field's queryset). Called with s.mu held.
func (s *Server) holds(model, pk string) bool {
	_, _, ok := s.heldRow(model, pk)
	return ok
}

// referenceTo reports whether the server holds what c's reference field
// names. Called with s.mu held.
func (s *Server) referenceTo(c *collection) func(field, pk string) bool {
	return func(field, pk string) bool {
		for _, r := range c.refs {
			if r.field == field {
				return !served(r.to) || s.holds(r.to, pk)
			}
		}
		// A reference to a model the fake does not serve (a source, a
		// certificate, a policy): any UUID is taken as given.
		return true
	}
}

// where are the stored rows of c whose field holds value, in the order
// they were added. Called with s.mu held.
func (s *Server) where(c *collection, field, value string) []row {
	var out []row
	for _, r := range s.data[c.path] {
		if v := r.fields[field]; v == value || slices.Contains(pkList(v), any(value)) {
			out = append(out, r)
		}
	}
	return out
}

// served reports whether a collection serves model (or has it as its base).
func served(model string) bool {
	for _, c := range collections {
		if c.is(model) {
			return true
		}
	}
	return false
}

// pkList is a list field's value, nil for anything else.
func pkList(v any) []any {
	l, _ := v.([]any)
	return l
}

// linked are the rows of m's through model whose reference field is pk.
// Called with s.mu held.
func (s *Server) linked(m manyToMany, field, pk string) []row {
	return s.where(modelNamed(m.through), field, pk)
}

// across are the objects of model that m's through rows link to pk: for
// each row whose from reference is pk, the object its to reference names,
// with its collection. Called with s.mu held.
func (s *Server) across(m manyToMany, from, to, model, pk string) (cs []*collection, rows []row) {
	for _, t := range s.linked(m, from, pk) {
		if c, r, ok := s.heldRow(model, text(t.fields[to])); ok {
			cs, rows = append(cs, c), append(rows, r)
		}
	}
	return cs, rows
}

// derived are the fields of c's serializer that its relations compute:
// never stored.
func derived(c *collection) []string {
	var out []string
	for _, r := range c.refs {
		if r.obj != "" {
			out = append(out, r.obj)
		}
	}
	for _, m := range c.manyToMany {
		out = append(out, m.field)
	}
	for _, o := range collections {
		for _, m := range o.manyToMany {
			if c.is(m.targetModel()) {
				out = append(out, m.related)
			}
		}
	}
	return out
}

// present is r as c's serializer shows it: its stored fields, and those its
// relations derive (want: only these; nil: all). Nested objects are shown
// by their own collection's serializer, their keys in its order. Called
// with s.mu held.
func (s *Server) present(c *collection, r row, want []string, depth int) row {
	wanted := func(k string) bool { return want == nil || slices.Contains(want, k) }
	extra := map[string]any{}
	keys := keyOrder{}
	nested := func(field string, oc *collection, or row, show []string) any {
		if depth >= maxDepth {
			return nil
		}
		p := s.present(oc, or, show, depth+1)
		nest(keys, field, p.keys, show)
		return project(p.fields, show)
	}
	for _, ref := range c.refs {
		if ref.obj == "" || !wanted(ref.obj) {
			continue
		}
		extra[ref.obj] = nil // a null relation's nested serializer is null
		switch v := r.fields[ref.field].(type) {
		case string:
			if oc, or, ok := s.heldRow(ref.to, v); ok {
				extra[ref.obj] = nested(ref.obj, oc, or, ref.show)
			} else if ref.stub != nil {
				extra[ref.obj] = ref.stubFor(v)
			}
		case []any: // a many-to-many's pks: its objects, in the list's order
			objs := []any{}
			for _, x := range v {
				pk, _ := x.(string)
				if oc, or, ok := s.heldRow(ref.to, pk); ok {
					objs = append(objs, nested(ref.obj, oc, or, ref.show))
				}
			}
			extra[ref.obj] = objs
		}
	}
	for _, rv := range c.reverse {
		if !wanted(rv.field) {
			continue
		}
		objs := []any{}
		for _, o := range collections {
			if o.model != rv.model {
				continue
			}
			for _, x := range live(o, s.where(o, rv.via, r.pk)) {
				objs = append(objs, nested(rv.field, o, x, nil))
			}
		}
		extra[rv.field] = objs
	}
	for _, m := range c.manyToMany {
		if wanted(m.field) {
			pks := []any{}
			for _, t := range s.linked(m, m.source, r.pk) {
				pks = append(pks, t.fields[m.target])
			}
			extra[m.field] = pks
		}
	}
	for _, o := range collections {
		for _, m := range o.manyToMany {
			if !c.is(m.targetModel()) || !wanted(m.related) {
				continue
			}
			owners := []any{}
			ocs, ors := s.across(m, m.target, m.source, o.model, r.pk)
			for i := range ors {
				owners = append(owners, nested(m.related, ocs[i], ors[i], m.show))
			}
			extra[m.related] = owners
		}
	}
	if len(extra) == 0 {
		return r
	}
	fields := make(map[string]any, len(r.fields)+len(extra))
	for k, v := range r.fields {
		fields[k] = v
	}
	for k, v := range extra {
		fields[k] = v
	}
	for p, order := range r.keys {
		if _, ok := keys[p]; !ok {
			keys[p] = order // nested objects keep their serializer's order
		}
	}
	// The derived values come from stored rows, already in the one
	// representation newRow gives: only the answer's encoding is left, done
	// when it is sent (row.body), for the rows on the page.
	return row{pk: r.pk, name: r.name, fields: fields, keys: keys, secret: r.secret}
}

// text is a stored string value, "" for any other.
func text(v any) string {
	s, _ := v.(string)
	return s
}

// project is the fields of a shown object that a nested serializer shows.
func project(fields map[string]any, show []string) map[string]any {
	if show == nil {
		return fields
	}
	out := make(map[string]any, len(show))
	for _, k := range show {
		if v, ok := fields[k]; ok {
			out[k] = v
		}
	}
	return out
}

// nest orders the keys of an object nested at field: in show's order (its
// serializer's), then the nested row's own, where keys has none yet.
func nest(keys keyOrder, field string, inner keyOrder, show []string) {
	if _, ok := keys[field]; !ok && show != nil {
		keys[field] = show
	}
	for p, order := range inner {
		path := field
		if p != "" {
			path = join(field, p)
		}
		if _, ok := keys[path]; !ok {
			keys[path] = order
		}
	}
}

// live are the rows of c a query sees: an ExpiringModel's expired objects
// are hidden from lists, lookups and related managers alike
// (ExpiringManager.get_queryset, authentik/lib/models.py, since 2025.12).
func live(c *collection, rows []row) []row {
	out := make([]row, 0, len(rows))
	for _, r := range rows {
		if c.expiring && expired(r) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// usedBy is UsedByMixin.used_by (authentik/core/api/used_by.py): for each
// manager of the object, in the order Python's inspect.getmembers gives
// (by attribute name), every object it holds: its app, model, pk,
// str(obj) and what deleting the object does to it. A reverse foreign key
// ("<model>_set") says its on_delete; a many-to-many, forward ("stages") or
// reverse ("flow_set"), is cascade_many. The managers are those the fake's
// relations declare: a real server also lists relations to models the fake
// does not serve (providers, sources, brands), which hold nothing here.
var usedBy = action{detail: true, serve: func(s *Server, c *collection, r row) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.usedByLocked(c, r)
}}

type manager struct {
	name, model, action string
	objs                []row
}

func (s *Server) usedByLocked(c *collection, r row) []map[string]string {
	var ms []manager
	for _, o := range collections {
		for _, ref := range o.refs {
			if !c.is(ref.to) {
				continue
			}
			name := ref.related
			if name == "" {
				name = strings.ToLower(o.model) + "_set"
			}
			objs := live(o, s.where(o, ref.field, r.pk))
			orderRows(objs, url.Values{"ordering": {o.meta}}, fieldSet(strings.Split(o.meta, ",")...), "")
			ms = append(ms, manager{name, o.model, ref.onDelete.usedBy(), objs})
		}
		for _, m := range o.manyToMany {
			if o == c { // the forward manager: the related objects
				_, objs := s.across(m, m.source, m.target, m.targetModel(), r.pk)
				ms = append(ms, manager{m.field, m.targetModel(), "cascade_many", objs})
			}
			if c.is(m.targetModel()) { // the reverse manager: the owners
				_, objs := s.across(m, m.target, m.source, o.model, r.pk)
				ms = append(ms, manager{m.related, o.model, "cascade_many", objs})
			}
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].name < ms[j].name })
	out := []map[string]string{}
	for _, m := range ms {
		app, object, str := describe(m.model)
		for _, x := range m.objs {
			name := fmt.Sprintf("%s object (%s)", object, x.pk) // Django's Model.__str__
			if str != nil {
				name = str(x.fields)
			}
			out = append(out, map[string]string{"app": app, "model_name": strings.ToLower(object), "pk": x.pk,
				"name": name, "action": m.action})
		}
	}
	return out
}

// removeLocked deletes the object of c with pk, and then what refers to it
// as each reference's on_delete says: CASCADE deletes the referring object
// (and what refers to that), SET_NULL and SET_DEFAULT null its reference
// (Django's Collector, django/db/models/deletion.py). Called with s.mu held.
func (s *Server) removeLocked(c *collection, pk string) {
	rows := s.data[c.path]
	i := indexOf(rows, pk)
	if i < 0 {
		return
	}
	s.data[c.path] = append(rows[:i:i], rows[i+1:]...)
	for _, o := range collections {
		for _, ref := range o.refs {
			if !c.is(ref.to) {
				continue
			}
			for _, x := range s.where(o, ref.field, pk) {
				if ref.onDelete == cascade {
					s.removeLocked(o, x.pk)
					continue
				}
				if j := indexOf(s.data[o.path], x.pk); j >= 0 {
					fields := x.stored()
					if ref.onDelete == manyPKs {
						fields[ref.field] = slices.DeleteFunc(slices.Clone(pkList(fields[ref.field])), func(v any) bool { return v == pk })
					} else {
						fields[ref.field] = nil
					}
					s.data[o.path][j] = o.newRow(fields, x.keys)
				}
			}
		}
	}
}

// checkWrite adds to bad what DRF checks of a write beyond each field's own
// validation, in its order (rest_framework/serializers.py,
// Serializer.run_validation): a unique field's UniqueValidator is one of the
// field's validators, so it reports beside the other fields' errors
// ("<verbose_name> with this <field> already exists."); only when every field
// is valid do the serializer's validators run (UniqueTogetherValidator:
// "The fields a, b must make a unique set.", with a PATCH's missing fields
// taken from the object, and skipped when one is null), then its validate()
// (c.check). A unique field or set of the base model spans every collection
// of that base. self is the pk of the object written (excluded), "" for a
// create. Called with s.mu held.
func (s *Server) checkWrite(c *collection, values, current map[string]any, self string, bad errs) {
	type scoped struct {
		u     uniqueSet
		scope []*collection
	}
	var sets []scoped
	for _, u := range c.unique {
		sets = append(sets, scoped{u, []*collection{c}})
	}
	if c.base != nil {
		var scope []*collection
		for _, o := range collections {
			if o.base == c.base {
				scope = append(scope, o)
			}
		}
		for _, u := range c.base.unique {
			sets = append(sets, scoped{u, scope})
		}
	}
	taken := func(sc scoped, want map[string]any) bool {
		for _, o := range sc.scope {
			for _, x := range s.data[o.path] {
				if x.pk == self {
					continue
				}
				all := true
				for f, v := range want {
					all = all && same(x.fields[f], v)
				}
				if all {
					return true
				}
			}
		}
		return false
	}
	for _, sc := range sets {
		if len(sc.u.fields) != 1 {
			continue
		}
		f := sc.u.fields[0]
		if v, sent := values[f]; sent && bad[f] == nil && taken(sc, map[string]any{f: v}) {
			bad[f] = []string{sc.u.verbose + " with this " + f + " already exists."}
		}
	}
	if len(bad) > 0 {
		return
	}
	for _, sc := range sets {
		if len(sc.u.fields) < 2 {
			continue
		}
		want := map[string]any{}
		for _, f := range sc.u.fields {
			v, sent := values[f]
			if !sent {
				v = current[f]
			}
			want[f] = v
		}
		if slices.ContainsFunc(sc.u.fields, func(f string) bool { return want[f] == nil }) {
			continue
		}
		if taken(sc, want) {
			bad["non_field_errors"] = []string{"The fields " + strings.Join(sc.u.fields, ", ") + " must make a unique set."}
			return
		}
	}
	if c.check != nil {
		if field, msg := c.check(values); msg != "" {
			if field == "" {
				field = "non_field_errors"
			}
			if bad[field] == nil {
				bad[field] = []string{msg}
			}
		}
	}
}

// same compares a stored value with a validated one: numbers by value
// (stored float64, validated int64).
func same(a, b any) bool {
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && x == y
	}
	return reflect.DeepEqual(a, b)
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// references canonicalises the references of an object given to Add (the
// UUID in lower case, as the database gives it back) and panics, naming
// the test's mistake, for one that names no object the server holds: the
// database's foreign key constraint. Called with s.mu held.
func (s *Server) references(c *collection, fields map[string]any) {
	canonical := func(ref reference, v any) string {
		raw, _ := v.(string)
		pk, ok := pysyntax.UUID(raw)
		if !ok || (served(ref.to) && !s.holds(ref.to, pk)) {
			panic(fmt.Sprintf("authentiktest: Add: %s.%s has %q, which names no %s the server holds (add it first)",
				c.model, ref.field, raw, ref.to))
		}
		return pk
	}
	for _, ref := range c.refs {
		v, ok := fields[ref.field]
		if !ok || v == nil {
			continue
		}
		if ref.onDelete == manyPKs {
			pks := make([]any, 0, len(pkList(v)))
			for _, x := range pkList(v) {
				pks = append(pks, canonical(ref, x))
			}
			fields[ref.field] = pks
			continue
		}
		fields[ref.field] = canonical(ref, v)
	}
}
