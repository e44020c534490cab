package authentiktest

import "fmt"

// promptStr is Prompt.__str__ (authentik/stages/prompt/models.py).
func promptStr(f map[string]any) string {
	return fmt.Sprintf("Prompt field '%v' type %v", f["field_key"], f["type"])
}

// promptUnique: Prompt.name is unique; its verbose_name is "Prompt".
var promptUnique = []uniqueSet{{fields: []string{"name"}, verbose: "Prompt"}}

// addDeviceType is the WebAuthn device types' add hook: the aaguid is the
// model's primary key.
func addDeviceType(_ *Server, f map[string]any, store func(map[string]any) row) row {
	if a, _ := f["aaguid"].(string); a != "" {
		f["pk"] = a
	}
	return store(f)
}
