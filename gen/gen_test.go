package main

import "testing"

// TestGeneratedIsCurrent fails when a generated file differs from what the
// declarations and the schemas make: run go generate at the repository root.
func TestGeneratedIsCurrent(t *testing.T) {
	files, err := generate("..")
	if err != nil {
		t.Fatal(err)
	}
	if err := apply("..", files, true); err != nil {
		t.Fatal(err)
	}
}
