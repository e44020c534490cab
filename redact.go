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
// proxy can echo the Authorization header back (or a request's password, see
// with), raw or escaped, whole or in part. Escaped means JSON string escapes,
// percent escapes, form encoding ('+' for a space) and HTML character
// references, in any mix (see redactSpans). It is built once per client and
// never modified afterwards, so it is safe for concurrent use. A nil
// *redactor redacts nothing.
type redactor struct {
	w    int                 // window length: min(redactWindow, len(secret))
	mask uint64              // keeps the low w bytes of a packed window
	keys map[uint64]struct{} // every w-byte run of the secret, packed big-endian: one lookup per input byte keeps redaction O(n)
	seen [256]uint64         // bitset of redactHash(key) for keys, so most input bytes skip the map lookup
	next *redactor           // another secret's redactor, applied after this one (see with)
}

// redactHash picks a bit of redactor.seen for a packed window.
func redactHash(k uint64) uint64 { return k * 0x9e3779b97f4a7c15 >> 50 }

// redactFold maps ' ' to '+' and leaves every other byte alone. Form encoding
// (application/x-www-form-urlencoded) writes a space as '+', while a raw or
// JSON echo keeps a secret's '+' as '+': a '+' in an echo may stand for
// either, and nothing says which. Decoding each '+' both ways would branch
// twice per '+' (exponentially many views); instead every byte is folded on
// both sides, the secret's when its windows are keyed and the input's as it is
// scanned, so that a window matches whatever each of its '+' stood for, in the
// same single pass. The relation this makes is symmetric: a ' ' in an echo
// also matches a '+' in the secret, which is a leak as well (a server that
// form-decoded a raw '+'), and costs nothing: the other 7 bytes of a window
// must still be the secret's.
func redactFold(c byte) byte {
	if c == ' ' {
		return '+'
	}
	return c
}

// Kinds of escape: which ones a scan decodes (redactScan's mode) and which
// ones it found. A '+' is no kind: it is folded in every scan (redactFold).
const (
	redactJSON = 1 << iota // JSON string escapes: \uXXXX (surrogate pairs too), \/ \" \\ \b \f \n \r \t
	redactPct              // percent escapes %XX, of URLs and form bodies
	redactHTML             // HTML character references: &lt; &gt; &amp; &quot; &apos;, &#DDD; and &#xHHH;
	redactNest             // a reference read out of the '&' of another: "&amp;lt;" is '<' (text HTML-escaped twice)
	redactAll  = redactJSON | redactPct | redactHTML
)

// newRedactor precomputes the secret's windows once, so that each call costs
// O(n) in its input whatever the secret's length. A secret shorter than
// redactWindow is its own single window (only exact occurrences match). An
// empty secret yields nil: there is nothing to redact.
func newRedactor(secret string) *redactor {
	if secret == "" {
		return nil
	}
	w := min(redactWindow, len(secret))
	r := &redactor{w: w, mask: ^uint64(0) >> (64 - 8*w), keys: make(map[uint64]struct{}, len(secret))}
	var k uint64
	for i := 0; i < len(secret); i++ {
		if k = (k<<8 | uint64(redactFold(secret[i]))) & r.mask; i+1 >= r.w {
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
// [start, end) of s to replace, or nil.
//
// It first matches the view of s with every kind of escape decoded at once,
// HTML references read over JSON and percent escapes (so "\u0026lt;", Go's
// JSON of HTML-escaped text, and "%26lt%3B" are '<'): that catches an echo
// that mixes the encodings byte by byte. When that view decoded anything, it
// also matches the raw bytes (a stray '%', '\u12' or '&#' just before a raw
// echo can swallow secret bytes into an unrelated escape, and a secret may
// itself hold '\', '%' or '&'); and when it decoded two kinds or more, the view
// with each kind alone, because one encoder leaves raw what another's decoding
// would rewrite: JSON keeps '%' and (outside Go) '&', HTML keeps '\' and '%',
// so a secret holding "%41" or "&amp;" reads back right only in its echo's own
// view; and a stray '\' or '%' just before an echo in the other encoding can
// swallow its first raw byte in the first view but not in that encoding's own.
// Last, when the first view met a reference that reads '&' followed by another
// ("&amp;lt;"), the view that reads that as one reference too ('<'): text
// escaped twice, as a template that escapes already-escaped text renders it.
// That is its own view, because a secret may hold "&lt;" itself, and an HTML
// echo of it is exactly "&amp;lt;". That is at most six O(n) scans, all
// allocation-free until a match.
func redactSpans[T ~string | ~[]byte](r *redactor, s T) [][2]int {
	if r == nil {
		return nil
	}
	sp, kinds := redactScan(r, s, redactAll, nil)
	if kinds == 0 {
		return sp // nothing decoded: that view was the raw bytes
	}
	sp, _ = redactScan(r, s, 0, sp)
	if k := kinds &^ redactNest; k&(k-1) != 0 {
		for _, k := range [...]uint8{redactJSON, redactPct, redactHTML} {
			if kinds&k != 0 {
				sp, _ = redactScan(r, s, k, sp)
			}
		}
	}
	if kinds&redactNest != 0 {
		sp, _ = redactScan(r, s, redactAll|redactNest, sp)
	}
	if len(sp) > 1 { // ranges from several scans: sort and merge them
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
	return sp
}

// redactScan slides a w-byte window over s, with the kinds of escape in mode
// decoded, and appends to sp the source range of every window that is a run of
// the secret (bytes folded, see redactFold). A decoded byte maps back to the
// whole escape it came from, so a match removes whole escapes. Ranges that
// overlap or touch merge as they come (starts only grow within one pass), so
// adjacent echoes become one marker. It allocates only on a match and reports
// the kinds of escape it decoded.
func redactScan[T ~string | ~[]byte](r *redactor, s T, mode uint8, sp [][2]int) ([][2]int, uint8) {
	var starts [redactWindow]int // ring: where in s the escape each recent decoded byte came from starts
	var buf [utf8.UTFMax]byte
	key, seen, kinds, base, n, width, kind := uint64(0), 0, uint8(0), len(sp), 0, 0, uint8(0)
	for i := 0; i < len(s); i += width {
		if buf[0], n, width = s[i], 1, 1; mode != 0 && (s[i] == '%' || s[i] == '\\' || s[i] == '&') {
			n, width, kind = redactDecode(s, i, mode, &buf)
			kinds |= kind
		}
		for _, c := range buf[:n] {
			key = (key<<8 | uint64(redactFold(c))) & r.mask
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
	return sp, kinds
}

// redactDecode decodes the escape of a kind in mode at s[i] into buf and
// returns the number of decoded bytes, the escape's width in s and the kinds it
// decoded (0: s[i] is one literal byte). An HTML reference is read over the
// JSON and percent escapes mode allows: its '&', and each of its characters,
// may itself be escaped. With redactNest in mode, a reference that reads '&'
// is the '&' of the reference that follows it, if one does ("&amp;lt;" is
// '<', "&amp;amp;#60;" too); without, that case is only reported, as kind
// redactNest.
func redactDecode[T ~string | ~[]byte](s T, i int, mode uint8, buf *[utf8.UTFMax]byte) (n, width int, kinds uint8) {
	if n, width, kinds = redactUnescape(s, i, mode, buf); mode&redactHTML == 0 || n != 1 || buf[0] != '&' {
		return n, width, kinds
	}
	m, w, k := redactRef(s, i+width, mode, buf)
	if m == 0 {
		return n, width, kinds
	}
	n, width, kinds = m, width+w, kinds|k|redactHTML
	for n == 1 && buf[0] == '&' { // each round reads one more reference, or stops
		var inner [utf8.UTFMax]byte
		if m, w, k = redactRef(s, i+width, mode, &inner); m == 0 {
			break
		}
		if mode&redactNest == 0 {
			return n, width, kinds | redactNest
		}
		n, width, kinds, *buf = m, width+w, kinds|k, inner
	}
	return n, width, kinds
}

// redactRef decodes the HTML character reference whose '&' ends at s[j] into
// buf and returns the number of decoded bytes (0: none there, the '&' is
// literal), its width in s after the '&' and the kinds of escape its
// characters were written in. It reads what escapers write: the names lt, gt,
// amp, quot and apos (in either case, as HTML5 also knows &LT; &AMP; ...), and
// &#DDD; or &#xHHH; (x or X, any leading zeros: &#39; &#039; &#x27; &#X0003C;),
// of any valid rune but NUL, always with the ';'. A reference without its ';',
// or another name (&nbsp;), is left literal.
//
// A reference holds no '&' but its first, so the text scanned for one that
// then fails (the scan resumes just after its '&') holds none either but
// perhaps the last byte read: each byte is read for at most a few references,
// and decoding stays O(n) however long a digit run.
func redactRef[T ~string | ~[]byte](s T, j int, mode uint8, buf *[utf8.UTFMax]byte) (n, width int, kinds uint8) {
	mode &^= redactHTML // a reference's characters may be JSON- or percent-escaped, not references
	at := j
	next := func() byte { // the next character, decoded; 0 (never part of a reference) at the end or for a non-ASCII rune
		if at >= len(s) {
			return 0
		}
		var b [utf8.UTFMax]byte
		m, w, k := redactUnescape(s, at, mode, &b)
		at, kinds = at+w, kinds|k
		if m != 1 {
			return 0
		}
		return b[0]
	}
	c := next()
	if c == '#' {
		base := rune(10)
		if c = next(); c|0x20 == 'x' {
			base, c = 16, next()
		}
		var v rune
		digits := 0
		for d := redactDigit(c, base); d >= 0; d = redactDigit(c, base) {
			v, digits, c = min(v*base+d, utf8.MaxRune+1), digits+1, next() // saturates: too large stays too large
		}
		if digits == 0 || c != ';' || v == 0 || !utf8.ValidRune(v) {
			return 0, 0, 0
		}
		return utf8.EncodeRune(buf[:], v), at - j, kinds
	}
	var name uint32 // up to 4 lower-cased letters, packed
	for k := 0; 'a' <= c|0x20 && c|0x20 <= 'z'; k, c = k+1, next() {
		if k == 4 {
			return 0, 0, 0
		}
		name = name<<8 | uint32(c|0x20)
	}
	if c != ';' {
		return 0, 0, 0
	}
	switch name {
	case 'l'<<8 | 't':
		buf[0] = '<'
	case 'g'<<8 | 't':
		buf[0] = '>'
	case 'a'<<16 | 'm'<<8 | 'p':
		buf[0] = '&'
	case 'q'<<24 | 'u'<<16 | 'o'<<8 | 't':
		buf[0] = '"'
	case 'a'<<24 | 'p'<<16 | 'o'<<8 | 's':
		buf[0] = '\''
	default:
		return 0, 0, 0
	}
	return 1, at - j, kinds
}

// redactUnescape decodes the escape of a kind in mode at s[i] into buf and
// returns the number of decoded bytes, the escape's width in s and its kind: a
// JSON string escape (\uXXXX with surrogate pairs, \/ \" \\ \b \f \n \r \t) or
// a percent escape %XX. Anything else is one literal byte of kind 0 (an HTML
// reference, which redactDecode reads on top of this; '+', which redactFold
// handles; malformed or truncated escapes; lone surrogates), so that no input
// panics.
func redactUnescape[T ~string | ~[]byte](s T, i int, mode uint8, buf *[utf8.UTFMax]byte) (n, width int, kind uint8) {
	switch {
	case s[i] == '%' && mode&redactPct != 0:
		if v, ok := redactHex(s, i+1, 2); ok {
			buf[0] = byte(v)
			return 1, 3, redactPct
		}
	case s[i] == '\\' && mode&redactJSON != 0 && i+1 < len(s):
		if k := strings.IndexByte(`"\/bfnrt`, s[i+1]); k >= 0 {
			buf[0] = "\"\\/\b\f\n\r\t"[k]
			return 1, 2, redactJSON
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
		return utf8.EncodeRune(buf[:], v), width, redactJSON
	}
	buf[0] = s[i]
	return 1, 1, 0
}

// redactHex parses the n hex digits (either case) at s[i:], reporting false if
// s is too short or any is not a hex digit, so truncated escapes stay literal.
func redactHex[T ~string | ~[]byte](s T, i, n int) (rune, bool) {
	if i+n > len(s) {
		return 0, false
	}
	var v rune
	for j := i; j < i+n; j++ {
		d := redactDigit(s[j], 16)
		if d < 0 {
			return 0, false
		}
		v = v<<4 | d
	}
	return v, true
}

// redactDigit is the value of c as a digit in base 10 or 16 (either case), or
// -1 if it is none.
func redactDigit(c byte, base rune) rune {
	switch l := c | 0x20; {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case base == 16 && 'a' <= l && l <= 'f':
		return rune(l - 'a' + 10)
	}
	return -1
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
