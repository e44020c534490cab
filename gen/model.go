package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// What the generator makes of the schemas of every release: the union of a
// component's fields, each with the releases that have it.

// field is one property of a component, over every release that has the
// component.
type field struct {
	json    string
	schema  *schema // as the newest release that has it describes it
	since   string  // the first release that has it, when an older one with the component lacks it
	until   string  // the last release that has it, when a newer one with the component lacks it
	require bool    // required in the newest release that has it
}

// component is a schema component over every release.
type component struct {
	name   string
	fields []field // pk first, then as the schema orders them
	enum   []enumValue
	isEnum bool
}

type enumValue struct {
	value        string
	since, until string
}

// union reads component name from every release, oldest first.
func union(rels []release, name string) (*component, error) {
	c := &component{name: name}
	type seen struct {
		first, last int
		s           *schema
		required    bool
	}
	props := map[string]*seen{}
	values := map[string]*seen{}
	var order, valueOrder []string
	firstRel, lastRel := -1, -1
	renames, err := renamesOf(rels, name)
	if err != nil {
		return nil, err
	}
	for i, r := range rels {
		s := r.doc.Components.Schemas[name]
		if s == nil {
			continue
		}
		if rn := renames[i]; len(rn) > 0 {
			s = renamed(s, rn)
		}
		if firstRel < 0 {
			firstRel = i
		}
		lastRel = i
		if len(s.Enum) > 0 {
			c.isEnum = true
			for _, v := range s.Enum {
				str, ok := v.(string)
				if !ok {
					continue // null, in a nullable enum
				}
				if values[str] == nil {
					values[str] = &seen{first: i}
					valueOrder = append(valueOrder, str)
				}
				values[str].last = i
			}
			continue
		}
		req := map[string]bool{}
		for _, r := range s.Required {
			req[r] = true
		}
		names := make([]string, 0, len(s.Properties))
		for n := range s.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if props[n] == nil {
				props[n] = &seen{first: i}
				order = append(order, n)
			}
			props[n].last, props[n].s, props[n].required = i, s.Properties[n], req[n]
		}
	}
	if firstRel < 0 {
		return nil, fmt.Errorf("no supported release has the component %s", name)
	}
	note := func(st *seen) (since, until string) {
		if st.first > firstRel {
			since = rels[st.first].version
		}
		if st.last < lastRel {
			until = rels[st.last].version
		}
		return
	}
	for _, v := range valueOrder {
		since, until := note(values[v])
		c.enum = append(c.enum, enumValue{value: v, since: since, until: until})
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i] == "pk" && order[j] != "pk" })
	for _, n := range order {
		st := props[n]
		since, until := note(st)
		c.fields = append(c.fields, field{json: n, schema: st.s, since: since, until: until, require: st.required})
	}
	return c, nil
}

// renamesOf is, for each release, the renames (old JSON name -> new) that
// quirks declare for the component in that release.
func renamesOf(rels []release, name string) (map[int]map[string]string, error) {
	out := map[int]map[string]string{}
	for _, q := range quirks {
		if q.Kind != "rename" || q.Component != name {
			continue
		}
		until := -1
		for i, r := range rels {
			if r.version == q.Until {
				until = i
			}
		}
		if until < 0 {
			return nil, fmt.Errorf("quirk %s.%s: release %s is not supported", q.Component, q.From, q.Until)
		}
		for i := 0; i <= until; i++ {
			if out[i] == nil {
				out[i] = map[string]string{}
			}
			out[i][q.From] = q.To
		}
	}
	return out, nil
}

// renamed is a copy of s with its properties renamed as rn says.
func renamed(s *schema, rn map[string]string) *schema {
	c := *s
	c.Properties = make(map[string]*schema, len(s.Properties))
	for n, p := range s.Properties {
		if to, ok := rn[n]; ok {
			n = to
		}
		c.Properties[n] = p
	}
	c.Required = nil
	for _, r := range s.Required {
		if to, ok := rn[r]; ok {
			r = to
		}
		c.Required = append(c.Required, r)
	}
	return &c
}

// goName is the Go name of a JSON name: created_by__username is
// CreatedByUsername, use_tls UseTLS.
func goName(json string) string {
	if n, ok := fieldNames[json]; ok {
		return n
	}
	var b strings.Builder
	for _, w := range strings.FieldsFunc(json, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if up, ok := initialisms[strings.ToLower(w)]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// typeName is the Go name of a component: goNames, or the component's name
// without "Enum".
func typeName(component string) string {
	if n, ok := goNames[component]; ok {
		return n
	}
	return strings.TrimSuffix(component, "Enum")
}

// firstSentence is the start of a schema description, for a doc comment.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return s
}

// releases says in which releases a field or value exists, "" when in all.
func releases(since, until string) string {
	switch {
	case since != "" && until != "":
		return fmt.Sprintf("authentik %s to %s", since, until)
	case since != "":
		return fmt.Sprintf("authentik %s and newer", since)
	case until != "":
		return fmt.Sprintf("authentik %s and older", until)
	}
	return ""
}
