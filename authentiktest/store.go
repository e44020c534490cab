package authentiktest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/authentik-go/authentik/internal/pysyntax"
)

// rowsLocked are the rows of c a query sees (live), as its serializer shows
// them (present): a private copy, safe to sort. Called with s.mu held.
func (s *Server) rowsLocked(c *collection) []row {
	if c.union != nil {
		var rows []row
		for _, o := range collections {
			if o.base != c.union {
				continue
			}
			for _, r := range live(o, s.data[o.path]) {
				p := s.present(o, r, c.show, 0)
				rows = append(rows, newRow(project(p.fields, c.show), p.keys))
			}
		}
		return rows
	}
	rows := live(c, s.data[c.path])
	for i, r := range rows {
		rows[i] = s.present(c, r, nil, 0)
	}
	return rows
}

// expired reports whether an ExpiringModel's object has expired.
func expired(r row) bool {
	exp, ok := r.fields["expires"].(string)
	if !ok {
		return false
	}
	t, err := time.Parse(time.RFC3339Nano, exp)
	return err == nil && t.Before(time.Now())
}

// list is ModelViewSet.list: filter_queryset (django-filter, then search and
// ordering), then paginate_queryset.
func (s *Server) list(c *collection, q url.Values) (int, any) {
	s.mu.Lock()
	rows, verr := filterRows(s.rowsLocked(c), q, c.filters, c.search, s.holds)
	s.mu.Unlock()
	if verr != nil {
		return http.StatusBadRequest, verr
	}
	orderRows(rows, q, c.ordering, c.defaultOrder())
	return s.paginate(rows, q)
}

// object is get_object: the query's filters, then the lookup. A pk that is not
// a UUID raises a ValidationError that DRF turns into a bare Http404 ("Not
// found."); one that matches nothing is Django's Http404 with "No <Model>
// matches the given query.", which DRF passes on as the detail.
func (s *Server) object(c *collection, q url.Values, lookup string) (*row, int, any) {
	key := lookup
	if c.lookup == "" {
		pk, ok := pysyntax.UUID(lookup)
		if !ok {
			return nil, http.StatusNotFound, detail("Not found.")
		}
		key = pk
	}
	s.mu.Lock()
	rows, verr := filterRows(s.rowsLocked(c), q, c.filters, c.search, s.holds)
	s.mu.Unlock()
	if verr != nil {
		return nil, http.StatusBadRequest, verr
	}
	for _, r := range rows {
		if (c.lookup != "" && r.fields[c.lookup] == key) || (c.lookup == "" && r.pk == key) {
			return &r, 0, nil
		}
	}
	return nil, http.StatusNotFound, detail("No " + c.model + " matches the given query.")
}

// create is CreateModelMixin.create: validate, save with the model's defaults,
// 201 with the serialized object.
func (s *Server) create(c *collection, r *http.Request, body []byte) (int, any) {
	data, status, out := parseBody(r, body)
	if data == nil {
		return status, out
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	values, bad := validate(c.fields, data, nil, false, s.referenceTo(c))
	s.checkWrite(c, values, nil, "", bad)
	if len(bad) > 0 {
		return http.StatusBadRequest, bad
	}
	return http.StatusCreated, s.present(c, s.put(c, values, nil), nil, 0).body()
}

// update is UpdateModelMixin.update (PUT) and partial_update (PATCH): the
// fields validated are set, every other keeps its value; 200 with the object.
func (s *Server) update(c *collection, pk string, r *http.Request, body []byte, partial bool) (int, any) {
	data, status, out := parseBody(r, body)
	if data == nil {
		return status, out
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.data[c.path]
	i := indexOf(rows, pk)
	if i < 0 {
		return http.StatusNotFound, detail("No " + c.model + " matches the given query.")
	}
	values, bad := validate(c.fields, data, rows[i].fields, partial, s.referenceTo(c))
	s.checkWrite(c, values, rows[i].fields, pk, bad)
	if len(bad) > 0 {
		return http.StatusBadRequest, bad
	}
	fields := rows[i].stored()
	for k, v := range values {
		fields[k] = v
	}
	if c.derive != nil {
		c.derive(s, fields)
	}
	rows[i] = c.newRow(fields, rows[i].keys)
	return http.StatusOK, s.present(c, rows[i], nil, 0).body()
}

// remove is DestroyModelMixin.destroy (204), with what the model's
// relations delete with it (removeLocked).
func (s *Server) remove(c *collection, pk string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeLocked(c, pk)
}

// owner is the collection that holds an object a union lists.
func (s *Server) owner(c *collection, pk string) *collection {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, _, ok := s.heldRow(c.union.name, pk); ok {
		return o
	}
	return c
}

func indexOf(rows []row, pk string) int {
	for i, r := range rows {
		if r.pk == pk {
			return i
		}
	}
	return -1
}

// row is one object as the fake stores it: encoded once when stored, with the
// decoded fields that filters and ordering compare.
type row struct {
	pk     string
	name   string
	fields map[string]any  // json decoded: string, bool, float64, []any, map[string]any, nil
	keys   keyOrder        // the order of its objects' keys, kept by updates
	json   json.RawMessage // nil for a row shown with derived fields: see body
	secret map[string]any  // write-only fields (a password): stored, never encoded
}

// keyOrder is the order of the keys of an object and of the objects in it, by
// path ("" for the object, "flow_set" for the objects in that array): a
// model's, as its serializer writes them.
type keyOrder map[string][]string

// newRow encodes fields with their keys in order, and keys no order names
// sorted after them, as encoding/json sorts a map. The row keeps the fields as
// that encoding decodes, so that every number is a float64 whichever way it was
// written (a model's int from Add, a write's int64 or json.Number, a default):
// filters and ordering compare one representation on every row.
func newRow(fields map[string]any, keys keyOrder) row {
	var buf bytes.Buffer
	encodeOrdered(&buf, fields, "", keys)
	fields = nil
	if err := json.Unmarshal(buf.Bytes(), &fields); err != nil {
		panic(err) // what encodeOrdered writes always decodes
	}
	pk, _ := fields["pk"].(string)
	name, _ := fields["name"].(string)
	return row{pk: strings.ToLower(pk), name: name, fields: fields, keys: keys, json: buf.Bytes()}
}

// body is the row's JSON: as stored, or encoded now for a row shown with
// derived fields (present).
func (r row) body() json.RawMessage {
	if r.json != nil {
		return r.json
	}
	var buf bytes.Buffer
	encodeOrdered(&buf, r.fields, "", r.keys)
	return buf.Bytes()
}

// stored is a copy of what the row stores: its fields and its write-only ones.
func (r row) stored() map[string]any {
	fields := make(map[string]any, len(r.fields)+len(r.secret))
	for k, v := range r.fields {
		fields[k] = v
	}
	for k, v := range r.secret {
		fields[k] = v
	}
	return fields
}

func encodeOrdered(buf *bytes.Buffer, v any, path string, keys keyOrder) {
	switch x := v.(type) {
	case map[string]any:
		done := make(map[string]bool, len(x))
		order := make([]string, 0, len(x))
		for _, k := range keys[path] {
			if _, ok := x[k]; ok && !done[k] {
				done[k] = true
				order = append(order, k)
			}
		}
		rest := make([]string, 0, len(x)-len(order))
		for k := range x {
			if !done[k] {
				rest = append(rest, k)
			}
		}
		sort.Strings(rest)
		buf.WriteByte('{')
		for i, k := range append(order, rest...) {
			if i > 0 {
				buf.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			buf.Write(kb)
			buf.WriteByte(':')
			encodeOrdered(buf, x[k], join(path, k), keys)
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			encodeOrdered(buf, e, path, keys)
		}
		buf.WriteByte(']')
	default:
		b, err := json.Marshal(x)
		if err != nil {
			panic(err) // decoded JSON values always encode
		}
		buf.Write(b)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonKeys is the key order of an encoded object and the objects in it.
func jsonKeys(b []byte) keyOrder {
	keys := keyOrder{}
	dec := json.NewDecoder(bytes.NewReader(b))
	var walk func(path string) bool
	walk = func(path string) bool {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		switch t {
		case json.Delim('{'):
			var order []string
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return false
				}
				key, _ := k.(string)
				order = append(order, key)
				if !walk(join(path, key)) {
					return false
				}
			}
			if _, seen := keys[path]; !seen {
				keys[path] = order
			}
			_, err = dec.Token()
			return err == nil
		case json.Delim('['):
			for dec.More() {
				if !walk(path) {
					return false
				}
			}
			_, err = dec.Token()
			return err == nil
		}
		return true
	}
	walk("")
	return keys
}

// newRow stores an object of c with its keys in order: its write-only fields
// apart, never encoded.
func (c *collection) newRow(fields map[string]any, keys keyOrder) row {
	visible := make(map[string]any, len(fields))
	var secret map[string]any
	for k, v := range fields {
		visible[k] = v
	}
	for _, f := range c.fields {
		if v, ok := visible[f.name]; ok && f.writeOnly {
			if secret == nil {
				secret = map[string]any{}
			}
			secret[f.name] = v
			delete(visible, f.name)
		}
	}
	r := newRow(visible, keys)
	r.secret = secret
	return r
}

// put stores an object of c from its JSON fields, written with keys in
// order (see newRow): an empty pk generated as Django's uuid4 default does,
// another in the canonical form;
// what c's relations derive dropped (never stored); the serializer's
// computed values filled in where fields has none, and the model's default
// for a writable field fields lacks; then derive. A pk c already holds is
// replaced in place, as Django's Model.save updates the row of a pk that
// exists (django/db/models/base.py, _save_table); one a collection of the
// same base holds is taken from it, so the pk stays one object. Called with
// s.mu held.
func (s *Server) put(c *collection, fields map[string]any, keys keyOrder) row {
	pk, _ := fields["pk"].(string)
	if canonical, ok := pysyntax.UUID(pk); ok {
		pk = canonical // as the database gives a UUID back
	}
	fields["pk"] = orUUID(pk)
	for _, k := range derived(c) {
		delete(fields, k)
	}
	for k, v := range c.computed {
		if cur, ok := fields[k]; !ok || cur == nil || cur == "" {
			fields[k] = v
		}
	}
	for _, f := range c.fields {
		if _, ok := fields[f.name]; !ok && f.def != nil {
			fields[f.name] = f.def
		}
	}
	if c.derive != nil {
		c.derive(s, fields)
	}
	r := c.newRow(fields, keys)
	for _, other := range collections {
		if other != c && (c.base == nil || other.base != c.base) {
			continue
		}
		rows := s.data[other.path]
		switch i := indexOf(rows, r.pk); {
		case i >= 0 && other == c:
			rows[i] = r
			return r
		case i >= 0:
			s.data[other.path] = append(rows[:i:i], rows[i+1:]...)
		}
	}
	s.data[c.path] = append(s.data[c.path], r)
	return r
}

// fieldsOf is a model's JSON fields and their order, for put.
func fieldsOf(model any) (map[string]any, keyOrder) {
	b, err := json.Marshal(model)
	if err != nil {
		panic(err) // the models always encode
	}
	var fields map[string]any
	_ = json.Unmarshal(b, &fields)
	return fields, jsonKeys(b)
}

// typeKeys is the key order of the SDK model t, as its JSON writes it.
func typeKeys(t reflect.Type) keyOrder {
	b, err := json.Marshal(reflect.New(t).Elem().Interface())
	if err != nil {
		panic(err) // the models always encode
	}
	return jsonKeys(b)
}

// orUUID keeps a pk, or makes a random (version 4) UUID as Django's uuid4 default does.
func orUUID(pk string) string {
	if pk != "" {
		return pk
	}
	h := []byte(randomHex(16))
	h[12] = '4'             // version 4
	h[16] = "89ab"[h[16]%4] // RFC 4122 variant
	s := string(h)
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
