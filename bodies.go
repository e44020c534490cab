package authentik

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// requireName is the check every request type makes of its name: Create and
// Update (PUT) must send one, and no operation may send a blank one (DRF's
// CharField trims it and answers "This field may not be blank.").
func requireName(op, typeName string, name *string) error {
	field := typeName + ".Name"
	switch {
	case name == nil && op != "Patch":
		return inputErrorf(field, "%s: %s is required for %s", field, field, op)
	case name != nil && strings.TrimSpace(*name) == "":
		return inputErrorf(field, "%s is blank; the server refuses a blank name", field)
	}
	return nil
}

// trimPrefix drops the package prefix from an error that is about to be
// quoted inside another of the package's errors.
func trimPrefix(err error) string { return strings.TrimPrefix(err.Error(), "authentik: ") }

// describeRequest prints a request body's set fields, {Name:"x" Port:25}:
// pointers are followed (an address would tell nothing) and nil fields left out.
// Callers replace secrets before calling it.
func describeRequest(v any) string {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	var b strings.Builder
	b.WriteByte('{')
	for i := range rt.NumField() {
		f := rv.Field(i)
		if f.Kind() == reflect.Pointer || f.Kind() == reflect.Map || f.Kind() == reflect.Slice {
			if f.IsNil() {
				continue
			}
		}
		if b.Len() > 1 {
			b.WriteByte(' ')
		}
		b.WriteString(rt.Field(i).Name)
		b.WriteByte(':')
		if f.Kind() == reflect.Pointer {
			f = f.Elem()
		}
		switch x := f.Interface().(type) {
		case string:
			fmt.Fprintf(&b, "%q", x)
		case time.Time:
			b.WriteString(x.Format(time.RFC3339Nano))
		default:
			fmt.Fprintf(&b, "%v", x)
		}
	}
	b.WriteByte('}')
	return b.String()
}
