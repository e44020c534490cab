package testkit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Layout describes how a package splits resources from plumbing: a resource
// is declared in files of its own, and the plumbing that serves every
// resource names none of them.
type Layout struct {
	// Dir is the package's directory.
	Dir string
	// Resources match the files that declare resources (filepath.Match
	// patterns on the base name).
	Resources []string
	// Registries are the files allowed to name resources: the list of them
	// (a table, the Client's fields) and data built from them (demo data).
	Registries []string
}

// apiPath is a string literal naming a collection below /api/v3/.
var apiPath = regexp.MustCompile(`^/?(api/v3/)?(stages|flows|core|providers|sources|policies|outposts|events|rbac)/[a-z_]+`)

// CheckPlumbing fails t for every identifier declared at the top level of a
// resource file that a plumbing file (any other non-test file of the package,
// not a registry) refers to, and for every plumbing string literal that names
// an API collection: adding a resource must not mean touching plumbing.
func CheckPlumbing(t testing.TB, l Layout) {
	t.Helper()
	matches := func(name string, patterns []string) bool {
		for _, p := range patterns {
			if ok, _ := filepath.Match(p, name); ok {
				return true
			}
		}
		return false
	}
	entries, err := os.ReadDir(l.Dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	declared := map[string]string{} // identifier -> the resource file declaring it
	var plumbing []*ast.File
	var resources int
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(l.Dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case matches(name, l.Registries):
		case matches(name, l.Resources):
			resources++
			for _, id := range topLevel(f) {
				declared[id] = name
			}
		default:
			plumbing = append(plumbing, f)
		}
	}
	if resources == 0 || len(plumbing) == 0 {
		t.Fatalf("%s: %d resource files and %d plumbing files: the layout's patterns match nothing", l.Dir, resources, len(plumbing))
	}
	var found []string
	for _, f := range plumbing {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				ast.Inspect(x.X, func(n ast.Node) bool { // x.Sel is a field or method: any type may have it
					if id, ok := n.(*ast.Ident); ok {
						if res, ok := declared[id.Name]; ok {
							found = append(found, fset.Position(id.Pos()).String()+": "+id.Name+" (declared in "+res+")")
						}
					}
					return true
				})
				return false
			case *ast.Ident:
				if res, ok := declared[x.Name]; ok {
					found = append(found, fset.Position(x.Pos()).String()+": "+x.Name+" (declared in "+res+")")
				}
			case *ast.BasicLit:
				if x.Kind == token.STRING {
					if s, err := strconv.Unquote(x.Value); err == nil && apiPath.MatchString(s) {
						found = append(found, fset.Position(x.Pos()).String()+": the collection path "+x.Value)
					}
				}
			}
			return true
		})
	}
	sort.Strings(found)
	for _, f := range slices.Compact(found) {
		t.Errorf("plumbing names a resource: %s", f)
	}
}

// topLevel are the names a file declares at the top level (methods excluded:
// their names are not the resource's own).
func topLevel(f *ast.File) []string {
	var out []string
	for _, d := range f.Decls {
		switch x := d.(type) {
		case *ast.FuncDecl:
			if x.Recv == nil && x.Name.Name != "init" {
				out = append(out, x.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range x.Specs {
				switch y := s.(type) {
				case *ast.TypeSpec:
					out = append(out, y.Name.Name)
				case *ast.ValueSpec:
					for _, n := range y.Names {
						if n.Name != "_" {
							out = append(out, n.Name)
						}
					}
				}
			}
		}
	}
	return out
}
