package contract

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authentik-go/authentik/contract/internal/schemacut"
)

// Release is one release of authentik whose schema the contract checks: its
// version and the cut of its schema (testdata/releases/RELEASES lists them).
type Release struct {
	Version string
	Cut     string // file below testdata/releases, shared by releases that differ only in info.version
	SHA256  string // of the release's full schema.yml
}

// Releases lists every release from 2025.8.0 to the pin, oldest first.
func Releases() ([]Release, error) {
	f, err := os.Open(filepath.Join(Dir(), "testdata", "releases", "RELEASES"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Release
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Fields(line)
		if len(parts) != 3 {
			return nil, fmt.Errorf("RELEASES: %q is not <version> <sha256> <cut>", line)
		}
		out = append(out, Release{Version: parts[0], SHA256: parts[1], Cut: parts[2]})
	}
	return out, sc.Err()
}

// Load loads the release's cut (validated, as LoadSchema does).
func (r Release) Load() (*openapi3.T, error) {
	doc, err := load(filepath.Join(Dir(), "testdata", "releases", r.Cut))
	if err != nil {
		return nil, err
	}
	doc.Info.Version = r.Version
	return doc, nil
}

// Has reports whether doc has the operation method path (path below /api/v3).
func Has(doc *openapi3.T, method, path string) bool {
	item := doc.Paths.Value(path)
	return item != nil && item.GetOperation(method) != nil
}

// comparedSchemas are the components whose properties the SDK reads or sends.
var comparedSchemas = []string{
	"EmailStage", "InvitationStage", "FlowSet", "Flow", "Invitation", "PartialUser", "Pagination",
	"PaginatedEmailStageList", "PaginatedInvitationStageList", "PaginatedInvitationList",
	"EmailStageRequest", "InvitationStageRequest", "InvitationRequest", "InvitationSendEmailRequest",
	"UsedBy", "TypeCreate", "ThemedUrls",
}

// comparedEnums are the enums the SDK has constants for.
var comparedEnums = []string{
	"FlowDesignationEnum", "FlowLayoutEnum", "PolicyEngineMode", "DeniedActionEnum", "UsedByActionEnum", "AuthenticationEnum",
}

// Differences lists what changed from prev to cur in what the SDK uses:
// operations, query parameters of the list operations, properties of the
// compared schemas, and enum values. Each entry is "+ added" or "- removed".
// It compares every operation of the two documents: give it SDKViews.
func Differences(prev, cur *openapi3.T) []string {
	var out []string
	ops := func(doc *openapi3.T) map[string]*openapi3.Operation {
		m := map[string]*openapi3.Operation{}
		for p, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				m[method+" "+p] = op
			}
		}
		return m
	}
	po, co := ops(prev), ops(cur)
	out = append(out, setDiff("", keys(po), keys(co))...)
	for name, op := range co {
		old, ok := po[name]
		if !ok || !strings.HasPrefix(name, "GET") {
			continue
		}
		out = append(out, setDiff(name+" ?", queryParams(old), queryParams(op))...)
	}
	schemas := func(doc *openapi3.T, name string) []string {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			return nil
		}
		return keys(ref.Value.Properties)
	}
	present := func(doc *openapi3.T, name string) bool { return doc.Components.Schemas[name] != nil }
	for _, name := range comparedSchemas {
		switch {
		case !present(prev, name) && present(cur, name):
			out = append(out, "+ schema "+name)
		case present(prev, name) && !present(cur, name):
			out = append(out, "- schema "+name)
		case present(prev, name):
			out = append(out, setDiff(name+".", schemas(prev, name), schemas(cur, name))...)
		}
	}
	for _, name := range comparedEnums {
		values := func(doc *openapi3.T) []string {
			ref := doc.Components.Schemas[name]
			if ref == nil || ref.Value == nil {
				return nil
			}
			var v []string
			for _, e := range ref.Value.Enum {
				v = append(v, fmt.Sprint(e))
			}
			return v
		}
		out = append(out, setDiff(name+" ", values(prev), values(cur))...)
	}
	sort.Strings(out)
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func queryParams(op *openapi3.Operation) []string {
	var out []string
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
			out = append(out, p.Value.Name)
		}
	}
	return out
}

// setDiff is "+ <prefix><x>" for what only b has and "- <prefix><x>" for what only a has.
func setDiff(prefix string, a, b []string) []string {
	in := func(list []string, x string) bool {
		for _, y := range list {
			if y == x {
				return true
			}
		}
		return false
	}
	var out []string
	for _, x := range b {
		if !in(a, x) {
			out = append(out, "+ "+prefix+x)
		}
	}
	for _, x := range a {
		if !in(b, x) {
			out = append(out, "- "+prefix+x)
		}
	}
	return out
}

// SDKView narrows a release's cut (the whole flow-configuration API) to what
// the SDK uses today: the paths of schemacut.SDKPaths the release has, with
// the components they reference. Its JSON, but for info.version, is the key
// under which the release table groups releases.
func SDKView(doc *openapi3.T) (*openapi3.T, string, error) {
	view, err := schemacut.Cut(doc, schemacut.Selection{Required: schemacut.SDKPaths, MissingOK: true})
	if err != nil {
		return nil, "", err
	}
	info := *view.Info
	info.Version = ""
	keyed := *view
	keyed.Info = &info
	b, err := json.Marshal(&keyed)
	if err != nil {
		return nil, "", err
	}
	return view, string(b), nil
}

// ReleaseTable is the README's table of supported releases: releases the SDK
// sees alike (their cuts agree on the SDK's paths and what these reference,
// SDKView) are one row; each row says what changed from the row before.
func ReleaseTable(releases []Release) (string, error) {
	type row struct {
		first, last string
		view        *openapi3.T
		key         string
	}
	var rows []row
	loaded := map[string]*openapi3.T{} // by cut file
	for _, rel := range releases {
		doc := loaded[rel.Cut]
		if doc == nil {
			var err error
			if doc, err = rel.Load(); err != nil {
				return "", err
			}
			loaded[rel.Cut] = doc
		}
		view, key, err := SDKView(doc)
		if err != nil {
			return "", fmt.Errorf("%s: %w", rel.Version, err)
		}
		if n := len(rows); n > 0 && rows[n-1].key == key {
			rows[n-1].last = rel.Version
			continue
		}
		rows = append(rows, row{first: rel.Version, last: rel.Version, view: view, key: key})
	}
	var b strings.Builder
	b.WriteString("| authentik | what changed for the SDK (from the row above) |\n| --- | --- |\n")
	for i, r := range rows {
		versions := r.first
		if r.last != r.first {
			versions += " – " + r.last
		}
		what := "the first release whose npm package ships schema.yml; older ones are covered by recorded responses"
		if i > 0 {
			diffs := Differences(rows[i-1].view, r.view)
			what = "no change the SDK sees"
			if len(diffs) > 0 {
				what = "`" + strings.Join(diffs, "`, `") + "`"
			}
		}
		fmt.Fprintf(&b, "| %s | %s |\n", versions, what)
	}
	return b.String(), nil
}
