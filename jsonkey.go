package authentik

import (
	"bytes"
	"strings"
)

// jsonKey finds an object key in a JSON body without decoding it: the
// decoder's fast path for the quirks of older releases (quirks.go), which
// asks of every body whether it has a key that only an older release sends.
//
// The search is bytes.Index for the key from its rarest byte on (so that
// the assembly-backed byte search behind it skips most of the body), then a
// look around each match. On valid JSON it is exact: the bytes `"key"`
// followed by a colon are a key when the byte before their first quote
// (past whitespace) is '{' or ','. Anywhere else (inside a string, where
// that quote is escaped and the byte before it a backslash) they are not.
// On malformed JSON a match only sends the body down the slow path, which
// encoding/json then refuses. A key spelt with escapes ("token\u005fexpiry"),
// which encoding/json would match, is not found: no release writes keys so.
type jsonKey struct {
	key    string
	number bool   // only a key whose value is a number counts
	anchor int    // where in key its rarest byte is
	needle []byte // key[anchor:] and the closing quote: what bytes.Index looks for
}

// jsonKeyRarity orders the bytes keys are made of from the most common to
// the rarest in authentik's JSON (English letter frequency; '_' joins the
// words of every key). Other bytes count as common. It only decides where
// a search starts: a poor guess is slower, never wrong.
const jsonKeyRarity = "_etaoinsrhldcumfpgwybvkxjqz"

func newJSONKey(key string, number bool) jsonKey {
	anchor, rarest := 0, -1
	for i := range len(key) {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if r := strings.IndexByte(jsonKeyRarity, c); r > rarest {
			anchor, rarest = i, r
		}
	}
	return jsonKey{key: key, number: number, anchor: anchor, needle: []byte(key[anchor:] + `"`)}
}

// in reports whether body has k as an object key (with a number as its
// value if k.number). It is linear in len(body): each match is looked at
// once, and the whitespace around different matches does not overlap.
func (k jsonKey) in(body []byte) bool {
	found, dense := anchorHits(body, k.key[k.anchor], k.anchor+1, func(j int) bool {
		start := j - k.anchor
		return start >= 1 && body[start-1] == '"' && k.at(body, start)
	})
	if dense {
		return k.inDense(body)
	}
	return found
}

// renamedIn reports whether body has from as a key and not to. Keys that
// share their rarest byte, as "background" and "background_url" do, take
// one search, which ends where to is found (in a current release's first
// object that has it) rather than a search for each.
func renamedIn(body []byte, from, to jsonKey) bool {
	a := from.key[from.anchor]
	if to.key[to.anchor] != a {
		return from.in(body) && !to.in(body)
	}
	seen := false
	foundTo, dense := anchorHits(body, a, min(from.anchor, to.anchor)+1, func(j int) bool {
		if to.at(body, j-to.anchor) {
			return true
		}
		seen = seen || from.at(body, j-from.anchor)
		return false
	})
	if dense {
		return from.in(body) && !to.in(body)
	}
	return seen && !foundTo
}

// anchorHits calls visit with the index of each byte a in body from off on,
// until visit returns true (found). The byte is found with bytes.IndexByte,
// which costs a call per match; where it turns out not to be rare (more
// than one byte in eight, a hostile body), the search stops with dense set,
// and the caller takes bytes.Index, which stops only at whole needles.
func anchorHits(body []byte, a byte, off int, visit func(j int) bool) (found, dense bool) {
	for hits := 0; off < len(body); hits++ {
		if hits > 8 && hits > (off>>3) {
			return false, true
		}
		i := bytes.IndexByte(body[off:], a)
		if i < 0 {
			return false, false
		}
		j := off + i
		off = j + 1
		if visit(j) {
			return true, false
		}
	}
	return false, false
}

// inDense is in by bytes.Index, for a body in which the anchor byte is not
// rare.
func (k jsonKey) inDense(body []byte) bool {
	for off := 0; off+k.anchor < len(body); {
		i := bytes.Index(body[off+k.anchor:], k.needle)
		if i < 0 {
			return false
		}
		if k.at(body, off+i) {
			return true
		}
		off += i + 1
	}
	return false
}

// at reports whether the key begins at body[start] (its text, after the
// opening quote).
func (k jsonKey) at(body []byte, start int) bool {
	end := start + len(k.key) // the closing quote
	if start < 1 || end >= len(body) || body[start-1] != '"' || body[end] != '"' || string(body[start:end]) != k.key {
		return false
	}
	if before := scanSkipSpaceBack(body, start-2); before < 0 || (body[before] != '{' && body[before] != ',') {
		return false
	}
	colon := scanSkipSpace(body, end+1)
	if colon >= len(body) || body[colon] != ':' {
		return false
	}
	if k.number {
		v := scanSkipSpace(body, colon+1)
		if v >= len(body) || (body[v] != '-' && (body[v] < '0' || body[v] > '9')) {
			return false
		}
	}
	return true
}
