package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestFakeAnswersEveryResource: for every typed resource, the fake's answers to
// create, read, list, update, patch, used_by and delete (and a 400 and a 404)
// are valid 2026.8.3 responses. The bodies are built from the request schema:
// every required field, every list of choices, references to objects made
// first (a flow for a binding's target, a prompt for a prompt stage's fields).
func TestFakeAnswersEveryResource(t *testing.T) {
	fake, proxy := fakeBehindWriteProxy(t)
	doc, err := LoadWriteSchema()
	if err != nil {
		t.Fatal(err)
	}
	send := func(method, path string, body any) (int, map[string]any) {
		t.Helper()
		var r io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			r = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, proxy.URL+"/api/v3/"+path, r)
		req.Header.Set("Authorization", "Bearer "+fake.Token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		b, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(b, &out)
		return resp.StatusCode, out
	}
	made := map[string]string{} // what a reference needs: "flow", "stage", "prompt" -> pk
	order := []string{"flows/instances/", "stages/prompt/prompts/"}
	for _, s := range generatedServices {
		if s.path != order[0] && s.path != order[1] && s.path != "flows/bindings/" {
			order = append(order, s.path)
		}
	}
	order = append(order, "flows/bindings/")
	created := 0
	for i, p := range order {
		var svc service
		for _, s := range generatedServices {
			if s.path == p {
				svc = s
			}
		}
		list := doc.Paths.Value("/" + p)
		if list == nil || list.Post == nil {
			if code, _ := send("GET", p, nil); code != 200 {
				t.Errorf("GET %s: %d", p, code)
			}
			continue
		}
		reqSchema := list.Post.RequestBody.Value.Content["application/json"].Schema
		body := requestBody(t, reqSchema.Value, i, made)
		code, obj := send("POST", p, body)
		if code != 201 {
			t.Errorf("POST %s %v: %d %v", p, body, code, obj)
			continue
		}
		created++
		key := "pk"
		if strings.Contains(svc.key, "slug") {
			key = "slug"
		}
		id := fmt.Sprint(obj[key])
		switch {
		case p == "flows/instances/":
			made["flow"] = fmt.Sprint(obj["pk"])
		case p == "stages/prompt/prompts/":
			made["prompt"] = fmt.Sprint(obj["pk"])
		case strings.HasPrefix(p, "stages/") && made["stage"] == "":
			made["stage"] = id
		}
		item := p + id + "/"
		for _, step := range []struct {
			method, path string
			body         any
			want         int
		}{
			{"GET", item, nil, 200}, {"GET", p, nil, 200}, {"PUT", item, body, 200}, {"PATCH", item, body, 200},
			{"GET", item + "used_by/", nil, 200}, {"POST", p, map[string]any{}, 400},
			{"GET", p + "00000000-0000-4000-8000-0000000000ff/", nil, 404},
		} {
			if code, out := send(step.method, step.path, step.body); code != step.want {
				t.Errorf("%s %s: %d %v, want %d", step.method, step.path, code, out, step.want)
			}
		}
		if pk := fmt.Sprint(obj["pk"]); p == "flows/bindings/" || p == "stages/prompt/stages/" || pk == made["stage"] || pk == made["flow"] || pk == made["prompt"] {
			continue // kept for the references of what comes after
		}
		if code, _ := send("DELETE", item, nil); code != 204 {
			t.Errorf("DELETE %s: %d", item, code)
		}
		if code, _ := send("GET", item, nil); code != 404 {
			t.Errorf("GET %s after its delete: %d", item, code)
		}
	}
	// The prompt, now that a prompt stage holds it: the stage nested in
	// prompt_stages_obj, and in its used_by.
	if code, obj := send("GET", "stages/prompt/prompts/"+made["prompt"]+"/", nil); code != 200 {
		t.Errorf("the prompt: %d", code)
	} else if stages, _ := obj["prompt_stages_obj"].([]any); len(stages) != 1 {
		t.Errorf("the prompt's prompt_stages_obj: %v", obj["prompt_stages_obj"])
	}
	if created < 28 {
		t.Errorf("%d resources created, want every writable one", created)
	}
	for _, v := range proxy.ResponseViolations() {
		t.Error(v)
	}
	for _, v := range proxy.RequestViolations() {
		if !strings.Contains(v, "POST") || !strings.Contains(v, "required") {
			t.Error(v) // only the deliberate empty POSTs break the schema
		}
	}
}

// requestBody is a valid body for a request schema: its required fields and
// lists of choices, unique per resource n.
func requestBody(t *testing.T, s *openapi3.Schema, n int, made map[string]string) map[string]any {
	body := map[string]any{}
	names := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	for _, name := range names {
		p := s.Properties[name].Value
		if len(p.AllOf) == 1 && p.AllOf[0].Value != nil {
			p = p.AllOf[0].Value
		}
		typ := ""
		if p.Type != nil && len(*p.Type) > 0 {
			typ = (*p.Type)[0]
		}
		var items *openapi3.Schema
		if p.Items != nil {
			items = p.Items.Value
		}
		isList := typ == "array" && items != nil && len(items.Enum) > 0
		if !required[name] && !isList {
			continue
		}
		switch {
		case len(p.Enum) > 0:
			body[name] = p.Enum[0]
		case isList:
			body[name] = []any{items.Enum[0]}
		case typ == "array" && name == "fields":
			body[name] = []any{made["prompt"]}
		case typ == "array":
			body[name] = []any{}
		case typ == "object":
			body[name] = map[string]any{"k": "v"}
		case typ == "boolean":
			body[name] = true
		case typ == "integer":
			body[name] = 10 + n
		case typ == "number":
			body[name] = 0.5
		case p.Format == "uuid" && name == "target":
			body[name] = made["flow"]
		case p.Format == "uuid" && name == "stage":
			body[name] = made["stage"]
		case p.Format == "uuid":
			body[name] = fmt.Sprintf("00000000-0000-4000-8000-%012d", n+1)
		case p.Format == "email":
			body[name] = "ops@example.com"
		case p.Pattern != "" || name == "slug" || name == "field_key":
			body[name] = fmt.Sprintf("contract-%d", n)
		default:
			body[name] = fmt.Sprintf("contract %s %d", name, n)
		}
	}
	if body["mode"] == "static" {
		body["target_static"] = "https://example.com/next"
	}
	return body
}
