package contract

import "testing"

// TestReleaseMatrix: every typed service decodes every field each supported
// release sends, on every release; a route a release lacks is a 404 naming
// the release that added it. go run ./cmd/matrix prints the table.
func TestReleaseMatrix(t *testing.T) {
	cells, err := Matrix(distinctReleases(t))
	if err != nil {
		t.Fatal(err)
	}
	absent := 0
	for _, c := range cells {
		switch c.Result {
		case "ok":
		case "absent":
			absent++
		default:
			t.Errorf("%s on %s: %s", c.Service, c.Release, c.Result)
		}
	}
	if absent == 0 || absent > 10 {
		t.Errorf("%d cells absent: endpoints (before 2025.12) and account lockdown (before 2026.5) should be", absent)
	}
	t.Logf("\n%s", MatrixTable(cells))
}
