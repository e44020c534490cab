package authentiktest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/internal/pysyntax"
)

// rows is a private copy of a collection's rows, safe to sort.
func (s *Server) rows(c *collection) []row {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.bySlug {
		return s.flowRows()
	}
	rows := append([]row(nil), s.data[c.path]...)
	if c.expiring {
		// ExpiringManager.get_queryset excludes what has expired, from lists
		// and lookups alike (authentik/lib/models.py, since 2025.12).
		kept := rows[:0]
		for _, r := range rows {
			if exp, ok := r.fields["expires"].(string); ok {
				if t, err := time.Parse(time.RFC3339Nano, exp); err == nil && t.Before(time.Now()) {
					continue
				}
			}
			kept = append(kept, r)
		}
		rows = kept
	}
	return rows
}

// hasFlow reports whether a flow with this pk exists. Called with s.mu held.
func (s *Server) hasFlow(pk string) bool {
	for _, f := range s.flows {
		if strings.EqualFold(f.PK, pk) {
			return true
		}
	}
	return false
}

// flowObject is a flow as FlowSerializer shows it, or nil. Called with s.mu held.
func (s *Server) flowObject(pk any) any {
	id, _ := pk.(string)
	for _, r := range s.flowRows() {
		if id != "" && strings.EqualFold(r.pk, id) {
			return r.fields
		}
	}
	return nil
}

// list is ModelViewSet.list: filter_queryset (django-filter, then search and
// ordering), then paginate_queryset.
func (s *Server) list(c *collection, q url.Values) (int, any) {
	rows, verr := filterRows(s.rows(c), q, c.filters, c.search)
	if verr != nil {
		return http.StatusBadRequest, verr
	}
	orderRows(rows, q, c.ordering, c.defaultOrder())
	return s.paginate(rows, q)
}

func (c *collection) defaultOrder() string {
	if c.order != "" {
		return c.order
	}
	return "name"
}

// object is get_object: the query's filters, then the lookup. A pk that is not
// a UUID raises a ValidationError that DRF turns into a bare Http404 ("Not
// found."); one that matches nothing is Django's Http404 with "No <Model>
// matches the given query.", which DRF passes on as the detail.
func (s *Server) object(c *collection, q url.Values, lookup string) (*row, int, any) {
	key := lookup
	if !c.bySlug {
		pk, ok := pysyntax.UUID(lookup)
		if !ok {
			return nil, http.StatusNotFound, detail("Not found.")
		}
		key = pk
	}
	rows, verr := filterRows(s.rows(c), q, c.filters, c.search)
	if verr != nil {
		return nil, http.StatusBadRequest, verr
	}
	for _, r := range rows {
		if (c.bySlug && r.fields["slug"] == key) || (!c.bySlug && r.pk == key) {
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
	values, bad := validate(c.fields, data, nil, false, s.hasFlow)
	s.checkUnique(c, values, "", bad)
	if len(bad) > 0 {
		return http.StatusBadRequest, bad
	}
	fields := map[string]any{"pk": orUUID("")}
	if c.stage {
		fields["flow_set"] = []any{}
	}
	for k, v := range c.computed {
		fields[k] = v
	}
	for k, v := range values {
		fields[k] = v
	}
	if c.derive != nil {
		c.derive(s, fields, true)
	}
	nr := c.newRow(fields)
	s.data[c.path] = append(s.data[c.path], nr)
	return http.StatusCreated, nr.json
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
	values, bad := validate(c.fields, data, rows[i].fields, partial, s.hasFlow)
	s.checkUnique(c, values, pk, bad)
	if len(bad) > 0 {
		return http.StatusBadRequest, bad
	}
	fields := make(map[string]any, len(rows[i].fields)+len(rows[i].secret))
	for k, v := range rows[i].fields {
		fields[k] = v
	}
	for k, v := range rows[i].secret {
		fields[k] = v
	}
	for k, v := range values {
		fields[k] = v
	}
	if c.derive != nil {
		c.derive(s, fields, false)
	}
	rows[i] = c.newRow(fields)
	return http.StatusOK, rows[i].json
}

// remove is DestroyModelMixin.destroy (204); the stage's flow bindings go with
// it (FlowStageBinding.stage is on_delete=CASCADE), the flows stay.
func (s *Server) remove(c *collection, pk string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.data[c.path]
	if i := indexOf(rows, pk); i >= 0 {
		s.data[c.path] = append(rows[:i:i], rows[i+1:]...)
	}
}

// checkUnique adds the error of a name another stage has: Stage.name is
// TextField(unique=True) on the base model, so DRF's UniqueValidator checks it
// across every stage type with Django's message for model "stage". A PATCH
// without a name, and the object's own name, pass.
func (s *Server) checkUnique(c *collection, values map[string]any, self string, bad errs) {
	name, ok := values["name"].(string)
	if !c.stage || !ok || bad["name"] != nil {
		return
	}
	for _, other := range collections {
		if !other.stage {
			continue
		}
		for _, r := range s.data[other.path] {
			if r.name == name && r.pk != self {
				bad["name"] = []string{"stage with this name already exists."}
				return
			}
		}
	}
}

func indexOf(rows []row, pk string) int {
	for i, r := range rows {
		if r.pk == pk {
			return i
		}
	}
	return -1
}

// newRow stores an object of c: its write-only fields apart, never encoded.
func (c *collection) newRow(fields map[string]any) row {
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
	r := newRow(visible)
	r.secret = secret
	return r
}

// flowRows are the flows the stages were added with, as FlowSerializer shows
// them (authentik/flows/api/flows.py): FlowSet's fields plus stages (the pks
// of the stages bound to it), policies, cache_count, background_themed_urls,
// background and authentication with the model's defaults. Called with s.mu held.
func (s *Server) flowRows() []row {
	out := make([]row, 0, len(s.flows))
	for _, f := range s.flows {
		b, _ := json.Marshal(f)
		var fields map[string]any
		_ = json.Unmarshal(b, &fields)
		stages := []string{}
		for _, rows := range s.data { // stage rows hold flow_set; others have none
			for _, r := range rows {
				for _, bound := range r.boundFlows() {
					if bound == f.PK {
						stages = append(stages, r.pk)
					}
				}
			}
		}
		sort.Strings(stages)
		fields["stages"] = stages
		fields["policies"] = []string{}
		fields["cache_count"] = 0
		fields["background"] = ""
		fields["background_themed_urls"] = nil
		fields["authentication"] = "none"
		out = append(out, newRow(fields))
	}
	return out
}

// boundFlows are the pks of the flows a stage row is bound to.
func (r row) boundFlows() []string {
	flows, _ := r.fields["flow_set"].([]any)
	out := make([]string, 0, len(flows))
	for _, f := range flows {
		if m, ok := f.(map[string]any); ok {
			if pk, ok := m["pk"].(string); ok {
				out = append(out, strings.ToLower(pk))
			}
		}
	}
	return out
}

// addFlows remembers the flows of added stages, once each. Called with s.mu held.
func (s *Server) addFlows(flows []authentik.FlowSet) {
	for _, f := range flows {
		known := false
		for _, g := range s.flows {
			known = known || g.PK == f.PK
		}
		if !known {
			s.flows = append(s.flows, f)
		}
	}
}
