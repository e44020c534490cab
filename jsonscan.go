package authentik

import (
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds two helpers for decoding untrusted response bodies.
//
// scanShape is a pre-scan that runs before encoding/json on every page. A
// hostile server can send tiny values ({}, 0, null, [], "") as array elements
// that each decode into a struct hundreds of bytes large, so a 32 MiB body
// could become gigabytes of Go values. Counting the values first lets the
// caller refuse such a body before anything is allocated.
//
// jsonPath turns the byte offset of an encoding/json error into a path such as
// results[3].flow_set[0].port, so that error messages say where the bad value
// is instead of "offset 81234".

// jsonShape is what a pre-scan of a JSON document found.
type jsonShape struct {
	elements int // array elements, at any depth (an empty array has none)
	objects  int // objects, at any depth, including the root
	results  int // elements of the root object's "results" array; -1 when the root is not an object with a "results" array
	deep     int // elements of arrays at level deepLevel or deeper (scanShapeLevel); 0 for scanShape
	// elementObjects are the objects that are array elements, at any depth;
	// deepObjects those that are elements of arrays counted in deep.
	elementObjects, deepObjects int
}

// scanStackDepth is how many levels of nesting scanShape remembers the kind
// (array or object) of: as many as encoding/json accepts (its scanner and
// encoding/json/v2 both stop at 10000), so the counts are exact on every
// document encoding/json would decode. One bit per level keeps the stack at
// 1.25 KiB, cheap to clear on every call.
const scanStackDepth = 10000

// scanShape counts without decoding. It assumes nothing about validity: on
// malformed input it must still terminate in O(n), never panic, and return
// counts that are an upper bound for what encoding/json would allocate for
// (ok=false is allowed for an unterminated string, in which case the caller
// will let encoding/json report the syntax error).
//
// On valid JSON the counts are exact. The element count rests on two facts
// that need no decoding: a non-empty array has one element more than it has
// commas directly inside it, and an empty array is "[" followed, after
// optional whitespace, by "]". To tell the commas of arrays from those of
// objects the scan keeps one bit per level of nesting. Deeper than
// scanStackDepth levels it no longer knows, so it counts every comma there as
// an element: that over-counts (object members are not elements) but never
// under-counts.
//
// On malformed input the counts stay an upper bound for any valid prefix that
// a streaming decoder could have decoded before it hit the error: the
// counters only grow as the scan advances, and on the valid part of the input
// they are exact.
//
// The "results" array is recognised by its raw key bytes only: a key spelt
// with escapes (like "re\u0073ults") is not recognised. If the root object
// has several "results" arrays (a duplicate key), their elements are summed,
// again an upper bound.
//
// How it is fast: a page is mostly short strings, and what costs is finding
// where each one ends, not reading the bytes. The scan takes the document
// 64 bytes at a time with a bitmask per block of its quotes, backslashes,
// commas and brackets (scanClassify: SSE2 on amd64, 16 bytes an
// instruction), and turns the quotes into a mask of the bytes inside
// strings with a prefix XOR (a quote toggles "inside"), as simdjson does.
// The commas outside strings are counted with a popcount per block; only the
// brackets outside strings, a few per hundred bytes, are visited one by one.
// Backslashes, which can escape a quote, are rare; blocks holding one take
// them in order. A body made of nothing but structure, like the hostile
// [{},{},...], has every other byte visited; that is still linear, and such
// a body is refused after one scan.
func scanShape(b []byte) (s jsonShape, ok bool) { return scanShapeLevel(b, 0) }

// scanShapeLevel is scanShape that also counts, in deep, the elements of the
// arrays at nesting level deepLevel or deeper: the root container is at level
// 1, a member or element of it at level 2, and so on. deepLevel 0 counts none.
// The memory guard charges those elements by what the models nested in one
// item decode them into, and the others by what an item costs.
func scanShapeLevel(b []byte, deepLevel int) (s jsonShape, ok bool) {
	return scanShapeWith(b, deepLevel, false)
}

// scanChunk is how many 64-byte blocks are classified at a time: 1 KiB of
// masks on the stack for 2 KiB of body.
const scanChunk = 32

// scanShapeWith is scanShapeLevel, with the portable classifier if asked (the
// tests run both). The classifier is chosen by a flag, not passed as a
// function: a function value would move the masks to the heap. The loop over the blocks keeps to what every block
// needs (strings and commas); the brackets, a few per hundred bytes, are
// handed to scanState.brackets with the commas before them.
func scanShapeWith(b []byte, deepLevel int, portable bool) (s jsonShape, ok bool) {
	classify := func(b []byte, out []scanBlock) {
		if portable {
			scanClassifyPortable(b, out)
		} else {
			scanClassify(b, out)
		}
	}
	st := scanState{results: -1, resultsDepth: -1, skipClose: -1, deepFrom: deepLevel}
	if deepLevel <= 0 {
		st.deepFrom = scanStackDepth + 2 // never
	}
	if k := scanSkipSpace(b, 0); k < len(b) && b[k] == '{' {
		st.rootObject = true
	}

	var inString uint64 // all ones if the current block starts inside a string
	escapeNext := false // the first byte of the current block is escaped
	var masks [scanChunk]scanBlock
	var tail [64]byte
	for chunk, n := 0, 0; chunk < len(b); chunk += 64 * n {
		n = min(scanChunk, (len(b)-chunk)/64)
		if n > 0 {
			classify(b[chunk:chunk+64*n], masks[:n])
		} else {
			// The last, partial block: classified from a copy padded
			// with spaces, which are nothing the scan looks for.
			tail = scanSpaces
			copy(tail[:], b[chunk:])
			classify(tail[:], masks[:1])
			n = 1
		}
		for i := range n {
			m := &masks[i]
			base := chunk + 64*i
			quotes := m.quotes
			if m.slashes != 0 || escapeNext {
				// Drop the escaped quotes. A backslash escapes the
				// next byte whatever it is, including another
				// backslash, so the backslashes are taken in order.
				// Backslashes outside strings are treated alike:
				// that input is malformed, and the counts still only
				// grow.
				var escaped uint64
				if escapeNext {
					escaped, escapeNext = 1, false
				}
				for s := m.slashes &^ escaped; s != 0; s &= s - 1 {
					k := bits.TrailingZeros64(s)
					if k == 63 {
						escapeNext = true
						break
					}
					escaped |= 1 << (k + 1)
					s &^= 1 << (k + 1)
				}
				quotes &^= escaped
			}
			// Prefix XOR: bit k of in is set when an odd number of
			// quotes lie at or before k, that is on an opening quote
			// and the string after it, and clear on the closing quote.
			in := quotes ^ quotes<<1
			in ^= in << 2
			in ^= in << 4
			in ^= in << 8
			in ^= in << 16
			in ^= in << 32
			in ^= inString
			inString = uint64(int64(in) >> 63)
			outside := ^(in | quotes)
			if len(b)-base < 64 {
				outside &= 1<<(len(b)-base) - 1
			}

			if brackets := m.brackets & outside; brackets != 0 {
				st.brackets(b, base, brackets, m.commas&outside)
			} else {
				st.commas += bits.OnesCount64(m.commas & outside)
			}
		}
	}
	st.flush()
	return jsonShape{elements: st.elements, objects: st.objects, results: st.results, deep: st.deep,
		elementObjects: st.elementObjects, deepObjects: st.deepObjects}, inString == 0
}

// scanSpaces pads the last block.
var scanSpaces = [64]byte{' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '}

// scanState is what the scan knows of the containers open and the counts
// so far.
type scanState struct {
	// Bit d of isArray says whether the container at depth d+1 is an
	// array, for the first 64 levels; deeper, bit d-64 of deeper's words
	// (scanStackDepth levels in all), made when a body first nests that
	// deep (a hostile one: authentik's nest a few levels).
	isArray uint64
	deeper  []uint64
	depth   int // containers currently open
	// Per comma, elements grows by -inArray and results by -inResults:
	// each is -1 when the innermost container is an array (or of unknown
	// kind, see above), respectively the root object's "results" array,
	// and 0 otherwise. They change only at brackets, so the commas
	// between two brackets are counted first (commas) and charged at the
	// next bracket (flush).
	inArray, inResults int
	// inDeep is inArray when the innermost container is at deepLevel or
	// deeper, else 0: per comma, deep grows by -inDeep.
	inDeep   int
	commas   int // outside strings, since the last bracket
	deepFrom int // the depth (containers open) from which arrays are deep

	elements, objects, results, deep int
	elementObjects, deepObjects      int

	resultsDepth int // 2 while the "results" array is open
	skipClose    int // index of the closer of the last empty array or object
	// rootObject stays true while the root value is an object that is still
	// open; only its members are candidates for "results".
	rootObject bool
}

// setKind records whether the container at depth d+1 (d below
// scanStackDepth) is an array.
func (st *scanState) setKind(d int, array bool) {
	bit := uint64(1) << (d % 64)
	w := &st.isArray
	if d >= 64 {
		if st.deeper == nil {
			st.deeper = make([]uint64, (scanStackDepth+63)/64-1)
		}
		w = &st.deeper[d/64-1]
	}
	if array {
		*w |= bit
	} else {
		*w &^= bit
	}
}

// kind is 1 if the container at depth d+1 is an array, else 0.
func (st *scanState) kind(d int) uint64 {
	w := st.isArray
	if d >= 64 {
		w = st.deeper[d/64-1]
	}
	return w >> (d % 64) & 1
}

// flush charges the commas counted since the last bracket to the container
// they are in.
func (st *scanState) flush() {
	st.elements -= st.inArray * st.commas
	st.results -= st.inResults * st.commas
	st.deep -= st.inDeep * st.commas
	st.commas = 0
}

// brackets takes the brackets (and the bytes the classifier cannot tell
// from them) outside strings of the 64-byte block at base, in order, with
// the commas outside strings of the block.
func (st *scanState) brackets(b []byte, base int, brackets, commas uint64) {
	for ; brackets != 0; brackets &= brackets - 1 {
		k := bits.TrailingZeros64(brackets)
		j := base + k
		c := b[j]
		if c != '[' && c != ']' && c != '{' && c != '}' {
			continue // 'Y', '_', 'y' or 0x7f: malformed outside a string
		}
		// The commas before this bracket are in the container it opens
		// or closes in.
		before := commas & (1<<k - 1)
		st.commas += bits.OnesCount64(before)
		commas &^= before
		st.flush()
		switch c {
		case '[':
			// Only an array directly in the root object can be
			// "results"; the depth test keeps the look back off every
			// other array.
			isResults := st.depth == 1 && st.rootObject && scanResultsKeyBefore(b, j)
			if isResults {
				st.results = max(st.results, 0)
			}
			// An empty array has no element, and needs no push and pop:
			// most hostile bodies are made of [] and {}.
			if k := scanSkipSpace(b, j+1); k < len(b) && b[k] == ']' {
				if k < base+64 {
					brackets &^= 1 << (k - base)
				} else {
					st.skipClose = k
				}
				continue
			}
			st.elements++
			if isResults {
				st.results++
				st.resultsDepth = 2
			}
			if st.depth < scanStackDepth {
				st.setKind(st.depth, true)
			}
			st.depth++
			st.inArray, st.inResults, st.inDeep = -1, 0, 0
			if st.depth >= st.deepFrom {
				st.deep++
				st.inDeep = -1
			}
			if st.depth == st.resultsDepth {
				st.inResults = -1
			}
		case '{':
			st.objects++
			if st.depth <= scanStackDepth {
				// Deeper, the parent's kind is unknown: counting no
				// element objects there over-charges.
				st.elementObjects -= st.inArray
				st.deepObjects -= st.inDeep
			}
			if k := scanSkipSpace(b, j+1); k < len(b) && b[k] == '}' {
				if k < base+64 {
					brackets &^= 1 << (k - base)
				} else {
					st.skipClose = k
				}
				if st.depth == 0 {
					st.rootObject = false // an empty root has no "results"
				}
				continue
			}
			if st.depth < scanStackDepth {
				st.setKind(st.depth, false)
			}
			st.depth++
			st.inArray, st.inResults, st.inDeep = 0, 0, 0
			if st.depth > scanStackDepth {
				// Unknown from here on: count commas as elements, an
				// over-count (encoding/json refuses such a document
				// before decoding it).
				st.inArray = -1
			}
		default: // ']' or '}'
			// Closers are not matched against openers: on valid input
			// they always match, and on malformed input popping anyway
			// keeps the counts an upper bound.
			if st.depth == 0 || j == st.skipClose {
				continue
			}
			if st.depth == st.resultsDepth {
				st.resultsDepth = -1
			}
			st.depth--
			st.inResults = 0
			switch {
			case st.depth == 0:
				st.inArray = 0
				st.rootObject = false
			case st.depth <= scanStackDepth:
				st.inArray = -int(st.kind(st.depth - 1))
				if st.depth == st.resultsDepth {
					st.inResults = -1
				}
			default:
				st.inArray = -1
			}
			st.inDeep = 0
			if st.depth >= st.deepFrom {
				st.inDeep = st.inArray
			}
		}
	}
	st.commas += bits.OnesCount64(commas)
}

// scanResultsKeyBefore reports whether the "[" at b[j] follows the key
// "results" and a colon, with optional whitespace. The scan calls it only for
// an array directly inside the root object, where the bytes before "[" are
// a key and a colon in valid JSON. The quote before results is the key's
// opening quote unless a backslash escapes it, since an unescaped quote
// cannot be inside a string.
func scanResultsKeyBefore(b []byte, j int) bool {
	k := scanSkipSpaceBack(b, j-1)
	if k < 0 || b[k] != ':' {
		return false
	}
	k = scanSkipSpaceBack(b, k-1)
	return k >= 8 && string(b[k-8:k+1]) == `"results"` && (k == 8 || b[k-9] != '\\')
}

// scanSkipSpace returns the index of the first byte at or after i that is
// not JSON whitespace, or len(b).
func scanSkipSpace(b []byte, i int) int {
	for i < len(b) && scanIsSpace(b[i]) {
		i++
	}
	return i
}

// scanSkipSpaceBack returns the index of the last byte at or before i that
// is not JSON whitespace, or -1.
func scanSkipSpaceBack(b []byte, i int) int {
	for i >= 0 && scanIsSpace(b[i]) {
		i--
	}
	return i
}

// scanIsSpace reports whether c is JSON whitespace.
func scanIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// pathStringEnd returns the index of the quote that closes the JSON string
// whose content starts at i, or -1 if the string is not closed before the end
// of b. A backslash escapes the byte after it, so \" and \\" come out
// right. jsonPath runs once per error, so a plain byte loop is fast enough.
func pathStringEnd(b []byte, i int) int {
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			return i
		case '\\':
			i++
		}
	}
	return -1
}

// Bounds on what jsonPath prints, so that a hostile document cannot turn an
// error message into megabytes.
const (
	pathMaxSegments = 16 // segments printed; deeper ones become "…"
	pathMaxKey      = 64 // bytes of a decoded key printed; longer keys are cut and end in "…"
)

// States of a container that jsonPath walks through.
const (
	pathOpen  = iota // nothing of the current member or element read yet
	pathKey          // object: key read, colon not yet
	pathValue        // object: after the colon; array: after a comma
	pathAfter        // a whole member value or element read
)

// pathFrame is one open container on jsonPath's stack.
type pathFrame struct {
	array bool
	state uint8
	index int // array: index of the current element
	// keyStart and keyEnd delimit the raw bytes of the current key (without
	// quotes); keyStart is -1 when the object has no current key. The key is
	// decoded only when printed, which keeps the walk linear however long or
	// numerous the keys are.
	keyStart, keyEnd int
}

// jsonPath describes where byte offset off of document b lies, as a path from
// the root: `results[3].flow_set[0].port`, `pagination.next`, `[2]`, or "" at
// the root. Offsets past the end are clamped. Keys are shown decoded (JSON
// escapes resolved) and, if they contain anything other than [A-Za-z0-9_-],
// quoted with strconv.Quote in brackets: `fixed_data["a b"]`. The path is
// bounded: at most 16 segments (deeper ones replaced by "…") and keys cut to
// 64 bytes.
//
// The path is that of the innermost member or element that begins before off,
// if its container is still open at off; otherwise that of the container. This
// matches the offsets encoding/json (v1, the default of Go 1.26) reports:
//
//   - UnmarshalTypeError.Offset for a scalar is just after the value, so the
//     value just read is the one named: {"port":"x"} at the end of "x" gives
//     port.
//   - For an object or array of the wrong type it is just after the opening
//     bracket, so the container that was just opened is named, not its first
//     element.
//   - SyntaxError.Offset is just after the offending byte; the path is then
//     the member or element being parsed, best effort. A closing bracket just
//     before off is left out and one that does not match the open container
//     is ignored, so that {"a":} and {"a":1] both name a. (An offset at the
//     end of a complete document therefore names its last member, not the
//     root; encoding/json reports no error there.)
//
// An offset at the start of a value, as the experimental encoding/json v2
// (GOEXPERIMENT=jsonv2) reports, names that value too, except for the first
// element of an array, which cannot be told from a wrong-typed array, and a
// map key; both get the path of their container.
func jsonPath(b []byte, off int64) string {
	end := len(b)
	if off < int64(end) {
		end = int(max(off, 0))
	}
	// A type error's offset never follows a closing bracket, so an offset
	// just after one is a syntax error at that bracket ({"a":} or [1,]):
	// leaving it out names the member or element it interrupted.
	if end > 0 && (b[end-1] == ']' || b[end-1] == '}') {
		end--
	}
	// One frame more than printable segments: enough to know whether
	// anything deeper would be cut. Beyond that only the depth is counted.
	var frames [pathMaxSegments + 1]pathFrame
	depth := 0

	// value records that a value (scalar, string or container) started at
	// the current position of the innermost frame.
	value := func() {
		if depth == 0 || depth > len(frames) {
			return
		}
		f := &frames[depth-1]
		switch {
		case f.array && (f.state == pathOpen || f.state == pathValue):
			f.state = pathAfter
		case !f.array && f.state == pathValue:
			f.state = pathAfter
		case !f.array && f.state == pathOpen:
			// A value without a key: the member has no name to print.
			f.state, f.keyStart = pathAfter, -1
		}
		// Otherwise a value where none belongs (a missing comma or
		// colon): keep the member or element already being parsed.
	}

	for i := 0; i < end; i++ {
		c := b[i]
		switch c {
		case ' ', '\t', '\n', '\r':
		case '"':
			strEnd := pathStringEnd(b, i+1)
			if strEnd < 0 {
				strEnd = len(b)
			}
			if depth > 0 && depth <= len(frames) {
				if f := &frames[depth-1]; !f.array && f.state == pathOpen {
					// A key. If off falls inside it, it is still the
					// member being parsed, so it is read to its end.
					f.state, f.keyStart, f.keyEnd = pathKey, i+1, strEnd
					i = strEnd
					continue
				}
			}
			value()
			i = strEnd
		case ':':
			if depth > 0 && depth <= len(frames) {
				if f := &frames[depth-1]; !f.array && f.state == pathKey {
					f.state = pathValue
				}
			}
		case ',':
			if depth > 0 && depth <= len(frames) {
				f := &frames[depth-1]
				if f.state == pathAfter {
					if f.array {
						f.state = pathValue
						f.index++
					} else {
						f.state, f.keyStart = pathOpen, -1
					}
				}
			}
		case '[', '{':
			value()
			if depth < len(frames) {
				frames[depth] = pathFrame{array: c == '[', keyStart: -1}
			}
			depth++
		case ']', '}':
			if depth == 0 {
				continue
			}
			if depth <= len(frames) && frames[depth-1].array != (c == ']') {
				// Mismatched: a syntax error at this byte. Staying in
				// the container names the member that was being parsed.
				continue
			}
			depth--
		default:
			// Part of a number or literal. Only its first byte starts a
			// value; the rest is skipped here so value() runs once.
			value()
			for i+1 < end && !pathDelimiter(b[i+1]) {
				i++
			}
		}
	}
	return pathFormat(b, frames[:min(depth, len(frames))], depth > len(frames))
}

// pathDelimiter reports whether c ends a number or literal.
func pathDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', ':', ',', '[', ']', '{', '}':
		return true
	}
	return false
}

// pathFormat prints the segments of frames; deeper says there are open
// containers beyond them.
func pathFormat(b []byte, frames []pathFrame, deeper bool) string {
	var out []byte
	segments := 0
	for _, f := range frames {
		if f.state == pathOpen || (!f.array && f.keyStart < 0) {
			continue // no current member or element: the container itself
		}
		if segments == pathMaxSegments {
			deeper = true
			break
		}
		segments++
		if f.array {
			out = append(out, '[')
			out = strconv.AppendInt(out, int64(f.index), 10)
			out = append(out, ']')
			continue
		}
		key, cut := pathDecodeKey(b[f.keyStart:f.keyEnd])
		if !cut && pathPlainKey(key) {
			if len(out) > 0 {
				out = append(out, '.')
			}
			out = append(out, key...)
			continue
		}
		if cut {
			key = append(key, "…"...)
		}
		out = append(out, '[')
		out = strconv.AppendQuote(out, string(key))
		out = append(out, ']')
	}
	if deeper {
		if len(out) > 0 {
			out = append(out, '.')
		}
		out = append(out, "…"...)
	}
	return string(out)
}

// pathPlainKey reports whether key can be printed without quotes: it is not empty
// and has only [A-Za-z0-9_-].
func pathPlainKey(key []byte) bool {
	if len(key) == 0 {
		return false
	}
	for _, c := range key {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// pathDecodeKey resolves the JSON escapes of the raw key bytes raw, the way
// encoding/json does (invalid UTF-8 and lone surrogates become U+FFFD), and
// stops after pathMaxKey bytes of output, on a rune boundary; cut reports that
// it stopped early. It never fails: a malformed escape is kept as it is.
func pathDecodeKey(raw []byte) (key []byte, cut bool) {
	key = make([]byte, 0, pathMaxKey)
	for i := 0; i < len(raw); {
		r, size := rune(raw[i]), 1
		switch {
		case raw[i] == '\\' && i+1 < len(raw):
			r, size = pathUnescape(raw[i:])
		case raw[i] >= utf8.RuneSelf:
			r, size = utf8.DecodeRune(raw[i:]) // RuneError for invalid UTF-8, like encoding/json
		}
		if len(key)+utf8.RuneLen(r) > pathMaxKey {
			return key, true
		}
		key = utf8.AppendRune(key, r)
		i += size
	}
	return key, false
}

// pathUnescape decodes the escape sequence at the start of s (which starts
// with a backslash and has at least two bytes) and returns the rune and the
// number of bytes it took.
func pathUnescape(s []byte) (rune, int) {
	switch s[1] {
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r := pathHex4(s[2:])
		if r < 0 {
			return rune(s[1]), 2 // malformed: show the letter, best effort
		}
		if utf16.IsSurrogate(r) {
			// A pair is two escapes; anything else is a lone surrogate,
			// which encoding/json replaces.
			if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
				if r2 := pathHex4(s[8:]); r2 >= 0 {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						return dec, 12
					}
				}
			}
			return utf8.RuneError, 6
		}
		return r, 6
	default:
		// \" \\ \/ and, best effort, anything malformed.
		return rune(s[1]), 2
	}
}

// pathHex4 decodes four hex digits at the start of s, or returns -1.
func pathHex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}
