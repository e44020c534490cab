package authentiktest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/authentik-go/authentik"
)

// flows are FlowViewSet (authentik/flows/api/flows.py), read-only here: the
// flows the stages were added with, looked up by slug (lookup_field = "slug"),
// filterable by what code resolving a flow needs.
var flows = &collection{
	path: "flows/instances/", model: "Flow", lookup: "slug", order: "slug",
	filters: []filterSpec{{param: "slug", kind: charFilter}, {param: "designation", kind: charFilter},
		{param: "name", kind: charFilter}},
	ordering: fieldSet("pk", "name", "slug", "title", "designation", "policy_engine_mode",
		"compatibility_mode", "layout", "denied_action", "authentication"),
	view: (*Server).flowRows,
}

// flowBackground is the default background a FlowSet shows.
const flowBackground = "/static/dist/assets/images/flow_background.jpg"

// flowRows are the flows the stages were added with, as FlowSerializer shows
// them: FlowSet's fields plus stages (the pks of the stages bound to it),
// policies, cache_count, background_themed_urls, background and
// authentication with the model's defaults. Called with s.mu held.
func (s *Server) flowRows(known []row) []row {
	out := make([]row, 0, len(known))
	for _, f := range known {
		fields := make(map[string]any, len(f.fields)+6)
		for k, v := range f.fields {
			fields[k] = v
		}
		stages := []string{}
		for _, rows := range s.data { // stage rows hold flow_set; others have none
			for _, r := range rows {
				for _, bound := range r.boundFlows() {
					if bound == f.pk {
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
		out = append(out, newRow(fields, f.keys))
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

// addFlows completes the flows of a stage added by a test (pk,
// policybindingmodel_ptr_id: the same UUID, as Flow inherits
// PolicyBindingModel; export_url and background) and remembers each once. An
// entry naming a flow the server holds, by pk or else by slug, is that flow as
// held: Flow.slug is SlugField(unique=True) (authentik/flows/models.py), so a
// slug names one flow. The list is never null: the schema's flow_set is a
// required array. Called with s.mu held.
func (s *Server) addFlows(set []authentik.FlowSet) []authentik.FlowSet {
	out := make([]authentik.FlowSet, len(set))
	for i, f := range set {
		if held, ok := s.heldFlow(f); ok {
			out[i] = held
			continue
		}
		f.PK = orUUID(f.PK)
		f.PolicyBindingModelPtrID = or(f.PolicyBindingModelPtrID, f.PK)
		f.ExportURL = or(f.ExportURL, "/api/v3/flows/instances/"+f.Slug+"/export/")
		f.Background = or(f.Background, flowBackground)
		out[i] = f
		fields, keys := fieldsOf(f)
		s.put(flows, fields, keys)
	}
	return out
}

// heldFlow is the flow the server holds that f names by pk, else by slug. An
// f whose pk and slug name different flows is the calling test's mistake,
// and heldFlow panics saying so, as FailNext does for a bad status. Called
// with s.mu held.
func (s *Server) heldFlow(f authentik.FlowSet) (authentik.FlowSet, bool) {
	var byPK, bySlug *row
	for i := range s.data[flows.path] {
		r := &s.data[flows.path][i]
		if f.PK != "" && r.pk == strings.ToLower(f.PK) {
			byPK = r
		}
		if f.Slug != "" && r.fields["slug"] == f.Slug {
			bySlug = r
		}
	}
	switch {
	case byPK != nil && f.Slug != "" && byPK != bySlug:
		panic(fmt.Sprintf("authentiktest: a FlowSet names flow %s with slug %q, but that flow's slug is %q: a flow has one slug, unique (Flow.slug)",
			f.PK, f.Slug, byPK.fields["slug"]))
	case bySlug != nil && f.PK != "" && byPK == nil:
		panic(fmt.Sprintf("authentiktest: a FlowSet names slug %q with pk %s, but flow %s has that slug: flow slugs are unique (Flow.slug)",
			f.Slug, f.PK, bySlug.pk))
	case byPK == nil && bySlug == nil:
		return authentik.FlowSet{}, false
	}
	held := byPK
	if held == nil {
		held = bySlug
	}
	var out authentik.FlowSet
	if err := json.Unmarshal(held.json, &out); err != nil {
		panic("authentiktest: a stored flow does not decode: " + err.Error()) // the fake's own bug
	}
	return out, true
}
