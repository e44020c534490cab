package contract

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Dir is this package's folder, so that tests and tools find testdata/ and the
// SDK's sources wherever they run from.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// SchemaPath is the cut of the pinned release's schema the contract is checked
// against: the newest release, named in testdata/PIN (refresh-schema.sh VERSION
// moves it).
func SchemaPath() string {
	return filepath.Join(Dir(), "testdata", "stages-openapi-"+Pin()+".json")
}

// Pin is the version of the pinned release.
func Pin() string {
	b, err := os.ReadFile(filepath.Join(Dir(), "testdata", "PIN"))
	if err != nil {
		return "missing-PIN"
	}
	return strings.TrimSpace(string(b))
}

// LoadWriteSchema is LoadSchema: the write operations are checked against the
// same pinned release.
func LoadWriteSchema() (*openapi3.T, error) { return LoadSchema() }

// LoadSchema loads and validates the schema. Each call returns a fresh document,
// so a caller may change it (the mutation tests do).
func LoadSchema() (*openapi3.T, error) { return load(SchemaPath()) }

func load(path string) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", path, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("%s is not a valid OpenAPI document: %w", path, err)
	}
	return doc, nil
}

// Mounted returns doc with its paths under /api/v3 and a relative server "/": the
// schema's own `servers: [{url: /api/v3}]` is ignored by Prism and by routers that
// match absolute paths, so both get the prefix written into the paths.
func Mounted(doc *openapi3.T) *openapi3.T {
	out := *doc
	paths := openapi3.NewPaths()
	for p, item := range doc.Paths.Map() {
		paths.Set("/api/v3"+p, item)
	}
	out.Paths = paths
	out.Servers = openapi3.Servers{{URL: "/"}}
	return &out
}

// Router finds the operation of a request to /api/v3/... in doc.
func Router(doc *openapi3.T) (routers.Router, error) {
	return gorillamux.NewRouter(Mounted(doc))
}

// OlderGeneration returns doc as servers before 2026.2 describe themselves,
// from the differences between releases (the release cuts in testdata/releases
// show them), so that fixtures recorded from them
// are validated rather than skipped:
//   - FlowSet has "background" (before 2025.12) instead of "background_url";
//   - FlowLayoutEnum lacks the two frame-background layouts (new in 2026.2);
//   - token_expiry is a string or, before 2025.4, an integer number of minutes;
//   - the paginated lists have no "autocomplete" (added in 2025.6.3).
func OlderGeneration(doc *openapi3.T) *openapi3.T {
	s := doc.Components.Schemas
	flow := s["FlowSet"].Value
	flow.Properties["background"] = openapi3.NewStringSchema().NewRef()
	delete(flow.Properties, "background_url")
	flow.Required = replace(flow.Required, "background_url", "background")

	layouts := s["FlowLayoutEnum"].Value
	var kept []any
	for _, v := range layouts.Enum {
		if v != "sidebar_left_frame_background" && v != "sidebar_right_frame_background" {
			kept = append(kept, v)
		}
	}
	layouts.Enum = kept

	s["EmailStage"].Value.Properties["token_expiry"] = openapi3.NewOneOfSchema(
		openapi3.NewStringSchema(), openapi3.NewIntegerSchema()).NewRef()

	for _, name := range []string{"PaginatedEmailStageList", "PaginatedInvitationStageList"} {
		list := s[name].Value
		list.Required = replace(list.Required, "autocomplete", "")
	}
	return doc
}

// replace swaps one name in a required list for another ("" removes it).
func replace(names []string, old, new string) []string {
	var out []string
	for _, n := range names {
		switch {
		case n != old:
			out = append(out, n)
		case new != "":
			out = append(out, new)
		}
	}
	return out
}

// AsServed corrects the 2026.8.3 cut where authentik's server sends what its
// schema does not allow: an invitation bound to no flow has "flow_obj": null
// (InvitationSerializer.flow_obj is FlowSerializer(read_only=True,
// required=False, source="flow"), which renders null for a null flow), while
// the schema marks flow_obj required and not nullable. The SDK decodes it as
// nil; the fake sends it as authentik does.
func AsServed(doc *openapi3.T) *openapi3.T {
	doc.Components.Schemas["Invitation"].Value.Properties["flow_obj"].Value.Nullable = true
	return doc
}
