package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The part of OpenAPI 3 that the schema cuts use and the generator reads. The
// cuts are JSON (contract/cmd/cutschema writes them), so encoding/json is all
// it takes.

type document struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas    map[string]*schema    `json:"schemas"`
		Parameters map[string]*parameter `json:"parameters"`
	} `json:"components"`
}

type schema struct {
	Ref         string             `json:"$ref"`
	AllOf       []*schema          `json:"allOf"`
	Type        string             `json:"type"`
	Format      string             `json:"format"`
	Enum        []any              `json:"enum"`
	Items       *schema            `json:"items"`
	Properties  map[string]*schema `json:"properties"`
	AddProps    json.RawMessage    `json:"additionalProperties"`
	Required    []string           `json:"required"`
	Nullable    bool               `json:"nullable"`
	ReadOnly    bool               `json:"readOnly"`
	WriteOnly   bool               `json:"writeOnly"`
	Description string             `json:"description"`
	Minimum     *float64           `json:"minimum"`
	Maximum     *float64           `json:"maximum"`
	MinLength   *int               `json:"minLength"`
	MaxLength   *int               `json:"maxLength"`
	Pattern     string             `json:"pattern"`
}

type parameter struct {
	Ref    string  `json:"$ref"`
	Name   string  `json:"name"`
	In     string  `json:"in"`
	Schema *schema `json:"schema"`
}

type operation struct {
	OperationID string       `json:"operationId"`
	Parameters  []*parameter `json:"parameters"`
}

// release is one supported release's cut.
type release struct {
	version string
	doc     *document
}

// loadReleases reads contract/testdata/releases/RELEASES and each release's
// cut, oldest first, and the pinned release's cut last (it is the newest).
func loadReleases(root string) ([]release, error) {
	dir := filepath.Join(root, "contract", "testdata")
	pin, err := os.ReadFile(filepath.Join(dir, "PIN"))
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, "releases", "RELEASES"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cache := map[string]*document{}
	var out []release
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 {
			return nil, fmt.Errorf("RELEASES: %q: want version, sha256, cut", line)
		}
		doc := cache[fields[2]]
		if doc == nil {
			if doc, err = loadDoc(filepath.Join(dir, "releases", fields[2])); err != nil {
				return nil, err
			}
			cache[fields[2]] = doc
		}
		out = append(out, release{version: fields[0], doc: doc})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	version := strings.TrimSpace(string(pin))
	if len(out) == 0 || out[len(out)-1].version != version {
		return nil, fmt.Errorf("RELEASES does not end with the pinned release %s", version)
	}
	doc, err := loadDoc(filepath.Join(dir, "stages-openapi-"+version+".json"))
	if err != nil {
		return nil, err
	}
	out[len(out)-1].doc = doc
	return out, nil
}

func loadDoc(path string) (*document, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &d, nil
}

// refName is the component a $ref names, or "".
func refName(ref string) string {
	return strings.TrimPrefix(ref, "#/components/schemas/")
}

// target is the component a property refers to, directly or through a
// one-element allOf (how drf-spectacular adds a description to a $ref).
func (s *schema) target() string {
	if s.Ref != "" {
		return refName(s.Ref)
	}
	if len(s.AllOf) == 1 && s.AllOf[0].Ref != "" {
		return refName(s.AllOf[0].Ref)
	}
	return ""
}

// operation is one method of a path, or nil.
func (d *document) operation(path, method string) (*operation, error) {
	raw, ok := d.Paths[path][method]
	if !ok {
		return nil, nil
	}
	var op operation
	if err := json.Unmarshal(raw, &op); err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	for i, p := range op.Parameters {
		if p.Ref != "" {
			resolved := d.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
			if resolved == nil {
				return nil, fmt.Errorf("%s %s: unknown parameter %s", method, path, p.Ref)
			}
			op.Parameters[i] = resolved
		}
	}
	return &op, nil
}

// filters are a list operation's query parameters but those of ListOptions
// (ordering, page, page_size, search).
func (op *operation) filters() []*parameter {
	var out []*parameter
	for _, p := range op.Parameters {
		if p.In != "query" || p.Schema == nil {
			continue
		}
		switch p.Name {
		case "ordering", "page", "page_size", "search":
			continue
		}
		out = append(out, p)
	}
	return out
}
