package main

import (
	"fmt"
	"go/format"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The fake's side of a declaration: authentiktest/zz_<resource>.go holds the
// collection spec the fake serves the resource from. What the schema says
// (the writable fields, their types, lengths, ranges and choices; the list's
// filters) is read from the pinned release; what it cannot say (the model's
// defaults, its Django names, references and their on_delete, validators,
// search fields, hooks) comes from the declaration's Fake.

// fake declares what authentik's source says of a resource and its schema
// does not.
type fake struct {
	// Model is the Django model's object_name ("No <Model> matches the given
	// query."); "" is Component.
	Model string
	// App is the model's app_label, as used_by names it.
	App string
	// Source says where the viewset, serializer and model are, for the doc.
	Source string
	// UI, Verbose and VerbosePlural are a stage model's component,
	// verbose_name and verbose_name_plural: set for a stage type, which the
	// fake serves as a row of the Stage base (names unique across types,
	// flow_set derived from the bindings).
	UI, Verbose, VerbosePlural string
	// Defaults are the model's defaults of the writable fields the schema does
	// not require, by JSON name; a nullable field without one defaults to null.
	Defaults map[string]any
	// Validators are the model field's validators and the serializer's
	// validate_<field>, Go functions of authentiktest, by JSON name.
	Validators map[string][]string
	// Refs are the foreign keys to models the fake serves, by JSON name:
	// "<Model> <onDelete>" ("Flow setNull"; manyPKs for a list of pks). A
	// UUID field that is not here refers to a model the fake does not serve:
	// any UUID is accepted and kept as given.
	Refs map[string]string
	// Filters are filter specs (Go) that the parameter's schema type does not
	// give, by parameter.
	Filters map[string]string
	// Ordering are the fields OrderingFilter accepts, when not pk and every
	// readable field the model stores (the request's fields but write-only
	// ones).
	Ordering []string
	// Search are the viewset's search_fields, as paths through the JSON
	// ("stage_obj.name"); nil is name.
	Search []string
	// Actions are the viewset's routes besides used_by, as Go action values.
	Actions map[string]string
	// Spec are the collection's other fields, as Go expressions, by name
	// ("refs" replaces the references Refs would give, for nested objects).
	Spec map[string]string
}

// fakeFile writes authentiktest/zz_<resource>.go.
func (g *generator) fakeFile(r resource) error {
	f := r.Fake
	doc := g.pinned()
	var req *component
	if g.has("/"+r.Path, "post") {
		var err error
		if req, err = union(g.rels, r.Component+"Request"); err != nil {
			return err
		}
	}
	model := f.Model
	if model == "" {
		model = r.Component
	}
	var b strings.Builder
	comment(&b, "", fmt.Sprintf("%s is the %s collection (/api/v3/%s): %s.", r.varName(), r.Nouns, r.Path, f.Source))
	fmt.Fprintf(&b, "var %s = &collection{\n\tpath: %q, model: %q, app: %q,\n\ttyp: reflect.TypeFor[authentik.%s](),\n",
		r.varName(), r.Path, model, f.App, r.Component)
	if r.Key != "" {
		fmt.Fprintf(&b, "\tlookup: %q,\n", r.Key)
	}
	if f.UI != "" {
		fmt.Fprintf(&b, "\tbase: stageBase, add: addStage,\n\tcomputed: stageComputed(%q, %q, %q, %q),\n",
			f.UI, f.Verbose, f.VerbosePlural, f.App+"."+strings.ToLower(model))
	}
	// Filters: the list operation's parameters, by schema type.
	op, err := doc.operation("/"+r.Path, "get")
	if err != nil || op == nil {
		return fmt.Errorf("%s: the pinned schema has no list", r.Component)
	}
	b.WriteString("\tfilters: []filterSpec{\n")
	for _, p := range op.filters() {
		spec, ok := f.Filters[p.Name]
		if !ok {
			if spec, err = g.filterSpec(r, p); err != nil {
				return err
			}
		}
		fmt.Fprintf(&b, "\t\t%s,\n", spec)
	}
	b.WriteString("\t},\n")
	if len(f.Search) > 0 {
		b.WriteString("\tsearch: []searchField{")
		for _, s := range f.Search {
			fmt.Fprintf(&b, "{path: %#v}, ", strings.Split(s, "."))
		}
		b.WriteString("},\n")
	}
	// Fields: the request's, as the newest release takes them.
	ordering := []string{"pk"}
	if req != nil {
		b.WriteString("\tfields: []field{\n")
		for _, fl := range req.fields {
			if fl.until != "" {
				continue
			}
			spec, err := g.fakeField(r, fl)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "\t\t%s,\n", spec)
			if !fl.schema.WriteOnly {
				ordering = append(ordering, fl.json)
			}
		}
		b.WriteString("\t},\n")
		for name := range f.Defaults {
			if !slices.ContainsFunc(req.fields, func(f field) bool { return f.json == name }) {
				return fmt.Errorf("%s: Fake.Defaults[%s]: no such field in %sRequest", r.Component, name, r.Component)
			}
		}
	}
	if f.Ordering != nil {
		ordering = f.Ordering
	}
	fmt.Fprintf(&b, "\tordering: fieldSet(%s),\n", quoteAll(ordering))
	if refs := sortedKeys(f.Refs); len(refs) > 0 && f.Spec["refs"] == "" {
		b.WriteString("\trefs: []reference{\n")
		for _, name := range refs {
			to, onDelete, ok := strings.Cut(f.Refs[name], " ")
			if !ok {
				return fmt.Errorf("%s: Fake.Refs[%s]: want \"<Model> <on_delete>\"", r.Component, name)
			}
			obj, err := g.nestedRef(r, name, to)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "\t\t{field: %q, to: %q, onDelete: %s%s},\n", name, to, onDelete, obj)
		}
		b.WriteString("\t},\n")
	}
	actions := map[string]string{}
	if g.has(r.itemPath(doc)+"used_by/", "get") {
		actions["used_by"] = "usedBy"
	}
	for name, a := range f.Actions {
		actions[name] = a
	}
	if len(actions) > 0 {
		b.WriteString("\tactions: map[string]action{\n")
		for _, name := range sortedKeys(actions) {
			fmt.Fprintf(&b, "\t\t%q: %s,\n", name, actions[name])
		}
		b.WriteString("\t},\n")
	}
	for _, name := range sortedKeys(f.Spec) {
		fmt.Fprintf(&b, "\t%s: %s,\n", name, f.Spec[name])
	}
	b.WriteString("}\n")
	return g.writeFake("authentiktest/zz_"+snake(r.Component)+".go", b.String())
}

// nestedRef is the part of a reference spec that shows the referenced
// object(s): the response's "<field>_obj", and for a model no resource
// serves, a stub of its nested serializer's required fields.
func (g *generator) nestedRef(r resource, field, to string) (string, error) {
	resp := g.pinned().Components.Schemas[r.Component]
	if resp == nil || resp.Properties[field+"_obj"] == nil {
		return "", nil
	}
	obj := field + "_obj"
	for _, other := range resources {
		m := other.Fake.Model
		if m == "" {
			m = other.Component
		}
		if m == to || (to == "Stage" && other.Fake.UI != "") {
			return fmt.Sprintf(", obj: %q", obj), nil
		}
	}
	p := resp.Properties[obj]
	target := p.target()
	if target == "" && p.Items != nil {
		target = p.Items.target()
	}
	c := g.pinned().Components.Schemas[target]
	if c == nil {
		return "", fmt.Errorf("%s.%s: no component for %s", r.Component, obj, to)
	}
	stub := map[string]string{}
	key := ""
	for _, n := range sortedKeys(c.Properties) {
		ps := c.Properties[n]
		if ps.Format == "uuid" && key == "" {
			key = n
			continue
		}
		if !slices.Contains(c.Required, n) {
			continue
		}
		switch ps.Type {
		case "string":
			stub[n] = `""`
		case "boolean":
			stub[n] = "false"
		case "integer", "number":
			stub[n] = "0"
		default:
			return "", fmt.Errorf("%s.%s: no stub for %s.%s", r.Component, obj, target, n)
		}
	}
	parts := []string{}
	for _, n := range sortedKeys(stub) {
		parts = append(parts, fmt.Sprintf("%q: %s", n, stub[n]))
	}
	return fmt.Sprintf(", obj: %q, stub: map[string]any{%s}, stubKey: %q", obj, strings.Join(parts, ", "), key), nil
}

// filterSpec is the filter django-filter makes for a parameter, by its
// schema type.
func (g *generator) filterSpec(r resource, p *parameter) (string, error) {
	s := p.Schema
	path := ""
	if strings.Contains(p.Name, "__") {
		path = fmt.Sprintf(", path: %#v", strings.Split(p.Name, "__"))
	}
	if t := s.target(); t != "" {
		values, err := g.enumValues(t)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("{param: %q, kind: choiceFilter, choices: %#v%s}", p.Name, values, path), nil
	}
	if len(s.Enum) > 0 {
		return fmt.Sprintf("{param: %q, kind: choiceFilter, choices: %#v%s}", p.Name, enumStrings(s.Enum), path), nil
	}
	ref := strings.Fields(r.Fake.Refs[p.Name])
	switch {
	case s.Type == "boolean":
		return fmt.Sprintf("{param: %q, kind: boolWidget%s}", p.Name, path), nil
	case s.Type == "integer" || s.Type == "number":
		return fmt.Sprintf("{param: %q, kind: numberFilter%s}", p.Name, path), nil
	case s.Type == "array" && s.Items != nil && s.Items.Format == "uuid" && len(ref) > 0:
		return fmt.Sprintf("{param: %q, kind: refsFilter, ref: %q}", p.Name, ref[0]), nil
	case s.Format == "uuid" && len(ref) > 0:
		return fmt.Sprintf("{param: %q, kind: refFilter, ref: %q}", p.Name, ref[0]), nil
	case s.Format == "uuid":
		return fmt.Sprintf("{param: %q, kind: uuidFilter%s}", p.Name, path), nil
	case s.Format == "date-time":
		return fmt.Sprintf("{param: %q, kind: datetimeFilter%s}", p.Name, path), nil
	case s.Type == "string":
		return fmt.Sprintf("{param: %q, kind: charFilter%s}", p.Name, path), nil
	}
	return "", fmt.Errorf("%s: filter %s: no filter kind for its schema; declare it in Fake.Filters", r.Component, p.Name)
}

// fakeField is the serializer field the fake validates a request field with.
func (g *generator) fakeField(r resource, fl field) (string, error) {
	f := r.Fake
	s := fl.schema
	var b strings.Builder
	fmt.Fprintf(&b, "{name: %q, kind: ", fl.json)
	switch t := s.target(); {
	case t != "":
		values, err := g.enumValues(t)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "choiceField, choices: %#v", values)
	case s.Type == "boolean":
		b.WriteString("boolField")
	case s.Type == "integer":
		lo, hi := "-2147483648", "2147483647" // the database's integer
		if s.Minimum != nil {
			lo = num(*s.Minimum)
		}
		if s.Maximum != nil {
			hi = num(*s.Maximum)
		}
		fmt.Fprintf(&b, "intField, min: %s, max: %s", lo, hi)
	case s.Type == "number":
		b.WriteString("floatField")
	case s.Type == "object":
		b.WriteString("dictField")
	case s.Type == "array" && s.Items != nil && s.Items.target() != "":
		values, err := g.enumValues(s.Items.target())
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "choicesField, choices: %#v", values)
	case s.Type == "array" && s.Items != nil && s.Items.Format == "uuid":
		b.WriteString("refsField")
		if fl.require {
			b.WriteString(", nonEmpty: true")
		}
	case s.Type == "array" && s.Items != nil && s.Items.Type == "string":
		b.WriteString("textsField")
	case s.Type == "string" && s.Format == "uuid":
		b.WriteString("refField")
	case s.Type == "string" && s.Format == "date-time":
		b.WriteString("datetimeField")
	case s.Type == "string" && s.Format == "email":
		b.WriteString("emailField")
	case s.Type == "string" && s.MinLength != nil && *s.MinLength > 0:
		b.WriteString("textField")
	case s.Type == "string":
		b.WriteString("blankTextField")
	default:
		return "", fmt.Errorf("%s: field %s: no fake field kind for its schema", r.Component, fl.json)
	}
	if s.MaxLength != nil {
		fmt.Fprintf(&b, ", maxLength: %d", *s.MaxLength)
	}
	def, hasDef := f.Defaults[fl.json]
	switch {
	case hasDef && def != nil:
		lit, err := goLiteral(def)
		if err != nil {
			return "", fmt.Errorf("%s: Fake.Defaults[%s]: %w", r.Component, fl.json, err)
		}
		fmt.Fprintf(&b, ", def: %s", lit)
	case hasDef && !s.Nullable:
		return "", fmt.Errorf("%s: Fake.Defaults[%s] is null, but the field is not nullable", r.Component, fl.json)
	case !hasDef && !fl.require && !s.Nullable:
		return "", fmt.Errorf("%s: %s is optional in the schema: declare the model's default in Fake.Defaults", r.Component, fl.json)
	case hasDef && fl.require:
		return "", fmt.Errorf("%s: %s is required in the schema but has a default in Fake.Defaults", r.Component, fl.json)
	}
	if s.WriteOnly {
		b.WriteString(", writeOnly: true")
	}
	if s.Nullable {
		b.WriteString(", nullable: true")
	}
	if v := f.Validators[fl.json]; len(v) > 0 {
		fmt.Fprintf(&b, ", validators: []validator{%s}", strings.Join(v, ", "))
	}
	b.WriteString("}")
	return b.String(), nil
}

// enumValues are an enum component's values in the pinned release.
func (g *generator) enumValues(name string) ([]string, error) {
	c := g.pinned().Components.Schemas[name]
	if c == nil || len(c.Enum) == 0 {
		return nil, fmt.Errorf("%s is not an enum of the pinned schema", name)
	}
	return enumStrings(c.Enum), nil
}

func enumStrings(vs []any) []string {
	var out []string
	for _, v := range vs {
		if s, ok := v.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// goLiteral is a JSON-like value as Go, as the fake stores it.
func goLiteral(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return fmt.Sprintf("int64(%d)", x), nil
	case float64:
		return "float64(" + strconv.FormatFloat(x, 'g', -1, 64) + ")", nil
	case []any:
		if len(x) == 0 {
			return "[]any{}", nil
		}
		parts := make([]string, len(x))
		for i, e := range x {
			p, err := goLiteral(e)
			if err != nil {
				return "", err
			}
			parts[i] = p
		}
		return "[]any{" + strings.Join(parts, ", ") + "}", nil
	case map[string]any:
		if len(x) == 0 {
			return "map[string]any{}", nil
		}
	}
	return "", fmt.Errorf("no Go literal for %#v", v)
}

func (g *generator) has(path, method string) bool {
	_, ok := g.pinned().Paths[path][method]
	return ok
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// collectionsFile writes authentiktest/zz_collections.go: the fake's table,
// every resource in the order of Client's fields.
func (g *generator) collectionsFile() error {
	var b strings.Builder
	b.WriteString("// init fills the fake's table (authentik/api/v3/urls.py registers the viewsets\n// with DRF's router). A variable initializer would be an initialization\n// cycle: the collections' hooks call the plumbing, which reads the table.\nfunc init() {\n\tcollections = []*collection{\n")
	for _, r := range resources {
		fmt.Fprintf(&b, "\t\t%s,\n", r.varName())
	}
	b.WriteString("\t}\n}\n")
	return g.writeFake("authentiktest/zz_collections.go", b.String())
}

// writeFake formats a generated file of package authentiktest.
func (g *generator) writeFake(name, body string) error {
	src := header + "package authentiktest\n\n"
	if strings.Contains(body, "reflect.") {
		src += "import (\n\t\"reflect\"\n\n\t\"github.com/authentik-go/authentik\"\n)\n\n"
	}
	out, err := format.Source([]byte(src + body))
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", name, err, src+body)
	}
	g.files[name] = out
	return nil
}
