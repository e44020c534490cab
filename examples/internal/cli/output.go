package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/authentik-go/authentik"
)

// Output prints stages either as an aligned table with a header row or, for
// -json, as JSON lines: one json.Marshal'ed stage per line and nothing else, so
// that the output can be piped to jq or decoded line by line.
//
// The table is held until Finish, because aligning a column needs its widest
// cell; JSON lines are written as they come. The header is written with the
// first row, or by Finish when the list is empty, so a request that fails
// prints no table at all.
type Output struct {
	w       io.Writer
	json    bool
	tw      *tabwriter.Writer
	header  []string
	started bool
}

// NewOutput returns an Output writing to w: JSON lines when asJSON is true, a
// table with the given column names otherwise.
func NewOutput(w io.Writer, asJSON bool, header ...string) *Output {
	o := &Output{w: w, json: asJSON, header: header}
	if !asJSON {
		o.tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	}
	return o
}

// Item prints one stage: v as a JSON line, or cells as a table row (one cell
// per header column).
func (o *Output) Item(v any, cells ...string) error {
	if o.json {
		line, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = o.w.Write(append(line, '\n'))
		return err
	}
	o.start()
	return o.row(cells)
}

// Finish writes out the table and returns err, or when err is nil the error of
// writing. A failed walk passes its error, so the rows that arrived before it
// are still printed.
func (o *Output) Finish(err error) error {
	if o.json {
		return err
	}
	if err == nil {
		o.start() // an empty list still shows its header
	}
	if ferr := o.tw.Flush(); err == nil {
		err = ferr
	}
	return err
}

func (o *Output) start() {
	if !o.started {
		o.started = true
		o.row(o.header) // tabwriter buffers; its errors surface in Flush
	}
}

// row writes one line of the table. Cells are cleaned, since they come from
// the server: a tab or newline would break the alignment and an escape sequence
// would reach the terminal. An empty cell is shown as "-" so that every row has
// every column.
func (o *Output) row(cells []string) error {
	clean := make([]string, len(cells))
	for i, c := range cells {
		c = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return '?'
			}
			return r
		}, c)
		if c == "" {
			c = "-"
		}
		clean[i] = c
	}
	_, err := io.WriteString(o.tw, strings.Join(clean, "\t")+"\n")
	return err
}

// Print prints every item of seq with out, row giving its table cells, and
// returns how many were printed. It stops at the first error, from the walk or
// from writing, which also stops the walk (and its requests in flight).
func Print[T any](out *Output, seq iter.Seq2[T, error], row func(T) []string) (int, error) {
	n := 0
	for item, err := range seq {
		if err != nil {
			return n, err
		}
		if err := out.Item(item, row(item)...); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// OnePage turns the result of a List call into a sequence like the one All
// returns, so that printing one page and printing all pages is the same loop.
// Pass it List's results: page, err := c.EmailStages.List(ctx, opts); cli.OnePage(stderr, page, err).
// After the page's items it says on stderr where the page stands when there are
// others ("page 1 of 3 (45 stages); -all for every page"), so that a first run
// does not hide the rest. stderr may be nil.
func OnePage[T any](stderr io.Writer, page *authentik.Page[T], err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		for _, item := range page.Results {
			if !yield(item, nil) {
				return
			}
		}
		if p := page.Pagination; stderr != nil && p.TotalPages > 1 {
			fmt.Fprintf(stderr, "page %d of %d (%d stages); -all for every page\n", p.Current, p.TotalPages, p.Count)
		}
	}
}

// Flows is the FLOWS cell: the slugs of the flows a stage is bound to, comma
// separated, or "-" for a stage bound to none (it does nothing until bound).
func Flows(flows []authentik.FlowSet) string {
	slugs := make([]string, len(flows))
	for i, f := range flows {
		slugs[i] = f.Slug
	}
	if len(slugs) == 0 {
		return "-"
	}
	return strings.Join(slugs, ",")
}
