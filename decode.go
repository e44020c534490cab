package authentik

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// The memory guard. encoding/json turns every JSON value into a Go value, and a
// tiny one can become a large one: `{}` (3 bytes with its comma) in "results"
// is a whole stage struct, about 600 bytes decoded, more with slice growth. A
// body of nothing but such values, within the size cap, would allocate hundreds
// of times its size (measured: 4 MiB took 2.5 GiB). Real authentik JSON spends
// hundreds of bytes on every object, so a cheap count of the values before
// decoding tells a real answer from an amplifying one.
const (
	// defaultValueCost is what one JSON value may decode into, at most, for the
	// SDK's models: a stage's wire and public structs, or a flow's with the
	// slice growth of a long flow_set. Resources with larger models set their own.
	defaultValueCost = 1024
	// decodeBudgetFactor and decodeBudgetFloor bound what decoding a body may
	// allocate: 20 times its size for the decoded values, which with the read
	// buffer and slice growth keeps the whole under 32 times (the worst body the
	// guard lets through, a flow_set of small objects, measured 25x), and at
	// least 1 MiB so that small test pages of tiny objects are never refused.
	decodeBudgetFactor = 20
	decodeBudgetFloor  = 1 << 20
)

// checkShape refuses a body whose values would decode into more memory than
// the budget allows, and presizes a page's results to their exact count.
func checkShape(body []byte, v any, valueCost int) error {
	if valueCost <= 0 {
		valueCost = defaultValueCost
	}
	shape, ok := scanShape(body)
	if !ok {
		return nil // malformed: encoding/json validates the whole input before it allocates
	}
	maxValues := (decodeBudgetFactor*len(body) + decodeBudgetFloor) / valueCost
	// An object that is an array element is counted once, as the element: the
	// objects that are not elements are members, which decode into fields.
	if values := max(shape.elements, shape.objects); values > maxValues {
		what := fmt.Sprintf("%d JSON values", values)
		if shape.results >= 0 {
			what = fmt.Sprintf("%d results (%d JSON values)", shape.results, values)
		}
		return fmt.Errorf("%w: %s in %d bytes, more than any authentik response of this kind holds (at most %d values for its size); refusing to decode it",
			ErrResponseTooLarge, what, len(body), maxValues)
	}
	if p, ok := v.(interface{ presize(int) }); ok && shape.results > 0 {
		p.presize(shape.results) // bounded by maxValues above
	}
	return nil
}

// describeJSONError rewrites encoding/json's errors, which name the SDK's wire
// types ("wireEmailStage.results.emailStageFields.port"), as the JSON path and
// the kinds involved: "results[0].port: want a number, got a string".
func describeJSONError(body []byte, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		where := jsonPath(body, te.Offset)
		if where == "" {
			where = "the body"
		}
		return fmt.Errorf("%s: want %s, got %s", where, jsonKind(te.Type), jsonValueKind(te.Value))
	case errors.As(err, &se):
		return fmt.Errorf("not valid JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	}
	return err
}

// jsonKind names the JSON that a Go type decodes from.
func jsonKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "a value"
}

// jsonValueKind turns UnmarshalTypeError.Value ("string", "number 1e400",
// "object") into words; a number's text is dropped (it came from the server).
func jsonValueKind(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "number":
		if kind != v {
			return "a number out of range"
		}
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "array":
		return "an array"
	case "object":
		return "an object"
	case "null":
		return "null"
	}
	return "another kind of value"
}

// jsonKindOf is the kind of a raw JSON value, in UnmarshalTypeError.Value's words.
func jsonKindOf(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	case '"':
		return "string"
	}
	return "number"
}
