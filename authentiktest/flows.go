package authentiktest

import (
	"fmt"
	"strings"

	"github.com/authentik-go/authentik/internal/pysyntax"
)

// flowStr is Flow.__str__.
func flowStr(f map[string]any) string { return fmt.Sprintf("Flow %v (%v)", f["name"], f["slug"]) }

// flowUnique: Flow.slug is unique; Flow.Meta.verbose_name is "Flow".
var flowUnique = []uniqueSet{{fields: []string{"slug"}, verbose: "Flow"}}

// flowStages is Flow.stages = ManyToManyField(Stage,
// through="FlowStageBinding"): the flow shows the pks of its stages, a stage
// its flows (flow_set, the reverse accessor) as FlowSetSerializer does.
var flowStages = []manyToMany{{field: "stages", related: "flow_set", through: "FlowStageBinding", source: "target", target: "stage",
	show: flowSetFields}}

// flowComputed: the fake has no policies and no cache: none bound, none
// cached.
var flowComputed = map[string]any{"policies": []any{}, "cache_count": 0}

// flowSetFields are FlowSetSerializer's fields, as a stage's flow_set shows
// its flows (background_url since 2025.12).
var flowSetFields = []string{"pk", "policybindingmodel_ptr_id", "name", "slug", "title", "designation", "background_url",
	"policy_engine_mode", "compatibility_mode", "export_url", "layout", "denied_action"}

// flowBackground is the background a flow without one shows
// (Flow.background_url).
const flowBackground = "/static/dist/assets/images/flow_background.jpg"

// deriveFlow fills what FlowSerializer computes: policybindingmodel_ptr_id
// (the fake's flows share their pk with the PolicyBindingModel row),
// export_url (reverse("authentik_api:flow-export")), and the background's
// URLs (backgroundURL).
func deriveFlow(_ *Server, f map[string]any) {
	if ptr, _ := f["policybindingmodel_ptr_id"].(string); ptr == "" {
		f["policybindingmodel_ptr_id"] = f["pk"]
	}
	f["export_url"] = fmt.Sprintf("/api/v3/flows/instances/%v/export/", f["slug"])
	bg, _ := f["background"].(string)
	f["background_url"] = backgroundURL(bg)
	f["background_themed_urls"] = nil
	if strings.Contains(bg, "%(theme)s") {
		f["background_themed_urls"] = map[string]any{
			"light": backgroundURL(strings.ReplaceAll(bg, "%(theme)s", "light")),
			"dark":  backgroundURL(strings.ReplaceAll(bg, "%(theme)s", "dark")),
		}
	}
}

// backgroundURL is Flow.background_url for a stored background: the default
// image for none, a URL ("http...") or a static path as it is, a file name
// below the public media files (2025.12's file manager, as 2026.8 answers:
// flow-backgrounds/sea.jpg is /files/media/public/flow-backgrounds/sea.jpg).
// themed_urls (background_themed_urls) fills "%(theme)s" with each theme
// and is null for a background without it.
func backgroundURL(bg string) string {
	switch {
	case bg == "":
		return flowBackground
	case strings.HasPrefix(bg, "http"), strings.HasPrefix(bg, "/static"):
		return bg
	}
	return "/files/media/public/" + bg
}

// addFlow is the flows' add hook: a flow given with a background URL but no
// stored background (a FlowSet carries only the URL) stores that URL as its
// background, so that it shows it; the default image is no background.
func addFlow(_ *Server, f map[string]any, store func(map[string]any) row) row {
	if bg, _ := f["background"].(string); bg == "" {
		if u, _ := f["background_url"].(string); u != flowBackground {
			f["background"] = u
		}
	}
	return store(f)
}

// flowFor is the pk of the flow a FlowSet entry given to Add names: the flow
// the server holds with its pk, else with its slug (Flow.slug is unique),
// else a flow added from the entry. An entry whose pk and slug name
// different flows is the calling test's mistake, and flowFor panics saying
// so, as FailNext does for a bad status. Called with s.mu held.
func (s *Server) flowFor(entry map[string]any) string {
	pk, _ := entry["pk"].(string)
	if canonical, ok := pysyntax.UUID(pk); ok {
		pk = canonical
	}
	slug, _ := entry["slug"].(string)
	var byPK, bySlug *row
	for i := range s.data[flows.path] {
		r := &s.data[flows.path][i]
		if pk != "" && r.pk == pk {
			byPK = r
		}
		if slug != "" && r.fields["slug"] == slug {
			bySlug = r
		}
	}
	switch {
	case byPK != nil && slug != "" && byPK != bySlug:
		panic(fmt.Sprintf("authentiktest: a FlowSet names flow %s with slug %q, but that flow's slug is %q: a flow has one slug, unique (Flow.slug)",
			pk, slug, byPK.fields["slug"]))
	case bySlug != nil && pk != "" && byPK == nil:
		panic(fmt.Sprintf("authentiktest: a FlowSet names slug %q with pk %s, but flow %s has that slug: flow slugs are unique (Flow.slug)",
			slug, pk, bySlug.pk))
	case byPK != nil:
		return byPK.pk
	case bySlug != nil:
		return bySlug.pk
	}
	return s.addLocked(flows, entry, nil).pk
}
