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
// encoding/json then refuses.
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
	for off := 0; off < len(body); {
		i := bytes.Index(body[off:], k.needle)
		if i < 0 {
			return false
		}
		start := off + i - k.anchor // where the key's text begins
		off += i + 1
		if start < 1 || body[start-1] != '"' || string(body[start:start+k.anchor]) != k.key[:k.anchor] {
			continue
		}
		if before := scanSkipSpaceBack(body, start-2); before < 0 || (body[before] != '{' && body[before] != ',') {
			continue
		}
		colon := scanSkipSpace(body, start+len(k.key)+1)
		if colon >= len(body) || body[colon] != ':' {
			continue
		}
		if k.number {
			v := scanSkipSpace(body, colon+1)
			if v >= len(body) || (body[v] != '-' && (body[v] < '0' || body[v] > '9')) {
				continue
			}
		}
		return true
	}
	return false
}
