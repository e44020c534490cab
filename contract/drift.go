package contract

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authentik-go/authentik"
)

// models, enums and operations are what the drift check compares with the
// schema: the generator's lists (zz_sdk.go) and what is still written by hand.
var (
	models     = merged(generatedModels, map[string]reflect.Type{"Pagination": reflect.TypeFor[authentik.Pagination]()})
	enums      = generatedEnums
	operations = generatedOperations
)

// merged is a and b in one map.
func merged(a, b map[string]reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// Check compares doc with the SDK and returns every difference, each naming the
// component, property, parameter or enum value. No difference means no drift.
func Check(doc *openapi3.T) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	for name, typ := range models {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			add("schema %s: missing from the schema", name)
			continue
		}
		fields := jsonFields(typ)
		for prop, ps := range ref.Value.Properties {
			f, ok := fields[prop]
			if !ok {
				add("%s.%s: schema property has no Go field", name, prop)
				continue
			}
			if why := compatible(ps, f.Type); why != "" {
				add("%s.%s: Go field %s is %s, %s", name, prop, f.Name, f.Type, why)
			}
		}
		for jsonName, f := range fields {
			if _, ok := ref.Value.Properties[jsonName]; !ok && !olderServerFields[name+"."+jsonName] {
				add("%s.%s: Go field %s has no schema property", name, jsonName, f.Name)
			}
		}
	}

	consts, err := enumConstants()
	if err != nil {
		add("enums: %v", err)
	}
	for name, typ := range enums {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			add("schema %s: missing from the schema", name)
			continue
		}
		values := map[string]bool{}
		for _, v := range ref.Value.Enum {
			s := fmt.Sprint(v)
			values[s] = true
			if _, ok := consts[typ.Name()][s]; !ok {
				add("%s: value %q has no %s constant", name, s, typ.Name())
			}
		}
		for v, constName := range consts[typ.Name()] {
			if !values[v] {
				add("%s: constant %s = %q is not in the schema", name, constName, v)
			}
		}
	}

	for opID, typ := range operations {
		checkOptions(doc, opID, typ, add)
	}
	sort.Strings(problems)
	return problems
}

// checkOptions compares a list operation's query parameters with its options
// struct, both ways and by type.
func checkOptions(doc *openapi3.T, opID string, typ reflect.Type, add func(string, ...any)) {
	op := findOperation(doc, opID)
	if op == nil {
		add("operation %s: missing from the schema", opID)
		return
	}
	tags := urlFields(typ)
	seen := map[string]bool{}
	for _, pref := range op.Parameters {
		p := pref.Value
		if p == nil || p.In != openapi3.ParameterInQuery {
			continue
		}
		seen[p.Name] = true
		f, ok := tags[p.Name]
		if !ok {
			add("%s: query parameter %s has no option field", opID, p.Name)
			continue
		}
		if why := compatibleOption(p.Schema, f.Type); why != "" {
			add("%s: query parameter %s: option field %s is %s, %s", opID, p.Name, f.Name, f.Type, why)
		}
	}
	for tag, f := range tags {
		if !seen[tag] && !olderServerFields[opID+"."+tag] {
			add("%s: option field %s (%s) is not a query parameter", opID, f.Name, tag)
		}
	}
}

// jsonFields lists a struct's fields by JSON name.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Tag.Get("json") == "" { // promoted, as encoding/json reads them (Flow embeds FlowSet)
			for k, v := range jsonFields(f.Type) {
				if _, own := out[k]; !own {
					out[k] = v
				}
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "" && name != "-" {
			out[name] = f
		}
	}
	return out
}

// urlFields lists an options struct's fields by query name, embedded structs flattened.
func urlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			for k, v := range urlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("url"), ",")
		if f.IsExported() && name != "" && name != "-" {
			out[name] = f
		}
	}
	return out
}

// schemaType is a property's type, following allOf: [$ref] as the schema writes enums.
func schemaType(ref *openapi3.SchemaRef) (typ, refName string) {
	if ref == nil || ref.Value == nil {
		return "", ""
	}
	if ref.Ref != "" {
		refName = filepath.Base(ref.Ref)
	}
	v := ref.Value
	if len(v.AllOf) == 1 {
		return schemaType(v.AllOf[0])
	}
	if v.Type != nil && len(*v.Type) == 1 {
		typ = (*v.Type)[0]
	}
	return typ, refName
}

// compatible says why a Go type cannot hold a schema property ("" if it can).
func compatible(ref *openapi3.SchemaRef, t reflect.Type) string {
	typ, refName := schemaType(ref)
	if e, ok := enums[refName]; ok {
		if t != e {
			return "want " + e.String() + " for enum " + refName
		}
		return ""
	}
	if m, ok := models[refName]; ok && typ == "object" {
		if t.Kind() == reflect.Pointer {
			t = t.Elem() // a pointer decodes the object too (and null, which authentik sends for some)
		}
		if t != m {
			return "want " + m.String()
		}
		return ""
	}
	switch typ {
	case openapi3.TypeString:
		if ref.Value != nil && ref.Value.Format == "date-time" {
			if t != reflect.TypeFor[time.Time]() && t != reflect.TypeFor[*time.Time]() {
				return "want a time.Time or *time.Time"
			}
			return ""
		}
		if t.Kind() != reflect.String {
			return "want a string"
		}
	case openapi3.TypeObject: // free-form (a model's object is matched above)
		if t.Kind() != reflect.Map || t.Key().Kind() != reflect.String {
			return "want a map[string]..."
		}
	case openapi3.TypeBoolean:
		if t.Kind() != reflect.Bool {
			return "want a bool"
		}
	case openapi3.TypeInteger:
		if !isInt(t) {
			return "want an integer"
		}
	case openapi3.TypeNumber:
		if !isInt(t) && t.Kind() != reflect.Float64 {
			return "want a number"
		}
	case openapi3.TypeArray:
		if t.Kind() != reflect.Slice {
			return "want a slice"
		}
		return compatible(ref.Value.Items, t.Elem())
	default:
		return "schema type " + strconv.Quote(typ) + " is not mapped"
	}
	return ""
}

// compatibleOption is compatible for query parameters: booleans and integers are
// pointers (tri-state), except page and page_size, where 0 means "not set".
func compatibleOption(ref *openapi3.SchemaRef, t reflect.Type) string {
	typ, _ := schemaType(ref)
	switch typ {
	case openapi3.TypeBoolean:
		if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Bool {
			return "want *bool"
		}
	case openapi3.TypeInteger:
		if !isInt(t) && !(t.Kind() == reflect.Pointer && isInt(t.Elem())) {
			return "want an integer or *int"
		}
	case openapi3.TypeString:
		if ref.Value != nil && ref.Value.Format == "date-time" {
			if t != reflect.TypeOf(&time.Time{}) {
				return "want *time.Time"
			}
			return ""
		}
		if t.Kind() != reflect.String {
			return "want a string"
		}
	case openapi3.TypeArray: // a repeated parameter (policies=a&policies=b)
		if t.Kind() != reflect.Slice || ref.Value == nil {
			return "want a slice"
		}
		return compatibleOption(ref.Value.Items, t.Elem())
	default:
		return "schema type " + strconv.Quote(typ) + " is not mapped"
	}
	return ""
}

func isInt(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

func findOperation(doc *openapi3.T, id string) *openapi3.Operation {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == id {
				return op
			}
		}
	}
	return nil
}

// enumConstants reads the SDK's source (its generated and hand-written
// files): for each named string type, its constants by value. Reflection
// cannot list constants; the source can.
func enumConstants() (map[string]map[string]string, error) {
	paths, err := filepath.Glob(filepath.Join(Dir(), "..", "*.go"))
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return nil, err
		}
		if err := constantsOf(f, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// constantsOf adds the typed string constants of f to out.
func constantsOf(f *ast.File, out map[string]map[string]string) error {
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			ident, ok := vs.Type.(*ast.Ident)
			if !ok {
				continue
			}
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					return err
				}
				if out[ident.Name] == nil {
					out[ident.Name] = map[string]string{}
				}
				out[ident.Name][v] = name.Name
			}
		}
	}
	return nil
}

// requestTypes maps each request schema of the 2026.8.3 cut to the Go type the
// SDK sends it as: every field a pointer (nil is not sent).
var requestTypes = map[string]reflect.Type{
	"EmailStageRequest":      reflect.TypeOf(authentik.EmailStageRequest{}),
	"InvitationStageRequest": reflect.TypeOf(authentik.InvitationStageRequest{}),
	"InvitationRequest":      reflect.TypeOf(authentik.InvitationRequest{}),
}

// requestNames are the JSON names of request types whose fields carry no json
// tag because the type encodes itself (InvitationRequest's MarshalJSON sends
// null for a zero Expires or an empty Flow).
var requestNames = map[string]map[string]string{
	"InvitationRequest": {"Name": "name", "Expires": "expires", "FixedData": "fixed_data", "SingleUse": "single_use", "Flow": "flow"},
}

// writeModels are the response models of the 2026.8.3 cut, compared both ways
// like the read models (embedded structs flattened).
var writeModels = map[string]reflect.Type{
	"Invitation":  reflect.TypeOf(authentik.Invitation{}),
	"PartialUser": reflect.TypeOf(authentik.PartialUser{}),
	"Flow":        reflect.TypeOf(authentik.Flow{}),
	"ThemedUrls":  reflect.TypeOf(authentik.ThemedURLs{}),
}

// writeOperations maps the list operations of the cut to their options.
var writeOperations = map[string]reflect.Type{
	"stages_invitation_invitations_list": reflect.TypeOf(authentik.InvitationListOptions{}),
}

// flowOnlyInOlderNames: Flow's "background" is FlowSet's fallback field for
// servers before 2025.12 and a writable property of the full Flow; FlowSet
// reads it into Background when background_url is empty.
var flowFallback = map[string]bool{"Flow.background": true}

// partialModels are Go types that keep only some of a schema component's
// properties, on purpose: each Go field must be a property, not the reverse.
var partialModels = map[string]reflect.Type{
	"UsedBy":     reflect.TypeOf(authentik.UsedBy{}),
	"TypeCreate": reflect.TypeOf(authentik.EmailTemplate{}), // name and description, as stages/email/templates/ fills it
}

// writeEnums are the enums the write operations add.
var writeEnums = map[string]reflect.Type{
	"UsedByActionEnum":   reflect.TypeOf(authentik.UsedByAction("")),
	"AuthenticationEnum": reflect.TypeOf(authentik.FlowAuthentication("")),
}

// CheckWrites compares the 2026.8.3 cut with the SDK's request types, partial
// models and write enums, both ways where the mapping is whole.
func CheckWrites(doc *openapi3.T) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	schema := func(name string) *openapi3.Schema {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			add("schema %s: missing from the schema", name)
			return nil
		}
		return ref.Value
	}
	for name, typ := range requestTypes {
		s := schema(name)
		if s == nil {
			continue
		}
		fields := jsonFields(typ)
		if names := requestNames[name]; names != nil {
			fields = map[string]reflect.StructField{}
			for goName, jsonName := range names {
				f, ok := typ.FieldByName(goName)
				if !ok {
					add("%s: no Go field %s", name, goName)
					continue
				}
				fields[jsonName] = f
			}
		}
		for prop, ps := range s.Properties {
			if ps.Value != nil && ps.Value.ReadOnly {
				continue
			}
			f, ok := fields[prop]
			if !ok {
				add("%s.%s: schema property has no Go field", name, prop)
				continue
			}
			if f.Type.Kind() == reflect.Map {
				if typ, _ := schemaType(ps); typ != openapi3.TypeObject {
					add("%s.%s: Go field %s is %s, want the schema's %s", name, prop, f.Name, f.Type, typ)
				}
				continue
			}
			if f.Type.Kind() != reflect.Pointer {
				add("%s.%s: Go field %s is %s, want a pointer (nil: not sent)", name, prop, f.Name, f.Type)
				continue
			}
			if f.Type.Elem() == reflect.TypeOf(time.Time{}) {
				if ps.Value == nil || ps.Value.Format != "date-time" {
					add("%s.%s: Go field %s is %s, want a date-time property", name, prop, f.Name, f.Type)
				}
				continue
			}
			if why := compatible(ps, f.Type.Elem()); why != "" {
				add("%s.%s: Go field %s is %s, %s", name, prop, f.Name, f.Type, why)
			}
		}
		for jsonName, f := range fields {
			if _, ok := s.Properties[jsonName]; !ok {
				add("%s.%s: Go field %s has no schema property", name, jsonName, f.Name)
			}
		}
	}
	for name, typ := range writeModels {
		s := schema(name)
		if s == nil {
			continue
		}
		fields := flatJSONFields(typ)
		for prop, ps := range s.Properties {
			f, ok := fields[prop]
			if !ok {
				if !flowFallback[name+"."+prop] {
					add("%s.%s: schema property has no Go field", name, prop)
				}
				continue
			}
			if why := compatibleWrite(ps, f.Type); why != "" {
				add("%s.%s: Go field %s is %s, %s", name, prop, f.Name, f.Type, why)
			}
		}
		for jsonName, f := range fields {
			if _, ok := s.Properties[jsonName]; !ok {
				add("%s.%s: Go field %s has no schema property", name, jsonName, f.Name)
			}
		}
	}
	for opID, typ := range writeOperations {
		checkOptions(doc, opID, typ, add)
	}
	for name, typ := range partialModels {
		s := schema(name)
		if s == nil {
			continue
		}
		for jsonName, f := range jsonFields(typ) {
			ps, ok := s.Properties[jsonName]
			if !ok {
				add("%s.%s: Go field %s has no schema property", name, jsonName, f.Name)
				continue
			}
			if e, ok := writeEnums[refOf(ps)]; ok {
				if f.Type != e {
					add("%s.%s: Go field %s is %s, want %s", name, jsonName, f.Name, f.Type, e)
				}
				continue
			}
			if why := compatible(ps, f.Type); why != "" {
				add("%s.%s: Go field %s is %s, %s", name, jsonName, f.Name, f.Type, why)
			}
		}
	}
	consts, err := enumConstants()
	if err != nil {
		add("enums: %v", err)
	}
	for name, typ := range writeEnums {
		s := schema(name)
		if s == nil {
			continue
		}
		values := map[string]bool{}
		for _, v := range s.Enum {
			values[fmt.Sprint(v)] = true
			if _, ok := consts[typ.Name()][fmt.Sprint(v)]; !ok {
				add("%s: value %q has no %s constant", name, v, typ.Name())
			}
		}
		for v, constName := range consts[typ.Name()] {
			if !values[v] {
				add("%s: constant %s = %q is not in the schema", name, constName, v)
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// refOf is the component a property refers to, directly or through allOf.
func refOf(ref *openapi3.SchemaRef) string {
	_, name := schemaType(ref)
	return name
}

// flatJSONFields is jsonFields with embedded structs' fields promoted.
func flatJSONFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			for k, v := range flatJSONFields(f.Type) {
				if _, shadowed := out[k]; !shadowed {
					out[k] = v
				}
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "" && name != "-" {
			out[name] = f
		}
	}
	return out
}

// compatibleWrite is compatible for the write models: nullable values may be
// pointers, date-times are time.Time, objects are maps or the mapped models,
// and the enums of both maps count.
func compatibleWrite(ref *openapi3.SchemaRef, t reflect.Type) string {
	typ, refName := schemaType(ref)
	if e, ok := writeEnums[refName]; ok {
		if t != e {
			return "want " + e.String()
		}
		return ""
	}
	if m, ok := writeModels[refName]; ok {
		if t != m && !(t.Kind() == reflect.Pointer && t.Elem() == m) && t != reflect.TypeOf(authentik.PartialUser{}) {
			return "want " + m.String()
		}
		return ""
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if ref.Value != nil && ref.Value.Format == "date-time" {
		if t != reflect.TypeOf(time.Time{}) {
			return "want time.Time"
		}
		return ""
	}
	if typ == openapi3.TypeObject {
		if t.Kind() != reflect.Map {
			return "want a map"
		}
		return ""
	}
	return compatible(ref, t)
}
