// Command cutschema cuts the operations the SDK uses out of authentik's full
// OpenAPI schema, with every component they reference (transitively) and the
// security schemes, and writes them as JSON (which is YAML too). The contract
// tests load the cut, so that they need neither the 5 MB schema nor a network.
//
//	go run ./cmd/cutschema full-schema.yml > testdata/stages-openapi-2026.8.3.json
//	go run ./cmd/cutschema -missing-ok old-schema.yml > testdata/releases/2025.8.0.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// paths are the operations the SDK sends, and the fake serves, below /api/v3.
var paths = []string{
	"/stages/email/",
	"/stages/email/{stage_uuid}/",
	"/stages/email/{stage_uuid}/used_by/",
	"/stages/email/templates/",
	"/stages/invitation/stages/",
	"/stages/invitation/stages/{stage_uuid}/",
	"/stages/invitation/stages/{stage_uuid}/used_by/",
	"/stages/invitation/invitations/",
	"/stages/invitation/invitations/{invite_uuid}/",
	"/stages/invitation/invitations/{invite_uuid}/used_by/",
	"/stages/invitation/invitations/{invite_uuid}/send_email/",
	"/flows/instances/",
	"/flows/instances/{slug}/",
}

func main() {
	missingOK := flag.Bool("missing-ok", false, "leave out the paths an older release does not have, instead of failing")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: cutschema [-missing-ok] <full schema.yml>")
		os.Exit(2)
	}
	loader := openapi3.NewLoader()
	full, err := loader.LoadFromFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := &openapi3.T{OpenAPI: full.OpenAPI, Info: full.Info, Servers: full.Servers, Security: full.Security,
		Paths: openapi3.NewPaths(), Components: &openapi3.Components{Schemas: openapi3.Schemas{},
			SecuritySchemes: full.Components.SecuritySchemes, Parameters: openapi3.ParametersMap{},
			Responses: openapi3.ResponseBodies{}}}
	need := map[string]bool{}
	var walk func(*openapi3.SchemaRef)
	seen := map[*openapi3.Schema]bool{}
	walk = func(r *openapi3.SchemaRef) {
		if r == nil {
			return
		}
		if r.Ref != "" {
			need[path.Base(r.Ref)] = true
		}
		s := r.Value
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		if s.AdditionalProperties.Schema != nil {
			walk(s.AdditionalProperties.Schema)
		}
		for _, l := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
			for _, x := range l {
				walk(x)
			}
		}
		walk(s.Not)
	}
	for _, p := range paths {
		item := full.Paths.Value(p)
		if item == nil && *missingOK {
			continue
		}
		if item == nil {
			fmt.Fprintf(os.Stderr, "the schema has no path %s\n", p)
			os.Exit(1)
		}
		out.Paths.Set(p, item)
		for _, op := range item.Operations() {
			for _, pr := range append(item.Parameters, op.Parameters...) {
				if pr.Ref != "" {
					out.Components.Parameters[path.Base(pr.Ref)] = full.Components.Parameters[path.Base(pr.Ref)]
				}
				if pr.Value != nil {
					walk(pr.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
			for code, resp := range op.Responses.Map() {
				_ = code
				if resp.Ref != "" {
					out.Components.Responses[path.Base(resp.Ref)] = full.Components.Responses[path.Base(resp.Ref)]
				}
				if resp.Value != nil {
					for _, mt := range resp.Value.Content {
						walk(mt.Schema)
					}
				}
			}
		}
	}
	for _, r := range out.Components.Responses {
		if r != nil && r.Value != nil {
			for _, mt := range r.Value.Content {
				walk(mt.Schema)
			}
		}
	}
	for _, p := range out.Components.Parameters {
		if p != nil && p.Value != nil {
			walk(p.Value.Schema)
		}
	}
	names := make([]string, 0, len(need))
	for n := range need {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s, ok := full.Components.Schemas[n]
		if !ok {
			fmt.Fprintf(os.Stderr, "missing component %s\n", n)
			os.Exit(1)
		}
		out.Components.Schemas[n] = s
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(strings.TrimSpace(string(b)))
}
