package authentiktest

import (
	"testing"

	"github.com/authentik-go/authentik/internal/testkit"
)

// TestPlumbingNamesNoResource keeps the fake's design: each collection is
// declared in its own file and listed in the table; the dispatcher, the store,
// the filters and the validation serve every collection from its description.
func TestPlumbingNamesNoResource(t *testing.T) {
	testkit.CheckPlumbing(t, testkit.Layout{
		Dir:        ".",
		Resources:  []string{"email_stages.go", "invitation_stages.go", "flows.go", "flow_stage_bindings.go", "invitations.go", "stages.go"},
		Registries: []string{"collections.go", "demo.go"},
	})
}
