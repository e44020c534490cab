package cli

import (
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
)

type item struct {
	Name string `json:"name"`
	PK   string `json:"pk"`
}

func items(list []item, err error) iter.Seq2[item, error] {
	return func(yield func(item, error) bool) {
		for _, it := range list {
			if !yield(it, nil) {
				return
			}
		}
		if err != nil {
			yield(item{}, err)
		}
	}
}

func TestOutput(t *testing.T) {
	boom := errors.New("boom")
	two := []item{{"default-recovery-email", "1"}, {"x", ""}}
	tests := []struct {
		name    string
		json    bool
		seq     iter.Seq2[item, error]
		want    string
		wantN   int
		wantErr error
	}{
		{"table", false, items(two, nil),
			"NAME                    PK\ndefault-recovery-email  1\nx                       -\n", 2, nil},
		{"empty table shows its header", false, items(nil, nil), "NAME  PK\n", 0, nil},
		{"a failure before any row prints nothing", false, items(nil, boom), "", 0, boom},
		{"a failure keeps the rows before it", false, items(two[:1], boom),
			"NAME                    PK\ndefault-recovery-email  1\n", 1, boom},
		{"cells are cleaned", false, items([]item{{"a\tb\nc\x1b[0m", "1"}}, nil), "NAME       PK\na?b?c?[0m  1\n", 1, nil},
		{"json lines", true, items(two, nil), `{"name":"default-recovery-email","pk":"1"}` + "\n" + `{"name":"x","pk":""}` + "\n", 2, nil},
		{"json lines escape control characters", true, items([]item{{"a\nb", "1"}}, nil), `{"name":"a\nb","pk":"1"}` + "\n", 1, nil},
		{"json empty", true, items(nil, nil), "", 0, nil},
		{"json failure", true, items(two[:1], boom), `{"name":"default-recovery-email","pk":"1"}` + "\n", 1, boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf strings.Builder
			out := NewOutput(&buf, tt.json, "NAME", "PK")
			n, err := Print(out, tt.seq, func(it item) []string { return []string{it.Name, it.PK} })
			err = out.Finish(err)
			if n != tt.wantN || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("Print: %d, %v; want %d, %v", n, err, tt.wantN, tt.wantErr)
			}
			if buf.String() != tt.want {
				t.Errorf("output:\n%q\nwant:\n%q", buf.String(), tt.want)
			}
		})
	}
}

// errWriter fails every write, as stdout does when its reader has gone.
type errWriter struct{}

var errClosed = errors.New("broken pipe")

func (errWriter) Write([]byte) (int, error) { return 0, errClosed }

func TestOutputWriteError(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		out := NewOutput(errWriter{}, asJSON, "NAME")
		_, err := Print(out, items([]item{{"a", "1"}, {"b", "2"}}, nil), func(it item) []string { return []string{it.Name} })
		if err = out.Finish(err); !errors.Is(err, errClosed) {
			t.Errorf("json=%v: error %v, want %v", asJSON, err, errClosed)
		}
	}
}

// TestOnePageNotes: a page of several says where it stands on stderr, after
// its items; the only page, or a stopped loop, says nothing.
func TestOnePageNotes(t *testing.T) {
	for _, tt := range []struct {
		p    authentik.Pagination
		want string
	}{
		{authentik.Pagination{Current: 1, TotalPages: 3, Count: 45, Next: 2}, "page 1 of 3 (45 stages); -all for every page\n"},
		{authentik.Pagination{Current: 3, TotalPages: 3, Count: 45}, "page 3 of 3 (45 stages); -all for every page\n"},
		{authentik.Pagination{Current: 1, TotalPages: 1, Count: 2}, ""},
	} {
		var stderr strings.Builder
		for range OnePage(&stderr, &authentik.Page[item]{Pagination: tt.p, Results: []item{{"a", "1"}}}, nil) {
		}
		if stderr.String() != tt.want {
			t.Errorf("%+v: stderr %q, want %q", tt.p, stderr.String(), tt.want)
		}
	}
}

func TestOnePage(t *testing.T) {
	page := &authentik.Page[item]{Results: []item{{"a", "1"}, {"b", "2"}, {"c", "3"}}}
	var got []string
	for it, err := range OnePage(nil, page, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, it.Name)
		if it.Name == "b" {
			break // stopping early must not panic
		}
	}
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("got %v", got)
	}

	boom := errors.New("boom")
	calls := 0
	for _, err := range OnePage[item](nil, nil, boom) {
		calls++
		if !errors.Is(err, boom) {
			t.Errorf("error %v, want %v", err, boom)
		}
	}
	if calls != 1 {
		t.Errorf("the error was yielded %d times, want once", calls)
	}
}

func TestFlows(t *testing.T) {
	tests := []struct {
		flows []authentik.FlowSet
		want  string
	}{
		{nil, "-"},
		{[]authentik.FlowSet{}, "-"},
		{[]authentik.FlowSet{{Slug: "default-recovery-flow"}}, "default-recovery-flow"},
		{[]authentik.FlowSet{{Slug: "default-recovery-flow"}, {Slug: "default-authentication-flow"}}, "default-recovery-flow,default-authentication-flow"},
	}
	for _, tt := range tests {
		if got := Flows(tt.flows); got != tt.want {
			t.Errorf("Flows(%v) = %q, want %q", tt.flows, got, tt.want)
		}
	}
}
