package authentiktest

import (
	"fmt"
	"strings"
)

// What every stage collection shares: the Stage base model
// (authentik/flows/models.py) and StageSerializer
// (authentik/flows/api/stages.py).

// stageBase is Stage, the base every stage type inherits (multi-table):
// stage_uuid is the pk of one table every stage type shares, name is
// TextField(unique=True) there, so unique across every stage type (DRF's
// UniqueValidator names the model's verbose_name, "stage"), and
// __str__ is "Stage <name>".
var stageBase = &baseModel{
	name: "Stage", app: "authentik_flows",
	str:    func(f map[string]any) string { return fmt.Sprintf("Stage %v", f["name"]) },
	unique: []uniqueSet{{fields: []string{"name"}, verbose: "stage"}},
}

// stageFields are StageSerializer's fields, as a binding's stage_obj shows
// its stage (whatever its type: stage is an InheritanceForeignKey).
var stageFields = []string{"pk", "name", "component", "verbose_name", "verbose_name_plural", "meta_model_name", "flow_set"}

// stageComputed is what StageSerializer adds to every stage of a type
// (component, verbose_name, verbose_name_plural, meta_model_name, as a real
// server answers: ../testdata/email_stage_2025_10_retrieve.json). Its flow_set, the reverse of
// Flow.stages, is derived from the bindings (flows.go).
func stageComputed(component, verbose, plural, model string) map[string]any {
	return map[string]any{"component": component, "verbose_name": verbose, "verbose_name_plural": plural,
		"meta_model_name": model}
}

// addStage is the add hook of every stage collection: the FlowSet of a
// stage given to Add says which flows it is bound to. Each entry names a
// flow the server holds (by pk, else by slug) or is added as a new flow
// (flowFor); then the stage's bindings are made exactly one per entry
// (bindStage).
func addStage(s *Server, fields map[string]any, store func(map[string]any) row) row {
	set, _ := fields["flow_set"].([]any)
	flowPKs := make([]string, len(set))
	for i, f := range set {
		entry, _ := f.(map[string]any)
		flowPKs[i] = s.flowFor(entry)
	}
	r := store(fields)
	s.bindStage(r.pk, flowPKs)
	return r
}

// stageTypesAction is StageViewSet.types (a list action): a TypeCreate per
// stage type the fake serves, in the order of its table. authentik fills
// description from each model's docstring and marks enterprise types; the
// fake knows neither and leaves them empty and false.
var stageTypesAction = action{serve: func(s *Server, _ *collection, _ row) any {
	out := []map[string]any{}
	for _, c := range collections {
		if c.base != stageBase {
			continue
		}
		out = append(out, map[string]any{"name": c.computed["verbose_name"], "description": "",
			"component": c.computed["component"], "model_name": strings.ToLower(c.model),
			"requires_enterprise": false, "deprecated": false})
	}
	return out
}}
