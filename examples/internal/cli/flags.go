package cli

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/authentik-go/authentik"
)

// Bool is a flag.Value for a tri-state boolean filter such as
// EmailStageListOptions.UseTLS. The filter stays nil (not sent) until the flag
// is given; -use-tls stores true and -use-tls=false stores false, because for the
// API "not set" and "false" are different filters. Create it with NewBool or
// BoolVar: it writes through to the options' field, so no copying is needed
// after parsing.
type Bool struct{ target **bool }

// NewBool returns a Bool that stores into *target.
func NewBool(target **bool) *Bool { return &Bool{target: target} }

// BoolVar registers a tri-state boolean flag that stores into *target.
func BoolVar(fs *flag.FlagSet, target **bool, name, usage string) {
	fs.Var(NewBool(target), name, usage)
}

// Set parses s as strconv.ParseBool does (true, false, 1, 0, t, f, ...).
func (b *Bool) Set(s string) error {
	if b == nil || b.target == nil {
		return errors.New("cli.Bool has no target; create it with NewBool")
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false")
	}
	*b.target = &v
	return nil
}

// String is "" while the filter is not set, so -h shows no default.
func (b *Bool) String() string {
	if b == nil || b.target == nil || *b.target == nil {
		return ""
	}
	return strconv.FormatBool(**b.target)
}

// IsBoolFlag lets the flag be given without a value (-use-tls means true).
func (b *Bool) IsBoolFlag() bool { return true }

// Int is a flag.Value for a tri-state integer filter such as
// EmailStageListOptions.Port: nil (not sent) until the flag is given, so that
// -port 0 can still filter on 0. Create it with NewInt or IntVar.
type Int struct{ target **int }

// NewInt returns an Int that stores into *target.
func NewInt(target **int) *Int { return &Int{target: target} }

// IntVar registers a tri-state integer flag that stores into *target.
func IntVar(fs *flag.FlagSet, target **int, name, usage string) {
	fs.Var(NewInt(target), name, usage)
}

// Set parses s as a decimal integer.
func (n *Int) Set(s string) error {
	if n == nil || n.target == nil {
		return errors.New("cli.Int has no target; create it with NewInt")
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("want a whole number")
	}
	*n.target = &v
	return nil
}

// String is "" while the filter is not set, so -h shows no default.
func (n *Int) String() string {
	if n == nil || n.target == nil || *n.target == nil {
		return ""
	}
	return strconv.Itoa(**n.target)
}

// count is a flag.Value for -page and -page-size: a plain int where 0 means
// "not sent", refusing negative numbers while parsing so that they are usage
// errors (exit status 2) naming the flag, not API errors naming a Go field.
type count struct{ target *int }

func (c *count) Set(s string) error {
	v, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return errors.New("want a whole number")
	case v < 0:
		return errors.New("want 0 (the server's default) or more")
	}
	*c.target = v
	return nil
}

func (c *count) String() string {
	if c == nil || c.target == nil {
		return "0"
	}
	return strconv.Itoa(*c.target)
}

// CommonFlags registers the flags every example has: -ordering, -page-size and
// -search, stored into lo, and -json, whose value it returns.
func CommonFlags(fs *flag.FlagSet, lo *authentik.ListOptions) (asJSON *bool) {
	fs.StringVar(&lo.Ordering, "ordering", "", "sort by this `field`, with a leading - for descending (e.g. -name)")
	fs.Var(&count{&lo.PageSize}, "page-size", "fetch `n` stages per page (0: the server's default, 20); not a limit on the total")
	fs.StringVar(&lo.Search, "search", "", "only stages whose name contains this `text`, case-insensitively")
	return fs.Bool("json", false, "print each stage as one JSON object per line instead of a table")
}

// PageFlags registers what the one-page list examples add: -page, stored into
// lo, and -all, whose value it returns. With -all, -page is where the walk starts.
func PageFlags(fs *flag.FlagSet, lo *authentik.ListOptions) (all *bool) {
	fs.Var(&count{&lo.Page}, "page", "fetch page `n` (from 1; 0: the first); with -all, start the walk there")
	return fs.Bool("all", false, "walk every page instead of fetching one")
}

// choice is a flag.Value limited to a fixed set of words.
type choice struct {
	target  *string
	choices []string
}

func (c *choice) Set(s string) error {
	for _, ch := range c.choices {
		if s == ch {
			*c.target = s
			return nil
		}
	}
	return fmt.Errorf("want one of %s", strings.Join(c.choices, ", "))
}

func (c *choice) String() string {
	if c == nil || c.target == nil {
		return ""
	}
	return *c.target
}

// ChoiceVar registers a flag that accepts only one of choices, so that a typo is
// a usage error at parse time; *target keeps its value as the default.
func ChoiceVar(fs *flag.FlagSet, target *string, name, usage string, choices ...string) {
	fs.Var(&choice{target: target, choices: choices}, name, usage+" ("+strings.Join(choices, "|")+")")
}
