package authentik

import (
	"github.com/authentik-go/authentik/internal/testkit"

	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestAPIContractCompiles builds testdata/apicheck, which uses every exported
// name and signature users' code relies on, as a module of its own that imports
// this one: a renamed field or a changed signature fails here before it fails a user.
func TestAPIContractCompiles(t *testing.T) {
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("testdata", "apicheck", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	gomod := "module example.com/apicheck\n\ngo 1.23\n\nrequire github.com/authentik-go/authentik v0.0.0\n\n" +
		"replace github.com/authentik-go/authentik => " + root + "\n"
	for name, body := range map[string][]byte{"go.mod": []byte(gomod), "go.sum": sum, "main.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(testkit.GoTool(t), "build", "-mod=mod", "-o", os.DevNull, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the API contract does not compile from another module:\n%s", out)
	}
}
