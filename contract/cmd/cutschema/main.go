// Command cutschema cuts the flow-configuration API out of authentik's full
// OpenAPI schema: every path under schemacut.Prefixes (/flows/instances/,
// /flows/bindings/, /stages/), all of their operations, with every component
// they reference (transitively) and the security schemes, and writes it as
// JSON (which is YAML too), sorted, so that the same schema gives the same
// bytes. The contract tests load the cut, so that they need neither the 5 MB
// schema nor a network.
//
// Without -missing-ok it fails unless the schema has every path the SDK uses
// today (schemacut.SDKPaths): the pinned release must. Either way it fails if
// a prefix matches no path.
//
//	go run ./cmd/cutschema full-schema.yml > testdata/stages-openapi-2026.8.3.json
//	go run ./cmd/cutschema -missing-ok old-schema.yml > testdata/releases/2025.8.0.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authentik-go/authentik/contract/internal/schemacut"
)

func main() {
	missingOK := flag.Bool("missing-ok", false, "accept a schema that lacks some of the paths the SDK uses (an older release), instead of failing")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: cutschema [-missing-ok] <full schema.yml>")
		os.Exit(2)
	}
	full, err := openapi3.NewLoader().LoadFromFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := schemacut.Cut(full, schemacut.Selection{Prefixes: schemacut.Prefixes, Required: schemacut.SDKPaths, MissingOK: *missingOK})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(strings.TrimSpace(string(b)))
}
