package authentik

import (
	"bytes"
	"encoding/json"
)

// This file is the one table of the differences between the server
// generations users still run: the models are flat, method-free and shaped as the newest release
// sends them, and the decoder rewrites what an older release sends before
// encoding/json reads it. Bodies from current servers have nothing to rewrite
// and pay a few byte searches; only an older server's bodies take the slow path
// (decoded to values, rewritten, encoded again).

// renamedKey is a JSON name an older release sent under another name
// (zz_quirks.go, from gen/resources.go's table).
type renamedKey struct {
	from, to string
	marks    []string // keys of the objects it applies to (a flow: designation, slug)
	until    string   // the last release that sends from
}

// minutesKey is a field an older release sent as an integer number of
// minutes (zz_quirks.go).
type minutesKey struct {
	key   string
	marks []string // keys of the objects it applies to (an email stage)
}

// hasAll reports whether obj has every one of keys.
func hasAll(obj map[string]any, keys []string) bool {
	for _, k := range keys {
		if _, ok := obj[k]; !ok {
			return false
		}
	}
	return true
}

// quirk is one difference, applied to every JSON object of an answer.
type quirk struct {
	// in reports whether a body may hold it: the fast path that leaves
	// current servers' bodies alone (a search or two, jsonkey.go).
	in func(body []byte) bool
	// apply rewrites one object in place.
	apply func(obj map[string]any)
}

// quirks is the table as the decoder applies it.
var quirks = func() []quirk {
	var out []quirk
	for _, mk := range minutesKeys {
		number := newJSONKey(mk.key, true)
		out = append(out, quirk{
			in: number.in,
			apply: func(obj map[string]any) {
				if n, ok := obj[mk.key].(json.Number); ok && hasAll(obj, mk.marks) {
					obj[mk.key] = "minutes=" + n.String()
				}
			},
		})
	}
	for _, rk := range renamedKeys {
		from, to := newJSONKey(rk.from, false), newJSONKey(rk.to, false)
		out = append(out, quirk{
			// A body from a release that sends the new name has it
			// somewhere.
			in: func(body []byte) bool { return renamedIn(body, from, to) },
			apply: func(obj map[string]any) {
				if _, ok := obj[rk.to]; ok || !hasAll(obj, rk.marks) {
					return
				}
				if v, ok := obj[rk.from]; ok {
					obj[rk.to] = v
					delete(obj, rk.from)
				}
			},
		})
	}
	return out
}()

// quirksIn is the rewrites body needs to read as the newest release sends
// it; none (the usual case) costs nothing more.
func quirksIn(body []byte) []func(map[string]any) {
	var apply []func(map[string]any)
	for _, q := range quirks {
		if q.in(body) {
			apply = append(apply, q.apply)
		}
	}
	return apply
}

// upgrade returns body with apply's rewrites (quirksIn): body itself when
// there are none, else a rewritten copy, made through a tree of values as
// large as the decoding itself (the memory guard gives it half the budget).
func upgrade(body []byte, apply []func(map[string]any)) ([]byte, error) {
	if len(apply) == 0 {
		return body, nil
	}
	if !json.Valid(body) {
		// Left as it is, for encoding/json to report with its path: the
		// decoder below reads one value and would drop what follows it.
		return body, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return body, nil // encoding/json reports it, with its path
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, f := range apply {
				f(x)
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
