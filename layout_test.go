package authentik

import (
	"testing"

	"github.com/authentik-go/authentik/internal/testkit"
)

// TestPlumbingNamesNoResource keeps the SDK's design: a resource is one file
// (its path, options, request type and methods; generated, zz_*.go, or by
// hand) with its models, and the
// request path, retries, decoding, pagination and the generic operations
// serve every resource without naming one.
func TestPlumbingNamesNoResource(t *testing.T) {
	testkit.CheckPlumbing(t, testkit.Layout{
		Dir:        ".",
		Resources:  []string{"stages_*.go", "invitations.go", "zz_*.go"},
		Registries: []string{"client.go", "zz_client.go", "zz_types.go", "zz_quirks.go"},
	})
}
