// Command gen writes the SDK's generated files (zz_*.go at the repository
// root) from the declarations in resources.go and the schema cuts of every
// supported authentik release (contract/testdata). Run it with go generate at
// the root; with -check it writes nothing and fails when a file differs from
// what it would write (CI runs that).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	root := flag.String("root", "..", "the repository root")
	check := flag.Bool("check", false, "write nothing; fail when a generated file is not current")
	flag.Parse()
	files, err := generate(*root)
	if err == nil {
		err = apply(*root, files, *check)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// generate returns every generated file's contents by name.
func generate(root string) (map[string][]byte, error) {
	rels, err := loadReleases(root)
	if err != nil {
		return nil, err
	}
	g := &generator{rels: rels, files: map[string][]byte{}, types: map[string]bool{}, written: map[string]bool{},
		patterns: map[string]string{}, isEnum: map[string]bool{}, older: map[string]bool{}}
	for _, r := range resources {
		if err := g.resourceFile(r); err != nil {
			return nil, err
		}
		if err := g.fakeFile(r); err != nil {
			return nil, err
		}
	}
	for _, t := range alsoTypes {
		g.types[t] = true
	}
	if err := g.typesFile(); err != nil {
		return nil, err
	}
	if err := g.quirksFile(); err != nil {
		return nil, err
	}
	if err := g.clientFile(); err != nil {
		return nil, err
	}
	if err := g.contractFile(); err != nil {
		return nil, err
	}
	if err := g.collectionsFile(); err != nil {
		return nil, err
	}
	if err := g.readmeFile(root); err != nil {
		return nil, err
	}
	if err := g.testsFile(); err != nil {
		return nil, err
	}
	if err := g.pathsFile(); err != nil {
		return nil, err
	}
	return g.files, nil
}

// apply writes files, and removes generated files that are no longer made;
// with check, it only reports the differences.
func apply(root string, files map[string][]byte, check bool) error {
	old, err := filepath.Glob(filepath.Join(root, "zz_*.go"))
	if err != nil {
		return err
	}
	for _, dir := range []string{"contract", "authentiktest", "contract/internal/schemacut"} {
		more, err := filepath.Glob(filepath.Join(root, dir, "zz_*.go"))
		if err != nil {
			return err
		}
		old = append(old, more...)
	}
	var stale []string
	for _, path := range old {
		rel, _ := filepath.Rel(root, path)
		if _, ok := files[filepath.ToSlash(rel)]; !ok {
			stale = append(stale, rel+" (no longer generated)")
			if !check {
				if err := os.Remove(path); err != nil {
					return err
				}
			}
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		path := filepath.Join(root, n)
		if cur, err := os.ReadFile(path); err == nil && bytes.Equal(cur, files[n]) {
			continue
		}
		stale = append(stale, n)
		if !check {
			if err := os.WriteFile(path, files[n], 0o644); err != nil {
				return err
			}
		}
	}
	if check && len(stale) > 0 {
		return fmt.Errorf("not current, run go generate at the repository root: %s", strings.Join(stale, ", "))
	}
	return nil
}
