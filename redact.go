package authentik

import (
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// redacted stands in for every secret-bearing span, so a reader can see that
// something was removed rather than silently lost.
const redacted = "[REDACTED]"

// redactWindow is the shortest run of secret bytes treated as a leak: long
// enough that ordinary text does not hit it by chance, short enough that a
// token cut off mid-way (a truncated error body) is still caught.
const redactWindow = 8

// redactor removes the API token from text that came off the network before
// that text reaches an error message or a log record: a hostile server or
// proxy can echo the Authorization header back, raw or escaped, whole or in
// part. It is built once per client and never modified afterwards, so it is
// safe for concurrent use. A nil *redactor redacts nothing.
type redactor struct {
	w    int                 // window length: min(redactWindow, len(secret))
	mask uint64              // keeps the low w bytes of a packed window
	keys map[uint64]struct{} // every w-byte run of the secret, packed big-endian: one lookup per input byte keeps redaction O(n)
	seen [256]uint64         // bitset of redactHash(key) for keys, so most input bytes skip the map lookup
	next *redactor           // another secret's redactor, applied after this one (see with)
}

// redactHash picks a bit of redactor.seen for a packed window.
func redactHash(k uint64) uint64 { return k * 0x9e3779b97f4a7c15 >> 50 }

// newRedactor precomputes the secret's windows once, so that each call costs
// O(n) in its input whatever the secret's length. A secret shorter than
// redactWindow is its own single window (only exact occurrences match). An
// empty secret yields nil: there is nothing to redact.
func newRedactor(secret string) *redactor {
	if secret == "" {
		return nil
	}
	w := min(redactWindow, len(secret))
	r := &redactor{w: w, mask: ^uint64(0) >> (64 - 8*w), keys: make(map[uint64]struct{})}
	var k uint64
	for i := 0; i < len(secret); i++ {
		if k = (k<<8 | uint64(secret[i])) & r.mask; i+1 >= r.w {
			r.keys[k] = struct{}{}
			r.seen[redactHash(k)/64] |= 1 << (redactHash(k) % 64)
		}
	}
	return r
}

// text returns s with every secret-bearing span replaced by redacted, or s
// itself, allocating nothing, when nothing matched (the usual case).
func (r *redactor) text(s string) string {
	if r == nil {
		return s
	}
	if sp := redactSpans(r, s); sp != nil {
		s = string(redactReplace(s, sp))
	}
	return r.next.text(s)
}

// bytes is text for a byte slice (an error body). It returns b itself, not a
// copy, when nothing matched; otherwise a new slice, leaving b untouched.
func (r *redactor) bytes(b []byte) []byte {
	if r == nil {
		return b
	}
	if sp := redactSpans(r, b); sp != nil {
		b = redactReplace(b, sp)
	}
	return r.next.bytes(b)
}

// with returns a redactor that removes each of secrets as well as what r
// removes: a request's password joins the client's token for that request
// only. r itself is not modified.
func (r *redactor) with(secrets ...string) *redactor {
	out := r
	for _, s := range secrets {
		if n := newRedactor(s); n != nil {
			n.next = out
			out = n
		}
	}
	return out
}

// redactSpans returns the sorted, disjoint, non-touching source ranges
// [start, end) of s to replace, or nil. It matches the decoded view of s (JSON
// and percent escapes undone, so escaped echoes are caught) and, when s holds
// any escape, the raw bytes as well: a stray '%' or '\u12' just before a raw
// echo can swallow secret bytes into an unrelated escape, and a secret may
// itself contain '\' or '%'.
func redactSpans[T ~string | ~[]byte](r *redactor, s T) [][2]int {
	if r == nil {
		return nil
	}
	sp, escaped := redactScan(r, s, true, nil)
	if n := len(sp); escaped {
		if sp, _ = redactScan(r, s, false, sp); n > 0 && len(sp) > n {
			slices.SortFunc(sp, func(a, b [2]int) int { return a[0] - b[0] })
			out := sp[:1]
			for _, x := range sp[1:] {
				if last := &out[len(out)-1]; x[0] <= last[1] {
					last[1] = max(last[1], x[1])
				} else {
					out = append(out, x)
				}
			}
			sp = out
		}
	}
	return sp
}

// redactScan slides a w-byte window over s, decoded or raw, and appends to sp
// the source range of every window that is a run of the secret. A decoded byte
// maps back to the whole escape it came from, so a match removes whole escapes.
// Ranges that overlap or touch merge as they come (starts only grow within one
// pass), so adjacent echoes become one marker. It allocates only on a match and
// reports whether any escape was decoded.
func redactScan[T ~string | ~[]byte](r *redactor, s T, decode bool, sp [][2]int) ([][2]int, bool) {
	var starts [redactWindow]int // ring: where in s the escape each recent decoded byte came from starts
	var buf [utf8.UTFMax]byte
	key, seen, escaped, base, n, width := uint64(0), 0, false, len(sp), 0, 0
	for i := 0; i < len(s); i += width {
		if buf[0], n, width = s[i], 1, 1; decode && (s[i] == '%' || s[i] == '\\') {
			n, width = redactUnescape(s, i, &buf)
			escaped = escaped || width > 1
		}
		for _, c := range buf[:n] {
			key = (key<<8 | uint64(c)) & r.mask
			starts[seen%redactWindow] = i
			if seen++; seen < r.w || r.seen[redactHash(key)/64]&(1<<(redactHash(key)%64)) == 0 {
				continue // too few bytes yet, or surely not a window of the secret
			}
			if _, ok := r.keys[key]; ok {
				a, b := starts[(seen-r.w)%redactWindow], i+width
				if k := len(sp) - 1; k >= base && a <= sp[k][1] {
					sp[k][1] = b // ends only grow too
				} else {
					sp = append(sp, [2]int{a, b})
				}
			}
		}
	}
	return sp, escaped
}

// redactUnescape decodes the escape at s[i] into buf and returns the number of
// decoded bytes and the escape's width in s: a JSON string escape (\uXXXX with
// surrogate pairs, \/ \" \\ \b \f \n \r \t) or a percent escape %XX. Anything
// else is one literal byte ('+', which a server may echo as a plus; malformed
// or truncated escapes; lone surrogates), so that no input panics.
func redactUnescape[T ~string | ~[]byte](s T, i int, buf *[utf8.UTFMax]byte) (n, width int) {
	switch {
	case s[i] == '%':
		if v, ok := redactHex(s, i+1, 2); ok {
			buf[0] = byte(v)
			return 1, 3
		}
	case s[i] == '\\' && i+1 < len(s):
		if k := strings.IndexByte(`"\/bfnrt`, s[i+1]); k >= 0 {
			buf[0] = "\"\\/\b\f\n\r\t"[k]
			return 1, 2
		}
		v, ok := redactHex(s, i+2, 4)
		if !ok || s[i+1] != 'u' {
			break
		}
		if width = 6; utf16.IsSurrogate(v) {
			lo, ok := redactHex(s, i+8, 4)
			if !ok || s[i+6] != '\\' || s[i+7] != 'u' {
				break
			}
			if v, width = utf16.DecodeRune(v, lo), 12; v == utf8.RuneError {
				break // not a high-low pair
			}
		}
		return utf8.EncodeRune(buf[:], v), width
	}
	buf[0] = s[i]
	return 1, 1
}

// redactHex parses the n hex digits (either case) at s[i:], reporting false if
// s is too short or any is not a hex digit, so truncated escapes stay literal.
func redactHex[T ~string | ~[]byte](s T, i, n int) (rune, bool) {
	if i+n > len(s) {
		return 0, false
	}
	var v rune
	for j := i; j < i+n; j++ {
		switch c, l := s[j], s[j]|0x20; {
		case '0' <= c && c <= '9':
			v = v<<4 | rune(c-'0')
		case 'a' <= l && l <= 'f':
			v = v<<4 | rune(l-'a'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// redactReplace copies s with each range of sp (sorted, disjoint) replaced by
// redacted, leaving every other byte exactly as it was.
func redactReplace[T ~string | ~[]byte](s T, sp [][2]int) []byte {
	out, prev := make([]byte, 0, len(s)+len(sp)*len(redacted)), 0
	for _, x := range sp {
		out = append(append(out, s[prev:x[0]]...), redacted...)
		prev = x[1]
	}
	return append(out, s[prev:]...)
}
