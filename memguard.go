package authentik

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// The memory guard. encoding/json turns every JSON value into a Go value, and a
// tiny one can become a large one: `{}` (3 bytes with its comma) in "results"
// is a whole stage struct, about 600 bytes decoded, more with slice growth. A
// body of nothing but such values, within the size cap, would allocate hundreds
// of times its size (measured: 4 MiB took 2.5 GiB). Real authentik JSON spends
// hundreds of bytes on every object, so a cheap count of the values before
// decoding tells a real answer from an amplifying one.
//
// Each value is charged what it can decode into. An object, and an element of
// an array that is not inside an item (the results themselves, or any array
// directly in the envelope, whatever its key's spelling), is charged a whole
// item. An element of an array inside an item is charged by the Go types the
// item's arrays decode into: a struct with its slice's growth for a typed
// slice (flow_set), an interface slot and its boxed value for the free-form
// JSON of fixed_data or attributes, so that a real invitation whose
// fixed_data holds a list of group names is not refused.
const (
	// defaultValueCost is what one JSON value may decode into, at most, for the
	// SDK's models: a stage's wire and public structs, or a flow's with the
	// slice growth of a long flow_set. Resources with larger models set their own.
	defaultValueCost = 1024
	// decodeBudgetFactor and decodeBudgetFloor bound what decoding a body may
	// allocate: 20 times its size for the decoded values, which with the read
	// buffer keeps the whole under 32 times (the worst bodies the guard lets
	// through, lists of short strings in fixed_data or flow_set, measured 20x
	// and 19x in TestDecodeMemoryIsBounded), and at least 1 MiB so that small
	// test pages of tiny objects are never refused.
	decodeBudgetFactor = 20
	decodeBudgetFloor  = 1 << 20
	// anyElementCost is what an element of an array decoded into `any` may
	// take: its interface slot with the slice's growth (6 x 16 bytes, see
	// sliceGrowth) and a boxed value (an empty slice's header, 24 bytes).
	anyElementCost = 120
	// minElementCost is what an element of any typed slice may take: a string
	// header with the slice's growth.
	minElementCost = 96
	// sliceGrowth is what a decoded slice of n elements may allocate in all,
	// in elements: encoding/json grows it with reflect.Value.Grow (doubling,
	// then by a quarter past 256 elements: up to 6n over the whole growth),
	// and one more to spare (it was a wire type's public copy before the
	// models were decoded directly).
	sliceGrowth = 7
)

// checkShape refuses a body whose values would decode into more memory than
// the budget allows, and presizes a page's results to their exact count. v is
// what the body will be decoded into, never nil. It also looks for the
// keys of an older release's quirks (quirks.go), returned as the rewrites the
// body needs: when there are any, that rewrite goes through a tree of values,
// which is charged for every member and element it can hold.
func checkShape(body []byte, v any, valueCost int) ([]func(map[string]any), error) {
	if valueCost <= 0 {
		valueCost = defaultValueCost
	}
	level, item := itemLevel(v)
	shape, ok := scanShapeLevel(body, level)
	if !ok {
		return nil, nil // malformed: encoding/json validates the whole input before it allocates
	}
	apply := quirksIn(body)
	budget := decodeBudgetFactor*len(body) + decodeBudgetFloor
	if len(apply) > 0 {
		budget = budget * 2 / 5 // measured: the tree and the re-encoding take more than the decoding's half
		// Each member or element of the tree is a map entry or a slice slot
		// with a boxed value: at most one per ':' or ',' (some of those are
		// inside strings: counted anyway, it only errs on the safe side). Its
		// strings copy the body once, and encoding it again writes it twice
		// more (a buffer grown by doubling).
		n := bytes.Count(body, []byte{':'}) + bytes.Count(body, []byte{','}) + 1
		if cost := n*anyElementCost + 3*len(body); cost > budget {
			return nil, fmt.Errorf("%w: %d JSON values in %d bytes of an older release's answer would take about %d MiB to upgrade, more than it may (%d MiB); refusing to decode it",
				ErrResponseTooLarge, n, len(body), cost>>20, budget>>20)
		}
	}
	// Every object costs a whole item (an item, or a struct or map inside
	// one), and so does every other element that is not inside an item (a
	// result that is not an object still takes an item's place). Elements
	// inside an item cost what its slices' elements do. The slots of the
	// items' own slice cost their growth, unless the slice is presized: the
	// raw "results" key is, other spellings that encoding/json also matches
	// ("RESULTS", escaped) are not.
	presizer, presized := v.(interface{ presize(int) })
	presized = presized && shape.results > 0
	shallow := shape.elements - shape.deep
	values := shape.objects + shallow - (shape.elementObjects - shape.deepObjects)
	grown := shallow
	if presized {
		grown -= shape.results
	}
	slot := sliceGrowth * int(item.Size())
	if cost := values*valueCost + grown*slot + shape.deep*elementCost(item); cost > budget {
		what := fmt.Sprintf("%d JSON values", values+shape.deep)
		if shape.results >= 0 {
			what = fmt.Sprintf("%d results (%d JSON values)", shape.results, values+shape.deep)
		}
		return nil, fmt.Errorf("%w: %s in %d bytes would decode into about %d MiB, more than any authentik response of this kind holds (at most %d MiB for its size); refusing to decode it",
			ErrResponseTooLarge, what, len(body), cost>>20, budget>>20)
	}
	if presized {
		presizer.presize(shape.results) // bounded by the budget above
	}
	return apply, nil
}

// itemLevel is the nesting level from which the arrays of a body decoded into
// v are inside one item (the root container is level 1), and the item's Go
// type: level 4 for a page (root, "results", an item, its arrays), 3 for a
// bare array of items, 2 for one object.
func itemLevel(v any) (int, reflect.Type) {
	if p, ok := v.(interface{ itemType() reflect.Type }); ok {
		return 4, p.itemType()
	}
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		return 3, t.Elem()
	}
	return 2, t
}

// elementCosts caches elementCost by type.
var elementCosts sync.Map // reflect.Type -> int

// elementCost is the most one element of an array inside an item of type t
// may decode into: the largest typed slice element in t (with the slice's
// growth), anyElementCost if t holds free-form JSON, at least minElementCost.
// An element that is an object costs a whole item besides.
func elementCost(t reflect.Type) int {
	if c, ok := elementCosts.Load(t); ok {
		return c.(int)
	}
	c := max(minElementCost, nestedElementCost(t, map[reflect.Type]bool{}))
	elementCosts.Store(t, c)
	return c
}

func nestedElementCost(t reflect.Type, seen map[reflect.Type]bool) int {
	if seen[t] {
		return 0 // a recursive type: its elements were costed where it began
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Map:
		return nestedElementCost(t.Elem(), seen)
	case reflect.Interface:
		return anyElementCost
	case reflect.Slice, reflect.Array:
		own := sliceGrowth * int(t.Elem().Size())
		if t.Elem().Kind() == reflect.Interface {
			own = anyElementCost
		}
		return max(own, nestedElementCost(t.Elem(), seen))
	case reflect.Struct:
		// encoding/json fills exported fields and those of embedded structs;
		// the others (time.Time's location) it never touches.
		c := 0
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() || f.Anonymous {
				c = max(c, nestedElementCost(f.Type, seen))
			}
		}
		return c
	}
	return 0
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
