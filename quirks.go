package authentik

import (
	"bytes"
	"encoding/json"
)

// This file is the one table of the differences between the server
// generations users still run: the models are flat, method-free and shaped as the newest release
// sends them, and the decoder rewrites what an older release sends before
// encoding/json reads it. Bodies from current servers have nothing to rewrite
// and pay two byte searches; only an older server's bodies take the slow path
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
	// seen reports, from the keys the memory guard's scan saw (bits of
	// quirkKeys), whether a body may hold it: the fast path that leaves
	// current servers' bodies alone.
	seen func(keys uint64) bool
	// apply rewrites one object in place.
	apply func(obj map[string]any)
}

// quirkKeys are the object keys the scan watches for (jsonscan.go), and
// quirks the table as the decoder applies it.
var quirkKeys, quirks = func() ([]scanKey, []quirk) {
	var keys []scanKey
	bit := func(k scanKey) uint64 {
		for i, have := range keys {
			if have == k {
				return 1 << i
			}
		}
		keys = append(keys, k)
		return 1 << (len(keys) - 1)
	}
	var out []quirk
	for _, mk := range minutesKeys {
		number := bit(scanKey{key: mk.key, number: true})
		out = append(out, quirk{
			seen: func(keys uint64) bool { return keys&number != 0 },
			apply: func(obj map[string]any) {
				if n, ok := obj[mk.key].(json.Number); ok && hasAll(obj, mk.marks) {
					obj[mk.key] = "minutes=" + n.String()
				}
			},
		})
	}
	for _, rk := range renamedKeys {
		from, to := bit(scanKey{key: rk.from}), bit(scanKey{key: rk.to})
		out = append(out, quirk{
			// A body from a release that sends the new name has it somewhere.
			seen: func(keys uint64) bool { return keys&from != 0 && keys&to == 0 },
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
	if len(keys) > 64 {
		panic("authentik: more than 64 quirk keys") // the generated table's bug
	}
	return keys, out
}()

// quirksIn is the rewrites a body needs to read as the newest release sends
// it, from the keys its scan saw; none (the usual case) costs nothing more.
func quirksIn(keys uint64) []func(map[string]any) {
	var apply []func(map[string]any)
	for _, q := range quirks {
		if q.seen(keys) {
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
