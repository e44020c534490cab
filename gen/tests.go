package main

import (
	"encoding/json"
	"fmt"
	"go/format"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// testsFile writes zz_resources_test.go: for every resource, each operation
// the pinned schema has, as a call with the request it must send (method,
// path, every query parameter, body) and an answer with every field of the
// model set, which the test (resources_test.go) checks decodes intact.
func (g *generator) testsFile() error {
	var b strings.Builder
	b.WriteString("var resourceCases = []resourceCase{\n")
	for i, r := range resources {
		doc := g.pinned()
		item := r.itemPath(doc)
		key := fmt.Sprintf("0a0b0c0d-0e0f-4a1b-8c2d-%012d", i+1)
		if r.Key == "slug" {
			key = "a-slug_1"
		}
		model := r.Component
		obj, err := g.sample(model, 0)
		if err != nil {
			return err
		}
		keyField := "pk"
		if r.Key != "" {
			keyField = r.Key
		}
		obj[keyField] = key // the SDK checks that the answer is the object asked for
		raw, _ := json.Marshal(obj)
		fmt.Fprintf(&b, "\t{\n\t\tname: %q, path: %q, key: %q,\n\t\tobject: %q,\n", r.plural(), r.Path, key, raw)
		svc := "c." + r.plural()
		if g.has("/"+r.Path, "get") {
			opts, query, err := g.sampleOptions(r)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "\t\tlist: func(ctx context.Context, c *Client) (any, error) { return %s.List(ctx, %s) },\n\t\tquery: %q,\n", svc, opts, query)
			fmt.Fprintf(&b, "\t\tall: func(ctx context.Context, c *Client) (n int, err error) {\n\t\t\tfor _, err = range %s.All(ctx, nil) {\n\t\t\t\tif err != nil {\n\t\t\t\t\treturn n, err\n\t\t\t\t}\n\t\t\t\tn++\n\t\t\t}\n\t\t\treturn n, nil\n\t\t},\n", svc)
		}
		if g.has(item, "get") {
			fmt.Fprintf(&b, "\t\tget: func(ctx context.Context, c *Client) (any, error) { return %s.Get(ctx, %q) },\n", svc, key)
		}
		if g.has("/"+r.Path, "post") && !r.handwritten("request") {
			req, body, err := g.sampleRequest(r)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "\t\tbody: %q,\n", body)
			fmt.Fprintf(&b, "\t\tcreate: func(ctx context.Context, c *Client) (any, error) { return %s.Create(ctx, %s) },\n", svc, req)
			if g.has(item, "put") {
				fmt.Fprintf(&b, "\t\tupdate: func(ctx context.Context, c *Client) (any, error) { return %s.Update(ctx, %q, %s) },\n", svc, key, req)
			}
			if g.has(item, "patch") {
				fmt.Fprintf(&b, "\t\tpatch: func(ctx context.Context, c *Client) (any, error) { return %s.Patch(ctx, %q, %s) },\n", svc, key, req)
			}
		}
		if g.has(item, "delete") {
			fmt.Fprintf(&b, "\t\tremove: func(ctx context.Context, c *Client) error { return %s.Delete(ctx, %q) },\n", svc, key)
		}
		if g.has(item+"used_by/", "get") {
			fmt.Fprintf(&b, "\t\tusedBy: func(ctx context.Context, c *Client) ([]UsedBy, error) { return %s.UsedBy(ctx, %q) },\n", svc, key)
		}
		b.WriteString("\t},\n")
	}
	b.WriteString("}\n\n// secretCases are every write-only field of every request type.\nvar secretCases = []secretCase{\n")
	for _, r := range resources {
		if !g.has("/"+r.Path, "post") || r.handwritten("request") {
			continue
		}
		c, err := union(g.rels, r.Component+"Request")
		if err != nil {
			return err
		}
		req, _, err := g.sampleRequest(r)
		if err != nil {
			return err
		}
		for _, f := range c.fields {
			if !f.schema.WriteOnly || f.until != "" {
				continue
			}
			fmt.Fprintf(&b, "\t{name: %q,\n\t\tcreate: func(ctx context.Context, c *Client, secret string) (any, error) {\n\t\t\treq := %s\n\t\t\treq.%s = Ptr(secret)\n\t\t\treturn req, func() error { _, err := c.%s.Create(ctx, req); return err }()\n\t\t}},\n",
				r.Component+"Request."+goName(f.json), req, goName(f.json), r.plural())
		}
	}
	b.WriteString("}\n")
	imports := "import \"context\"\n\n"
	if strings.Contains(b.String(), "time.") {
		imports = "import (\n\t\"context\"\n\t\"time\"\n)\n\n"
	}
	src := header + "package authentik\n\n" + imports + b.String()
	out, err := format.Source([]byte(src))
	if err != nil {
		return fmt.Errorf("zz_resources_test.go: %w\n%s", err, src)
	}
	g.files["zz_resources_test.go"] = out
	return nil
}

// sample is an object of a component with every property of the pinned
// release set to a value of its type (nested components to depth 2).
func (g *generator) sample(name string, depth int) (map[string]any, error) {
	c := g.pinned().Components.Schemas[name]
	if c == nil {
		return nil, fmt.Errorf("sample: no component %s", name)
	}
	out := map[string]any{}
	for _, n := range sortedKeys(c.Properties) {
		if c.Properties[n].WriteOnly {
			continue
		}
		v, err := g.sampleValue(n, c.Properties[n], depth)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", name, n, err)
		}
		if v != nil {
			out[n] = v
		}
	}
	return out, nil
}

func (g *generator) sampleValue(name string, s *schema, depth int) (any, error) {
	if t := s.target(); t != "" {
		c := g.pinned().Components.Schemas[t]
		if c != nil && len(c.Enum) > 0 {
			return enumStrings(c.Enum)[len(enumStrings(c.Enum))-1], nil
		}
		if depth >= 2 {
			return nil, nil
		}
		return g.sample(t, depth+1)
	}
	switch s.Type {
	case "boolean":
		return true, nil
	case "integer":
		return len(name) + 3, nil
	case "number":
		return 0.25, nil
	case "array":
		if s.Items == nil {
			return []any{}, nil
		}
		v, err := g.sampleValue(name, s.Items, depth)
		if err != nil || v == nil {
			return []any{}, err
		}
		return []any{v}, nil
	case "object":
		return map[string]any{"k": name}, nil
	case "string":
		switch s.Format {
		case "uuid":
			return fmt.Sprintf("1a2b3c4d-0000-4000-8000-%012d", len(name)), nil
		case "date-time":
			return "2026-01-02T03:04:05Z", nil
		case "uri":
			return "https://example.com/" + name, nil
		}
		if len(s.Enum) > 0 {
			return enumStrings(s.Enum)[0], nil
		}
		return name + "-value", nil
	}
	return nil, fmt.Errorf("no sample for type %q", s.Type)
}

// sampleOptions sets every filter of the list options, and the query they
// must give.
func (g *generator) sampleOptions(r resource) (string, string, error) {
	op, err := g.pinned().operation("/"+r.Path, "get")
	if err != nil || op == nil {
		return "", "", fmt.Errorf("%s: no list", r.Component)
	}
	var fields []string
	q := url.Values{}
	for _, p := range op.filters() {
		s, gn := p.Schema, goName(p.Name)
		switch {
		case s.target() != "":
			vals, err := g.enumValues(s.target())
			if err != nil {
				return "", "", err
			}
			fields = append(fields, fmt.Sprintf("%s: %q", gn, vals[0]))
			q.Set(p.Name, vals[0])
		case s.Type == "boolean":
			fields = append(fields, gn+": Ptr(false)")
			q.Set(p.Name, "false")
		case s.Type == "integer" || s.Type == "number":
			fields = append(fields, gn+": Ptr(7)")
			q.Set(p.Name, "7")
		case s.Type == "array":
			a, b := "1a2b3c4d-0000-4000-8000-000000000001", "1a2b3c4d-0000-4000-8000-000000000002"
			if s.Items == nil || s.Items.Format != "uuid" {
				a, b = "a", "b"
			}
			fields = append(fields, fmt.Sprintf("%s: []string{%q, %q}", gn, a, b))
			q[p.Name] = []string{a, b}
		case s.Format == "date-time":
			fields = append(fields, gn+": Ptr(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))")
			q.Set(p.Name, "2026-01-02T03:04:05Z")
		case s.Format == "uuid":
			v := "1a2b3c4d-0000-4000-8000-000000000003"
			fields = append(fields, fmt.Sprintf("%s: %q", gn, v))
			q.Set(p.Name, v)
		default:
			fields = append(fields, fmt.Sprintf("%s: %q", gn, p.Name+" v"))
			q.Set(p.Name, p.Name+" v")
		}
	}
	fields = append(fields, "ListOptions: ListOptions{Page: 2, PageSize: 5, Ordering: \"-name\", Search: \"s\"}")
	q.Set("page", "2")
	q.Set("page_size", "5")
	q.Set("ordering", "-name")
	q.Set("search", "s")
	sort.Strings(fields)
	return fmt.Sprintf("&%sListOptions{%s}", r.Component, strings.Join(fields, ", ")), q.Encode(), nil
}

// sampleRequest is a request with every field the newest release takes set,
// and its JSON.
func (g *generator) sampleRequest(r resource) (string, string, error) {
	c, err := union(g.rels, r.Component+"Request")
	if err != nil {
		return "", "", err
	}
	var fields []string
	body := map[string]any{}
	for _, f := range c.fields {
		if f.until != "" {
			continue
		}
		s, gn := f.schema, goName(f.json)
		v, err := g.sampleValue(f.json, s, 2)
		if err != nil {
			return "", "", err
		}
		if s.Pattern == "^[-a-zA-Z0-9_]+$" {
			v = "a-slug_1"
		}
		if s.Format == "email" {
			v = "ops@example.com"
		}
		if slices.Contains(r.Fake.Validators[f.json], "timedeltaString") {
			v = "minutes=5"
		}
		if s.Type == "object" && s.target() == "" {
			fields = append(fields, fmt.Sprintf("%s: map[string]any{\"k\": %q}", gn, f.json))
			body[f.json] = v
			continue
		}
		t := g.goType(s, s.Type != "array")
		lit, err := goValue(t, v)
		if err != nil {
			return "", "", fmt.Errorf("%s.%s: %w", r.Component, f.json, err)
		}
		fields = append(fields, gn+": "+lit)
		body[f.json] = v
	}
	raw, _ := json.Marshal(body)
	return fmt.Sprintf("&%sRequest{%s}", r.Component, strings.Join(fields, ", ")), string(raw), nil
}

// goValue is a Go expression of type t for a sample value.
func goValue(t string, v any) (string, error) {
	if strings.HasPrefix(t, "[]") {
		elem := strings.TrimPrefix(t, "[]")
		var parts []string
		for _, x := range v.([]any) {
			p, err := goValue(elem, x)
			if err != nil {
				return "", err
			}
			parts = append(parts, p)
		}
		return t + "{" + strings.Join(parts, ", ") + "}", nil
	}
	ptr := strings.HasPrefix(t, "*")
	base := strings.TrimPrefix(t, "*")
	var lit string
	switch x := v.(type) {
	case string:
		lit = fmt.Sprintf("%s(%q)", base, x)
		if base == "string" {
			lit = fmt.Sprintf("%q", x)
		}
		if base == "time.Time" {
			return "", fmt.Errorf("no sample for a time")
		}
	case bool:
		lit = fmt.Sprint(x)
	case int:
		lit = fmt.Sprint(x)
	case float64:
		lit = fmt.Sprintf("%v", x)
	default:
		return "", fmt.Errorf("no Go value for %T", v)
	}
	if ptr {
		return fmt.Sprintf("Ptr[%s](%s)", base, lit), nil
	}
	return lit, nil
}
