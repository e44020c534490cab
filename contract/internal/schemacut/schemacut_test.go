package schemacut

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// doc is a small schema: two stage paths, a flow path and an unrelated one;
// components reached directly, through a chain, an allOf, array items,
// additionalProperties and a discriminator's mapping, and some reached from
// nowhere.
const doc = `{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/stages/a/": {"get": {"operationId": "a_list", "parameters": [{"$ref": "#/components/parameters/QueryName"}],
      "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
        "403": {"$ref": "#/components/responses/Err"}}}},
    "/stages/a/{id}/": {"put": {"operationId": "a_update", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ARequest"}}}},
      "responses": {"200": {"description": ""}}}},
    "/flows/instances/": {"get": {"operationId": "flows_list",
      "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Poly"}}}}}}},
    "/flows/executor/{slug}/": {"get": {"operationId": "executor",
      "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unused"}}}}}}}
  },
  "components": {
    "parameters": {"QueryName": {"name": "name", "in": "query", "schema": {"$ref": "#/components/schemas/NameEnum"}},
      "Unused": {"name": "x", "in": "query", "schema": {"type": "string"}}},
    "responses": {"Err": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
    "schemas": {
      "A": {"type": "object", "properties": {"b": {"allOf": [{"$ref": "#/components/schemas/B"}]}, "list": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}},
      "B": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/C"}}},
      "C": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/D"}},
      "D": {"type": "string"},
      "Item": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
      "ARequest": {"type": "object", "properties": {"name": {"type": "string"}}},
      "NameEnum": {"type": "string", "enum": ["x"]},
      "Error": {"type": "object", "properties": {"detail": {"type": "string"}}},
      "Poly": {"oneOf": [{"$ref": "#/components/schemas/P1"}], "discriminator": {"propertyName": "k", "mapping": {"p1": "#/components/schemas/P1", "p2": "#/components/schemas/P2"}}},
      "P1": {"type": "object", "properties": {"k": {"type": "string"}}},
      "P2": {"type": "object", "properties": {"k": {"type": "string"}, "e": {"$ref": "#/components/schemas/P2Extra"}}},
      "P2Extra": {"type": "string"},
      "Unused": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}}
    },
    "securitySchemes": {"authentik": {"type": "http", "scheme": "bearer"}}
  }
}`

func load(t *testing.T) *openapi3.T {
	t.Helper()
	d, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func names[V any](m map[string]V) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestCutByPrefix(t *testing.T) {
	out, err := Cut(load(t), Selection{Prefixes: []string{"/stages/", "/flows/instances/"}, Required: []string{"/stages/a/"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(out.Paths.Map()), "/flows/instances/ /stages/a/ /stages/a/{id}/"; got != want {
		t.Errorf("paths %s, want %s", got, want)
	}
	if got, want := names(out.Components.Schemas), "A ARequest B C D Error Item NameEnum P1 P2 P2Extra Poly"; got != want {
		t.Errorf("schemas %s, want %s", got, want)
	}
	if got := names(out.Components.Parameters) + "/" + names(out.Components.Responses) + "/" + names(out.Components.SecuritySchemes); got != "QueryName/Err/authentik" {
		t.Errorf("parameters/responses/security schemes: %s", got)
	}
	if err := out.Validate(t.Context()); err != nil {
		t.Errorf("the cut is not a valid document: %v", err)
	}
	// The same schema gives the same bytes.
	a, _ := json.Marshal(out)
	again, err := Cut(load(t), Selection{Prefixes: []string{"/stages/", "/flows/instances/"}})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(again); string(a) != string(b) {
		t.Error("two cuts of the same schema differ")
	}
}

func TestCutFailures(t *testing.T) {
	if _, err := Cut(load(t), Selection{Prefixes: []string{"/stages/"}, Required: []string{"/stages/b/"}}); err == nil || !strings.Contains(err.Error(), "/stages/b/") {
		t.Errorf("a missing required path: %v", err)
	}
	out, err := Cut(load(t), Selection{Prefixes: []string{"/stages/"}, Required: []string{"/stages/b/"}, MissingOK: true})
	if err != nil || out.Paths.Len() != 2 {
		t.Errorf("-missing-ok: %v", err)
	}
	if _, err := Cut(load(t), Selection{Prefixes: []string{"/stage/"}}); err == nil || !strings.Contains(err.Error(), "/stage/") {
		t.Errorf("a prefix that matches nothing: %v", err)
	}
}

func TestCutByName(t *testing.T) {
	out, err := Cut(load(t), Selection{Required: []string{"/stages/a/{id}/", "/stages/z/"}, MissingOK: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(out.Paths.Map()) + "/" + names(out.Components.Schemas); got != "/stages/a/{id}//ARequest" {
		t.Errorf("got %s", got)
	}
}
