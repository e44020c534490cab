package contract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authentik-go/authentik"
)

// The release matrix: every typed service's List and Get against answers
// built from each supported release's own response schemas (every property
// set, as that release names it), checking that every field the release
// sends arrives in the SDK's model intact. A route the release lacks must
// answer as a 404 that names the release that added it.

// service is one typed service's reads (zz_sdk.go, generated).
type service struct {
	name, path, key string
	list            func(context.Context, *authentik.Client) (any, error)
	get             func(context.Context, *authentik.Client, string) (any, error)
}

// MatrixCell is one service on one release: "ok", "absent" (the route came
// later, and the SDK's 404 says when), or what went wrong.
type MatrixCell struct {
	Service, Release, Result string
}

// Matrix runs every typed service against every release given, in order.
func Matrix(releases []Release) ([]MatrixCell, error) {
	var out []MatrixCell
	for _, rel := range releases {
		doc, err := rel.Load()
		if err != nil {
			return nil, err
		}
		for _, s := range generatedServices {
			out = append(out, MatrixCell{Service: s.name, Release: rel.Version, Result: runCell(doc, s)})
		}
	}
	return out, nil
}

// MatrixTable prints cells as a Markdown table, a row per service.
func MatrixTable(cells []MatrixCell) string {
	var rels, svcs []string
	at := map[[2]string]string{}
	for _, c := range cells {
		if len(rels) == 0 || rels[len(rels)-1] != c.Release {
			rels = append(rels, c.Release)
		}
		if _, ok := at[[2]string{c.Service, rels[0]}]; !ok && c.Release == rels[0] {
			svcs = append(svcs, c.Service)
		}
		at[[2]string{c.Service, c.Release}] = c.Result
	}
	var b strings.Builder
	b.WriteString("| service | " + strings.Join(rels, " | ") + " |\n|---" + strings.Repeat("|---", len(rels)) + "|\n")
	for _, s := range svcs {
		b.WriteString("| " + s)
		for _, r := range rels {
			b.WriteString(" | " + at[[2]string{s, r}])
		}
		b.WriteString(" |\n")
	}
	return b.String()
}

func runCell(doc *openapi3.T, s service) string {
	listPath := "/" + s.path
	routes := map[string]string{}
	item := doc.Paths.Value(listPath + s.key + "/")
	if lp := doc.Paths.Value(listPath); lp != nil && lp.Get != nil {
		routes["/api/v3"+listPath] = answer(lp.Get)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if body, ok := routes[r.URL.Path]; ok {
			_, _ = w.Write([]byte(body))
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/v3"+listPath) && item != nil && item.Get != nil {
			_, _ = w.Write([]byte(answer(item.Get)))
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"detail":"Not found."}`))
	}))
	defer srv.Close()
	c, err := authentik.NewClient(srv.URL, "fake-token-for-tests", authentik.WithRetryMax(0))
	if err != nil {
		return err.Error()
	}
	ctx := context.Background()
	if routes["/api/v3"+listPath] == "" {
		_, err := s.list(ctx, c)
		if errors.Is(err, authentik.ErrNotFound) && strings.Contains(err.Error(), "this route came with authentik") {
			return "absent"
		}
		return fmt.Sprintf("route absent, but List gave %v", err)
	}
	results, err := s.list(ctx, c)
	if err != nil {
		return "List: " + err.Error()
	}
	var page struct{ Results []map[string]any }
	_ = json.Unmarshal([]byte(routes["/api/v3"+listPath]), &page)
	rv := reflect.ValueOf(results)
	if rv.Len() != 1 || len(page.Results) != 1 {
		return fmt.Sprintf("List: %d results", rv.Len())
	}
	if why := intact(page.Results[0], rv.Index(0).Interface()); why != "" {
		return "List: " + why
	}
	if s.get == nil || item == nil || item.Get == nil {
		return "ok"
	}
	var want map[string]any
	_ = json.Unmarshal([]byte(answer(item.Get)), &want)
	key := strings.Trim(s.key, "{}")
	if key == "stage_uuid" || key == "prompt_uuid" || key == "fsb_uuid" || key == "invite_uuid" {
		key = "pk"
	}
	k, _ := want[key].(string)
	got, err := s.get(ctx, c, k)
	if err != nil {
		return "Get: " + err.Error()
	}
	if why := intact(want, got); why != "" {
		return "Get: " + why
	}
	return "ok"
}

// answer is the JSON of an operation's 200 answer, every property set.
func answer(op *openapi3.Operation) string {
	resp := op.Responses.Status(200)
	if resp == nil || resp.Value == nil || resp.Value.Content["application/json"] == nil {
		return "{}"
	}
	b, _ := json.Marshal(example(resp.Value.Content["application/json"].Schema, 0))
	return string(b)
}

// secretNames are the fields the pinned schema marks write-only: some older
// releases sent them back, and the SDK never decodes them.
var secretNames = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	doc, err := LoadSchema()
	if err != nil {
		return out // the tests that load the schema report it
	}
	for _, ref := range doc.Components.Schemas {
		if ref.Value == nil {
			continue
		}
		for name, p := range ref.Value.Properties {
			if p.Value != nil && p.Value.WriteOnly {
				out[name] = true
			}
		}
	}
	return out
})

// intact reports the first field of the release's object (sent) that the
// decoded model (got) does not carry, after the SDK's quirks: an older
// flow's background is background_url, an older email stage's integer
// token_expiry is "minutes=<n>".
func intact(sent map[string]any, got any) string {
	b, err := json.Marshal(got)
	if err != nil {
		return err.Error()
	}
	var have map[string]any
	if err := json.Unmarshal(b, &have); err != nil {
		return err.Error()
	}
	return compare("", quirked(sent), have)
}

func quirked(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = quirked(e)
		}
		_, slug := x["slug"]
		_, designation := x["designation"]
		_, url := x["background_url"]
		if bg, ok := x["background"]; ok && slug && designation && !url {
			delete(out, "background")
			out["background_url"] = bg
		}
		_, from := x["from_address"]
		_, global := x["use_global_settings"]
		if n, ok := x["token_expiry"].(float64); ok && from && global {
			out["token_expiry"] = fmt.Sprintf("minutes=%d", int64(n))
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = quirked(e)
		}
		return out
	}
	return v
}

func compare(at string, want, have any) string {
	switch w := want.(type) {
	case map[string]any:
		h, ok := have.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s is %v, want an object", at, have)
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			hv, ok := h[k]
			if !ok {
				if secretNames()[k] {
					continue
				}
				return fmt.Sprintf("%s is lost (the model has no field for it)", path.Join(at, k))
			}
			if why := compare(path.Join(at, k), w[k], hv); why != "" {
				return why
			}
		}
		return ""
	case []any:
		h, ok := have.([]any)
		if !ok || len(h) != len(w) {
			return fmt.Sprintf("%s is %v, want %v", at, have, want)
		}
		for i := range w {
			if why := compare(fmt.Sprintf("%s[%d]", at, i), w[i], h[i]); why != "" {
				return why
			}
		}
		return ""
	}
	if !reflect.DeepEqual(want, have) {
		return fmt.Sprintf("%s is %v, want %v", at, have, want)
	}
	return ""
}

const exampleUUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

// example builds a JSON value for schema with every property filled: strings
// "text" (or a value of their format, or "abc" for a pattern), numbers 1, true,
// one array item, the first enum value; Pagination as one consistent page.
func example(ref *openapi3.SchemaRef, depth int) any {
	if ref == nil || ref.Value == nil || depth > 8 {
		return nil
	}
	if path.Base(ref.Ref) == "Pagination" {
		return map[string]any{"next": 0, "previous": 0, "count": 1, "current": 1, "total_pages": 1, "start_index": 1, "end_index": 1}
	}
	s := ref.Value
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	for _, list := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
		if len(list) > 0 {
			return example(list[0], depth+1)
		}
	}
	typ := ""
	if s.Type != nil && len(*s.Type) > 0 {
		typ = (*s.Type)[0]
	}
	switch {
	case typ == "object" || len(s.Properties) > 0:
		m := map[string]any{}
		for name, p := range s.Properties {
			m[name] = example(p, depth+1)
		}
		if len(s.Properties) == 0 && s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has || s.AdditionalProperties.Schema != nil {
			m["key"] = "value"
		}
		return m
	case typ == "array":
		return []any{example(s.Items, depth+1)}
	case typ == "integer" || typ == "number":
		return 1
	case typ == "boolean":
		return true
	case typ == "string":
		switch {
		case s.Format == "uuid":
			return exampleUUID
		case s.Format == "date-time":
			return "2026-01-02T03:04:05Z"
		case s.Format == "email":
			return "a@example.com"
		case s.Pattern != "":
			return "abc"
		}
		return "text"
	}
	return map[string]any{}
}
