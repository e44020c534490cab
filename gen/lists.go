package main

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"
)

// The lists every resource must appear in, beyond its own files: the
// README's table and the contract's paths.

// The README's table of resources, between these lines.
const (
	readmeBegin = "<!-- resources: generated from gen/resources.go by go generate; do not edit -->\n"
	readmeEnd   = "<!-- /resources -->\n"
)

// readmeFile rewrites the README's table of resources: a row per resource,
// with the release that added its route when older supported ones lack it.
func (g *generator) readmeFile(root string) error {
	cur, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		return err
	}
	before, rest, ok := strings.Cut(string(cur), readmeBegin)
	_, after, ok2 := strings.Cut(rest, readmeEnd)
	if !ok || !ok2 {
		return fmt.Errorf("README.md: no %q ... %q block for the table of resources", readmeBegin, readmeEnd)
	}
	var b strings.Builder
	b.WriteString("| service | API | since | |\n|---|---|---|---|\n")
	oldest := g.rels[0].version
	for _, r := range resources {
		since := g.since(r)
		if since == "" {
			since = oldest
		}
		what := r.Summary
		if what == "" {
			what = r.Nouns
		}
		fmt.Fprintf(&b, "| `client.%s` | `/api/v3/%s` | %s | %s |\n", r.plural(), r.Path, since, what)
	}
	g.files["README.md"] = []byte(before + readmeBegin + b.String() + readmeEnd + after)
	return nil
}

// pathsFile writes contract/internal/schemacut/zz_paths.go: the operations
// the SDK sends and the fake serves, every resource's collection, object and
// used_by paths and its hand-written methods' routes.
func (g *generator) pathsFile() error {
	var b strings.Builder
	b.WriteString("// SDKPaths are the operations the SDK sends, and the fake serves. The pinned\n// release's cut must have each (cmd/cutschema fails without -missing-ok);\n// older releases may lack some. The README's table of releases says what\n// changed between releases in these operations.\nvar SDKPaths = []string{\n")
	for _, r := range resources {
		item := r.itemPath(g.pinned())
		paths := []string{"/" + r.Path}
		if g.has(item, "get") {
			paths = append(paths, item)
		}
		if g.has(item+"used_by/", "get") {
			paths = append(paths, item+"used_by/")
		}
		for _, p := range append(paths, r.Routes...) {
			if _, ok := g.pinned().Paths[p]; !ok {
				return fmt.Errorf("%s: the pinned schema has no %s", r.Component, p)
			}
			fmt.Fprintf(&b, "\t%q,\n", p)
		}
	}
	b.WriteString("}\n")
	out, err := format.Source([]byte(header + "package schemacut\n\n" + b.String()))
	if err != nil {
		return err
	}
	g.files["contract/internal/schemacut/zz_paths.go"] = out
	return nil
}
