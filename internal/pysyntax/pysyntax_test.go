package pysyntax

import (
	"math"
	"testing"
)

func TestFloat(t *testing.T) {
	ok := map[string]float64{
		"1": 1, " 2.5 ": 2.5, "-3": -3, "+4": 4, ".5": 0.5, "5.": 5, "1e3": 1000, "1E-1": 0.1, "1_000": 1000,
		"\u0665": 5, "\x1c7\x1f": 7,
	}
	for in, want := range ok {
		if got, err := Float(in); err != nil || got != want {
			t.Errorf("Float(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"inf", "-Infinity", "NAN"} {
		if got, err := Float(in); err != nil || !(math.IsInf(got, 0) || math.IsNaN(got)) {
			t.Errorf("Float(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", " ", ".", "e1", "1e", "1_", "_1", "1__0", "0x10", "1 2", "--1", "+-1", "1.2.3", "infinite", "1e+-2"} {
		if got, err := Float(in); err == nil {
			t.Errorf("Float(%q) = %v, want an error", in, got)
		}
	}
}

func TestIntAndDecimal(t *testing.T) {
	for in, want := range map[string]int64{"7": 7, " +8 ": 8, "-9": -9, "1_0": 10, "\u0663": 3} {
		if got, err := Int(in); err != nil || got.Int64() != want {
			t.Errorf("Int(%q) = %v, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1.0", "1e2", "abc", "0x1", "1_"} {
		if _, err := Int(in); err == nil {
			t.Errorf("Int(%q) succeeded", in)
		}
	}
	for in, want := range map[string]string{"25": "25/1", "25.0": "25/1", "2.5": "5/2", "1e2": "100/1", " -3 ": "-3/1"} {
		if got, err := Decimal(in); err != nil || got.String() != want {
			t.Errorf("Decimal(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "NaN", "Infinity", "1,5"} {
		if _, err := Decimal(in); err == nil {
			t.Errorf("Decimal(%q) succeeded", in)
		}
	}
}

func TestUUID(t *testing.T) {
	const want = "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"
	for _, in := range []string{want, "9CADBECF-D0E1-42F3-8456-7A8B9CADBECF", "9cadbecfd0e142f384567a8b9cadbecf",
		"{9cadbecf-d0e1-42f3-8456-7a8b9cadbecf}", "urn:uuid:9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"} {
		if got, ok := UUID(in); !ok || got != want {
			t.Errorf("UUID(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "not-a-uuid", "9cadbecf-d0e1-42f3-8456-7a8b9cadbec", "9cadbecf-d0e1-42f3-8456-7a8b9cadbecg"} {
		if got, ok := UUID(in); ok {
			t.Errorf("UUID(%q) = %q, want refused", in, got)
		}
	}
}

func TestLower(t *testing.T) {
	if Lower("MINUTES") != "minutes" || Lower("M\u0130NUTES") == "minutes" || Lower("WEE\u212aS") != "weeks" {
		t.Error("Lower differs from Python's str.lower")
	}
}
