package authentiktest

import (
	"testing"

	"github.com/authentik-go/authentik/internal/testkit"
)

// TestPlumbingNamesNoResource keeps the fake's design: each collection's spec
// is generated from its declaration (zz_<resource>.go), with what the schema
// cannot say in a hand-written file beside it, and listed in the generated
// table (zz_collections.go); the dispatcher, the store, the filters and the
// validation serve every collection from its description.
func TestPlumbingNamesNoResource(t *testing.T) {
	testkit.CheckPlumbing(t, testkit.Layout{
		Dir:        ".",
		Resources:  []string{"email_stages.go", "invitation_stages.go", "flows.go", "flow_stage_bindings.go", "invitations.go", "stages.go", "stage_checks.go", "prompts.go", "zz_*.go"},
		Registries: []string{"zz_collections.go", "demo.go"},
	})
}
