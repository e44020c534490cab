package contract

import "testing"

func TestPrintReleaseTable(t *testing.T) {
	rs, err := Releases()
	if err != nil {
		t.Fatal(err)
	}
	table, err := ReleaseTable(rs)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + table)
}
