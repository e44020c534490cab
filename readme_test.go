package authentik

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeSnippetsCompile: every Go snippet in README.md is a copy of code in a
// compiled, tested example (example_test.go or authentiktest's), so the README
// cannot drift from the API.
func TestReadmeSnippetsCompile(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var sources strings.Builder
	for _, name := range []string{"example_test.go", "authentiktest/example_test.go"} {
		b, err := os.ReadFile(name)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		sources.WriteString(squash(string(b)))
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 3 {
		t.Fatalf("README has %d Go snippets, want the quick start, iterating and errors", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(sources.String(), squash(b[1])) {
			t.Errorf("README snippet is not a copy of a compiled example:\n%s", b[1])
		}
	}
}

// squash drops indentation and blank lines, which differ between a function body
// and a README block.
func squash(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n") + "\n"
}

// TestEveryServiceInREADME: each of Client's services has its row in the
// README's table (adding a resource without its docs fails here).
func TestEveryServiceInREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	ct := reflect.TypeFor[Client]()
	n := 0
	for i := range ct.NumField() {
		f := ct.Field(i)
		if !f.IsExported() {
			continue
		}
		n++
		if !strings.Contains(string(readme), "| `client."+f.Name+"` | `/api/v3/") {
			t.Errorf("README's table has no row for client.%s", f.Name)
		}
	}
	if n == 0 {
		t.Fatal("Client has no services")
	}
}
