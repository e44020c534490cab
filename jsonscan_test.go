package authentik

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestScanShapeCounts checks the counts on small documents, each chosen to
// trip one way a byte scanner can miscount: strings holding structural
// characters, escaped quotes and backslashes, whitespace, empty containers.
func TestScanShapeCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
		want jsonShape
	}{
		{"empty object", `{}`, jsonShape{elements: 0, objects: 1, results: -1}},
		{"empty array", `[]`, jsonShape{elements: 0, objects: 0, results: -1}},
		{"one element", `[1]`, jsonShape{elements: 1, objects: 0, results: -1}},
		{"three elements", `[1,2,3]`, jsonShape{elements: 3, objects: 0, results: -1}},
		{"empty arrays in array", `[[],[]]`, jsonShape{elements: 2, objects: 0, results: -1}},
		{"empty objects in array", `[{},{}]`, jsonShape{elements: 2, objects: 2, results: -1}},
		{"tiny values", `[{},0,null,[],"",true]`, jsonShape{elements: 6, objects: 1, results: -1}},
		{"nested", `{"a":[{"b":[1,2,{"c":[]}]},[3,[4,5]]],"d":{"e":{}}}`, jsonShape{elements: 9, objects: 5, results: -1}},
		{"object commas are not elements", `{"a":1,"b":2,"c":[1,2]}`, jsonShape{elements: 2, objects: 1, results: -1}},
		{"structural characters in strings", `["[{,\"\\","}]:",{"[":"]"}]`, jsonShape{elements: 3, objects: 1, results: -1}},
		{"escaped quote", `["a\"[,"]`, jsonShape{elements: 1, objects: 0, results: -1}},
		{"escaped backslash before closing quote", `["\\",[1]]`, jsonShape{elements: 3, objects: 0, results: -1}},
		{"escaped backslash then escaped quote", `["\\\"],[",1]`, jsonShape{elements: 2, objects: 0, results: -1}},
		{"long strings with escapes", `["` + strings.Repeat(`ab\"cd\\`, 50) + `",{"` + strings.Repeat("k", 40) + `\\":[1,2]}]`, jsonShape{elements: 4, objects: 1, results: -1}},
		{"unicode escapes", `["\u005b\u007b\u002c","\u0022"]`, jsonShape{elements: 2, objects: 0, results: -1}},
		{"whitespace everywhere", " \t\n{ \"a\" : [ 1 ,\r\n 2 , [ ] , { } ] , \"b\" : { } }\n", jsonShape{elements: 4, objects: 3, results: -1}},
		{"whitespace in empty array", "[[ \t\n ], {\n}]", jsonShape{elements: 2, objects: 1, results: -1}},
		{"scalar root", `"[1,2]"`, jsonShape{elements: 0, objects: 0, results: -1}},

		{"results", `{"results":[{},{}]}`, jsonShape{elements: 2, objects: 3, results: 2}},
		{"results not at root", `{"x":{"results":[1]}}`, jsonShape{elements: 1, objects: 2, results: -1}},
		{"empty results", `{"results":[]}`, jsonShape{elements: 0, objects: 1, results: 0}},
		{"results not an array", `{"results":5}`, jsonShape{elements: 0, objects: 1, results: -1}},
		{"results with whitespace", "{ \"pagination\" : {\"count\":2} ,\n \"results\" :\t[ [1,2] , {} ] }", jsonShape{elements: 4, objects: 3, results: 2}},
		{"results as a value", `{"a":"results","b":[1]}`, jsonShape{elements: 1, objects: 1, results: -1}},
		{"results in root array", `[{"results":[1,2]}]`, jsonShape{elements: 3, objects: 1, results: -1}},
		{"nested arrays are not results", `{"results":[[1,2,3],[4]]}`, jsonShape{elements: 6, objects: 1, results: 2}},
		{"duplicate results are summed", `{"results":[1,2],"results":[3]}`, jsonShape{elements: 3, objects: 1, results: 3}},
		{"escaped results key", `{"re\u0073ults":[1]}`, jsonShape{elements: 1, objects: 1, results: -1}},
		{"escaped quote before results", `{"x\"results":[1]}`, jsonShape{elements: 1, objects: 1, results: -1}},
		{"spaced empty results", `{"results" : [ ] }`, jsonShape{elements: 0, objects: 1, results: 0}},
		{"empty containers across windows", "[[" + strings.Repeat(" ", 70) + "],{" + strings.Repeat("\n", 70) + "},[1]]", jsonShape{elements: 4, objects: 1, results: -1}},
		{"results in second top-level value", `{} {"results":[1]}`, jsonShape{elements: 1, objects: 2, results: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := scanShapeBoth(t, []byte(tt.doc))
			got.elementObjects, got.deepObjects = 0, 0 // checked against the oracles below
			if !ok || got != tt.want {
				t.Errorf("scanShapeBoth(t, %s) = %+v, %v; want %+v, true", tt.doc, got, ok, tt.want)
			}
		})
	}
}

// TestScanShapeLevelCounts: deep counts the elements of the arrays at a
// nesting level or deeper (the root is level 1), whatever the keys are.
func TestScanShapeLevelCounts(t *testing.T) {
	t.Parallel()
	doc := `{"results":[{"a":[1,2],"b":{"c":[[],[3]]}},[4]],"RESULTS":[5,6,7],"x":"[1,2]"}`
	// Level 2: results (2 elements) and RESULTS (3); level 3: [4] (1);
	// level 4: a (2); level 5: c (2); level 6: [3] (1).
	for level, want := range map[int]int{0: 0, 1: 11, 2: 11, 3: 6, 4: 5, 5: 3, 6: 1, 7: 0} {
		got, ok := scanShapeLevelBoth(t, []byte(doc), level)
		wantObjects := 0
		if level > 0 && level <= 2 {
			wantObjects = 1 // the first result is the one object in an array
		}
		if !ok || got.deep != want || got.elements != 11 || got.objects != 3 || got.results != 2 ||
			got.elementObjects != 1 || got.deepObjects != wantObjects {
			t.Errorf("level %d: %+v, %v; want deep %d of 11 elements", level, got, ok, want)
		}
	}
	checkDeepCounts(t, []byte(doc))
	// Deeper than the scan remembers, commas count as elements that are
	// not deep: an over-charge, never an under-charge.
	deepDoc := strings.Repeat("[", scanStackDepth+2) + "1,2" + strings.Repeat("]", scanStackDepth+2)
	if got, _ := scanShapeLevelBoth(t, []byte(deepDoc), 2); got.deep > got.elements {
		t.Errorf("beyond the stack: %+v", got)
	}
}

// checkDeepCounts compares scanShapeLevel's deep count with the token walk's
// at every level a document of this size can use.
func checkDeepCounts(t testing.TB, doc []byte) {
	t.Helper()
	for level := 1; level <= 6; level++ {
		got, _ := scanShapeLevelBoth(t, doc, level)
		want, err := shapeByTokensLevel(doc, level)
		if err != nil {
			t.Fatalf("token walk: %v", err)
		}
		if got.deep != want.deep || got.deepObjects != want.deepObjects || got.elementObjects != want.elementObjects {
			t.Fatalf("scanShapeLevelBoth(t, %q, %d) = %+v, token walk %+v", doc, level, got, want)
		}
	}
}

// TestScanShapeMalformed feeds documents that encoding/json rejects. The scan
// must terminate without panicking (a panic fails the test) and without
// recursing, and report an unterminated string as not ok.
func TestScanShapeMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		doc    string
		wantOK bool
	}{
		{"unterminated string", `["abc`, false},
		{"unterminated after escaped quote", `["abc\"]`, false},
		{"lone backslash at the end", `["abc\`, false},
		{"unterminated key", `{"results`, false},
		{"unterminated long string", `["` + strings.Repeat("x", 100), false},
		{"only a quote", `"`, false},
		{"closers only", `]]}}]]`, true},
		{"openers only", `[[{{[`, true},
		{"mismatched", `[}{]`, true},
		{"comma soup", `,,,[,,,],,{,,}`, true},
		{"results cut short", `{"results":[`, true},
		{"results key at the end", `{"results"`, true},
		{"garbage", "\x00\xff{[\"\x00\"", true},
		{"deep arrays", strings.Repeat("[", 10000), true},
		{"deep objects", strings.Repeat(`{"a":`, 10000), true},
		{"deep then closers", strings.Repeat("[", 10000) + strings.Repeat("}", 20000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := scanShapeBoth(t, []byte(tt.doc)); ok != tt.wantOK {
				t.Errorf("scanShapeBoth(t, %.40q) ok = %v, want %v", tt.doc, ok, tt.wantOK)
			}
		})
	}
}

// TestScanShapeDeep checks deep nesting without recursion: up to 10,000
// levels (encoding/json's own limit) the counts must be exact, and beyond
// scanStackDepth they may only err on the high side.
func TestScanShapeDeep(t *testing.T) {
	t.Parallel()
	const n = scanStackDepth
	tests := []struct {
		name string
		doc  string
	}{
		{"arrays", strings.Repeat("[", n) + strings.Repeat("]", n)},
		{"arrays with elements", strings.Repeat("[1,", n) + "2" + strings.Repeat("]", n)},
		{"objects", strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n)},
		{"objects with members", strings.Repeat(`{"a":1,"b":`, n-1) + "{}" + strings.Repeat("}", n-1)},
		{"mixed", strings.Repeat(`[{"a":1,"b":[2,`, n/3) + "3" + strings.Repeat("]}]", n/3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := []byte(tt.doc)
			want := shapeByDecoding(t, doc)
			if got, ok := scanShapeBoth(t, doc); !ok || got != want {
				t.Errorf("got %+v, %v; want %+v", got, ok, want)
			}
		})
	}

	// Twice too deep for encoding/json: deeper than scanStackDepth every
	// comma counts as an element, and back above it the counting is exact
	// again.
	doc := []byte(`{"x":` + strings.Repeat(`{"a":1,"b":`, 2*n) + "0" + strings.Repeat("}", 2*n) + `,"a":1,"b":2,"c":[1,2]}`)
	// The objects at depths n+1 to 2n+1 have one comma each; [1,2] has 2.
	want := jsonShape{elements: n + 1 + 2, objects: 2*n + 1, results: -1}
	if got, ok := scanShapeBoth(t, doc); !ok || got != want {
		t.Errorf("too deep: got %+v, %v; want %+v", got, ok, want)
	}
}

// TestScanShapeWindowBoundaries shifts documents with escapes and long
// strings across every position of the 64-byte windows scanShape works in,
// so that a backslash ends a window and the quote it escapes starts the next,
// strings span several windows, and so on.
func TestScanShapeWindowBoundaries(t *testing.T) {
	t.Parallel()
	docs := []string{
		`["a\"b",1,{"c":[2]}]`,
		`["\\",1]`,
		`["\\\"",[1,2]]`,
		`["` + strings.Repeat(`\\`, 40) + `",[1]]`,
		`["` + strings.Repeat(`\"`, 40) + `",[1]]`,
		`["` + strings.Repeat(`\\\"`, 30) + `",[1],{}]`,
		`[{"k":"v"},"` + strings.Repeat("x", 63) + `",[],"` + strings.Repeat("y", 64) + `",[1,2]]`,
		`{"results":["` + strings.Repeat(`,[{`, 30) + `",[1],{"a":[]}],"b":"\\"}`,
		`{"results":[[ ],{ },"x",[ {} ],[{ "a" : [ ] }]],"c":{ }}`,
	}
	for _, doc := range docs {
		want := shapeByDecoding(t, []byte(doc))
		for pad := range 130 {
			// Padding inside the root keeps "results" a root key.
			padded := doc[:1] + strings.Repeat(" ", pad) + doc[1:]
			if got, ok := scanShapeBoth(t, []byte(padded)); !ok || got != want {
				t.Fatalf("scanShapeBoth(t, %s) = %+v, %v; want %+v", padded, got, ok, want)
			}
		}
	}
	// Whether the document ends inside a string must survive the windows too.
	for pad := range 130 {
		x := strings.Repeat("x", pad)
		for _, tt := range []struct {
			doc    string
			wantOK bool
		}{
			{`["` + x + `\"`, false},      // the last quote is escaped
			{`["` + x + `\`, false},       // a lone backslash at the end
			{`["` + x + `\\"`, true},      // an escaped backslash, then the closing quote
			{`["` + x + `\\\"`, false},    // an escaped backslash, then an escaped quote
			{`["` + x + `",1,"\"`, false}, // closed, then an unterminated string
		} {
			if _, ok := scanShapeBoth(t, []byte(tt.doc)); ok != tt.wantOK {
				t.Errorf("scanShapeBoth(t, %s) ok = %v, want %v", tt.doc, ok, tt.wantOK)
			}
		}
	}
}

// TestScanShapeMatchesDecode generates random JSON from a small grammar that
// favours the hard cases (tricky strings, empty containers, whitespace) and
// checks the counts against decoding into any and walking the result.
func TestScanShapeMatchesDecode(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		var buf bytes.Buffer
		genScanJSON(r, &buf, 0, true)
		doc := buf.Bytes()
		if !json.Valid(doc) {
			t.Fatalf("generator made invalid JSON: %s", doc)
		}
		want := shapeByDecoding(t, doc)
		got, ok := scanShapeBoth(t, doc)
		if !ok || got != want {
			t.Fatalf("case %d: scanShapeBoth(t, %s) = %+v, %v; want %+v", i, doc, got, ok, want)
		}
		checkDeepCounts(t, doc)
	}
}

// TestScanShapeUpperBound checks the promise on malformed input: a streaming
// decoder that stops at the first error has seen no more elements or objects
// than the scan counted. The documents are valid ones cut short and followed
// by garbage; the streaming decoder is a walk of json.Decoder tokens.
func TestScanShapeUpperBound(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	garbage := []string{"", "]", "}", ",", ":", "[", "{", `"`, `\`, "x", ",,", "]]]", ":[1,2]", "{}", " ", "\x00"}
	for i := range 3000 {
		var buf bytes.Buffer
		genScanJSON(r, &buf, 0, true)
		valid := buf.Bytes()
		doc := append(valid[:r.IntN(len(valid)+1):len(valid)], garbage[r.IntN(len(garbage))]...)
		doc = append(doc, garbage[r.IntN(len(garbage))]...)
		got, ok := scanShapeBoth(t, doc)
		if !ok {
			continue // an unterminated string: encoding/json reports it
		}
		seen, _ := shapeByTokens(doc)
		if got.elements < seen.elements || got.objects < seen.objects {
			t.Fatalf("case %d: scanShapeBoth(t, %s) = %+v, but a decoder saw %+v", i, doc, got, seen)
		}
	}
}

// genScanJSON writes a random JSON value. Keys are unique within an object,
// so that decoding into a map loses nothing the scan counts; the root object
// sometimes gets a "results" member.
func genScanJSON(r *rand.Rand, w *bytes.Buffer, depth int, root bool) {
	space := func() {
		if r.IntN(4) == 0 {
			w.WriteString([]string{" ", "\n", "\t", "\r\n  "}[r.IntN(4)])
		}
	}
	space()
	kind := r.IntN(8)
	if depth > 5 {
		kind %= 4 // scalars only, to bound the size
	}
	switch kind {
	case 0:
		w.WriteString([]string{"0", "-1.5e3", "true", "false", "null", "12345678901234567890"}[r.IntN(6)])
	case 1, 2, 3:
		genScanString(r, w)
	case 4, 5:
		w.WriteByte('[')
		n := r.IntN(5)
		for i := range n {
			if i > 0 {
				space()
				w.WriteByte(',')
			}
			genScanJSON(r, w, depth+1, false)
		}
		space()
		w.WriteByte(']')
	default:
		w.WriteByte('{')
		n := r.IntN(5)
		withResults := root && r.IntN(2) == 0
		for i := range n + scanBtoi(withResults) {
			if i > 0 {
				w.WriteByte(',')
			}
			space()
			if withResults && i == n {
				w.WriteString(`"results"`)
			} else {
				// A unique key, possibly with escapes and structural characters.
				fmt.Fprintf(w, `"k%d`, i)
				if r.IntN(3) == 0 {
					w.WriteString(`\"[{,:\\`)
				}
				w.WriteByte('"')
			}
			space()
			w.WriteByte(':')
			if withResults && i == n {
				space()
				w.WriteByte('[')
				for j := range r.IntN(4) {
					if j > 0 {
						w.WriteByte(',')
					}
					genScanJSON(r, w, depth+2, false)
				}
				w.WriteByte(']')
				continue
			}
			genScanJSON(r, w, depth+1, false)
		}
		space()
		w.WriteByte('}')
	}
	space()
}

// genScanString writes a short JSON string built from pieces that confuse
// naive scanners, so that quotes and backslashes land at every position of
// the eight-byte words stringEnd reads.
func genScanString(r *rand.Rand, w *bytes.Buffer) {
	pieces := []string{"a", "xyz", "[", "]", "{", "}", ",", ":", `\"`, `\\`, `\/`, `\n`, `\u005b`, `\u0022`, "é", "日本", "\u2028", strings.Repeat("p", 9)}
	w.WriteByte('"')
	for range r.IntN(12) {
		w.WriteString(pieces[r.IntN(len(pieces))])
	}
	w.WriteByte('"')
}

func scanBtoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// shapeByDecoding is the reference: it decodes doc into any and counts what
// encoding/json built. Duplicate keys are lost in the map, so it is exact
// only for documents without them.
func shapeByDecoding(t testing.TB, doc []byte) jsonShape {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber() // 1e400 is valid JSON but no float64
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	var s jsonShape
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case []any:
			s.elements += len(v)
			for _, e := range v {
				if _, ok := e.(map[string]any); ok {
					s.elementObjects++
				}
				walk(e)
			}
		case map[string]any:
			s.objects++
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	s.results = -1
	if m, ok := v.(map[string]any); ok {
		if a, ok := m["results"].([]any); ok {
			s.results = len(a)
		}
	}
	return s
}

// shapeByTokens is the fuzz reference: it walks the token stream, so that
// duplicate keys count like the scan counts them, and it recognises
// "results" by its raw bytes like the scan does.
func shapeByTokens(doc []byte) (jsonShape, error) { return shapeByTokensLevel(doc, 0) }

// shapeByTokensLevel is shapeByTokens counting deep as scanShapeLevel does:
// the elements of arrays at nesting level deepLevel or deeper.
func shapeByTokensLevel(doc []byte, deepLevel int) (jsonShape, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	type frame struct {
		array, results, wantKey bool
	}
	var stack []frame
	s := jsonShape{results: -1}
	resultsKey := false // the last token was the root object's raw "results" key
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return s, err
		}
		if d, ok := tok.(json.Delim); ok && (d == ']' || d == '}') {
			stack = stack[:len(stack)-1]
			resultsKey = false
			continue
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if top != nil && !top.array && top.wantKey {
			top.wantKey = false
			end := dec.InputOffset()
			resultsKey = len(stack) == 1 && tok == "results" && end >= 9 && string(doc[end-9:end]) == `"results"`
			continue
		}
		// A value.
		isResults := resultsKey && tok == json.Delim('[')
		resultsKey = false
		if top != nil {
			if top.array {
				s.elements++
				if deepLevel > 0 && len(stack) >= deepLevel {
					s.deep++
				}
				if top.results {
					s.results++
				}
			} else {
				top.wantKey = true
			}
		}
		if tok == json.Delim('{') && top != nil && top.array {
			s.elementObjects++
			if deepLevel > 0 && len(stack) >= deepLevel {
				s.deepObjects++
			}
		}
		switch tok {
		case json.Delim('['):
			if isResults && s.results < 0 {
				s.results = 0
			}
			stack = append(stack, frame{array: true, results: isResults})
		case json.Delim('{'):
			s.objects++
			stack = append(stack, frame{wantKey: true})
		}
	}
}

// FuzzScanShape checks that the scan never panics and, on valid JSON, counts
// exactly what a token walk sees (and at least what decoding into any keeps,
// which drops duplicate keys); on malformed JSON, at least what the token walk
// saw before its error. jsonPath runs on the same input and must not panic.
func FuzzScanShape(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `[1,[2,{}],"a\"[,"]`, `{"results":[{},{"a":[1,2]}]}`, `["\\",["\\\""]]`,
		`{"results":[1],"results":[2,3]}`, `{"a":[1],"a":[2]}`, ` [ { } , [ ] ] `, `["abc`, `[}{]`,
		`{"pagination":{"next":2},"results":[{"pk":"0b1c","flow_set":[{"slug":"x"}]}],"autocomplete":{}}`,
		strings.Repeat("[", 300) + strings.Repeat("]", 300),
		strings.Repeat(`{"a":1,"b":`, 300) + "0" + strings.Repeat("}", 300),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		got, ok := scanShapeBoth(t, doc)
		// jsonPath walks the same input; it must not panic either, and
		// its output stays bounded: a quoted key byte takes at most four
		// characters (\x01).
		for _, off := range []int64{-1, 0, int64(len(doc) / 2), int64(len(doc)), int64(len(doc)) + 1} {
			if p := jsonPath(doc, off); len(p) > pathMaxSegments*(4*pathMaxKey+16)+8 {
				t.Fatalf("jsonPath(%q, %d) is %d bytes long", doc, off, len(p))
			}
		}
		if !json.Valid(doc) {
			// Malformed: still at least what a streaming decoder saw
			// before the error (see TestScanShapeUpperBound).
			if seen, _ := shapeByTokens(doc); ok && (got.elements < seen.elements || got.objects < seen.objects) {
				t.Fatalf("scanShapeBoth(t, %q) = %+v, but a decoder saw %+v", doc, got, seen)
			}
			return
		}
		if !ok {
			t.Fatalf("valid JSON not ok: %q", doc)
		}
		want, err := shapeByTokens(doc)
		if err != nil {
			t.Fatalf("token walk of valid JSON: %v", err)
		}
		if got != want {
			t.Fatalf("scanShapeBoth(t, %q) = %+v, token walk %+v", doc, got, want)
		}
		checkDeepCounts(t, doc)
		// Decoding into any fails beyond encoding/json's nesting limit,
		// which json.Valid shares, so it always succeeds here.
		if d := shapeByDecoding(t, doc); got.elements < d.elements || got.objects < d.objects {
			t.Fatalf("scanShapeBoth(t, %q) = %+v, below decoded %+v", doc, got, d)
		}
	})
}

// TestJSONPath places the offset with a "|" marker in each document (none of
// the documents contains "|" otherwise).
func TestJSONPath(t *testing.T) {
	t.Parallel()
	longKey := strings.Repeat("k", 100)
	deepArrays := strings.Repeat("[", 20) + "1|" + strings.Repeat("]", 20)
	deepObjects := strings.Repeat(`{"a":`, 20) + "1|" + strings.Repeat("}", 20)
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"root start", `|{"a":1}`, ``},
		{"after a scalar", `{"results":[{"a":1},{"port":"x"|}]}`, `results[1].port`},
		{"number", `{"pagination":{"next":2|,"previous":0}}`, `pagination.next`},
		{"root array", `[0,1,2|]`, `[2]`},
		{"quoted key", `{"fixed_data":{"a b":1|}}`, `fixed_data["a b"]`},
		{"escaped key", `{"fixed_data":{"a\"b\u00e9\\\u0041\ud83d\ude00":1|}}`, `fixed_data["a\"bé\\A😀"]`},
		{"lone surrogate in key", `{"\ud83d":1|}`, "[\"\uFFFD\"]"},
		{"plain key characters", `{"ok_key-1":{"x":true|}}`, `ok_key-1.x`},
		{"empty key", `{"":1|}`, `[""]`},
		{"long key", `{"` + longKey + `":1|}`, `["` + longKey[:64] + `…"]`},
		{"key cut on a rune boundary", `{"` + longKey[:63] + `é":1|}`, `["` + longKey[:63] + `…"]`},
		{"key of exactly 64 bytes", `{"` + longKey[:64] + `":1|}`, longKey[:64]},
		{"deep arrays", deepArrays, strings.Repeat("[0]", 16) + ".…"},
		{"deep objects", deepObjects, strings.Repeat("a.", 15) + "a.…"},
		{"sixteen levels fit", strings.Repeat(`{"a":`, 16) + "1|" + strings.Repeat("}", 16), strings.Repeat("a.", 15) + "a"},
		{"inside a key", `{"ab|cd":1}`, `abcd`},
		{"inside a value", `{"a":"x|y"}`, `a`},
		{"array just opened", `{"a":[|1]}`, `a`},
		{"object just opened", `{"a":{|"b":1}}`, `a`},
		{"after an array comma", `[1,|2]`, `[1]`},
		{"after an object comma", `{"a":1,|"b":2}`, ``},
		{"after a colon", `{"a":|1}`, `a`},
		{"whitespace", "{ \"a\" :\n [ 1 ,\t2|\n] }", `a[1]`},
		{"tricky strings before", `["[{,\"\\",{"k":1|}]`, `[1].k`},
		{"after a closed container", `{"a":[1,2],|"b":1}`, ``},
		{"after a nested object", `{"a":[{"b":1},{"c":2} |]}`, `a[1]`},
		{"mismatched closer ignored", `{"a":{"b":1],"c":2|}}`, `a.c`},
		{"offending closer left out", `{"a":[1,|]}`, `a[1]`},
		{"offending brace left out", `{"a":}|`, `a`},
		{"root scalar", `"abc"|`, ``},
		{"unterminated key", `{"results":[{"ab|`, `results[0].ab`},
		{"bare word key", `{abc|:1}`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off := strings.Index(tt.doc, "|")
			if off < 0 {
				t.Fatal("no | marker")
			}
			doc := tt.doc[:off] + tt.doc[off+1:]
			if got := jsonPath([]byte(doc), int64(off)); got != tt.want {
				t.Errorf("jsonPath(%s, %d) = %q, want %q", doc, off, got, tt.want)
			}
		})
	}
}

// TestJSONPathClamps checks offsets outside the document.
func TestJSONPathClamps(t *testing.T) {
	t.Parallel()
	doc := []byte(`{"a":[1,2`)
	for _, tt := range []struct {
		off  int64
		want string
	}{{-5, ""}, {0, ""}, {int64(len(doc)), "a[1]"}, {1000, "a[1]"}, {1 << 62, "a[1]"}} {
		if got := jsonPath(doc, tt.off); got != tt.want {
			t.Errorf("jsonPath(%s, %d) = %q, want %q", doc, tt.off, got, tt.want)
		}
	}
	if got := jsonPath(nil, 3); got != "" {
		t.Errorf("jsonPath(nil, 3) = %q", got)
	}
}

// Types for TestJSONPathEncodingJSONErrors, shaped like the SDK's pages.
type (
	jpFlow struct {
		Port int      `json:"port"`
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	}
	jpItem struct {
		PK        string         `json:"pk"`
		Port      int            `json:"port"`
		FlowSet   []jpFlow       `json:"flow_set"`
		FixedData map[string]int `json:"fixed_data"`
		ByNumber  map[int]string `json:"by_number"`
		Nested    struct {
			Inner struct {
				Deep []int `json:"deep"`
			} `json:"inner"`
		} `json:"nested"`
	}
	jpPage struct {
		Pagination struct {
			Next int `json:"next"`
		} `json:"pagination"`
		Results []jpItem `json:"results"`
	}
)

// TestJSONPathEncodingJSONErrors decodes bodies with one wrong value each and
// checks that the offset encoding/json reports leads back to that value. For
// a wrong scalar the offset is just after it; for a wrong object or array,
// just after its opening bracket; both must name the value itself. For a map
// key that is no number, it is just after the key's opening quote.
func TestJSONPathEncodingJSONErrors(t *testing.T) {
	t.Parallel()
	// encoding/json v2 (GOEXPERIMENT=jsonv2) reports the offset before the
	// value instead. There jsonPath names the value or, where that is
	// ambiguous, one of its containers: only that much is checked.
	v1 := encodingJSONv1()
	tests := []struct {
		name string
		doc  string
		into any
		want string
	}{
		{"second result", `{"results":[{"a":1},{"port":"x"}]}`, &jpPage{}, `results[1].port`},
		{"spaced", "{ \"results\" : [ {\"a\":1} , { \"port\" : \"x\" } ] }", &jpPage{}, `results[1].port`},
		{"pagination", `{"pagination":{"next":"2"},"results":[]}`, &jpPage{}, `pagination.next`},
		{"object for int", `{"pagination":{"next":{"a":[1]}}}`, &jpPage{}, `pagination.next`},
		{"array for int", `{"pagination":{"next":[1,2]}}`, &jpPage{}, `pagination.next`},
		{"object for slice", `{"results":{}}`, &jpPage{}, `results`},
		{"string for slice", `{"results":"x"}`, &jpPage{}, `results`},
		{"number for struct", `{"results":[{},1]}`, &jpPage{}, `results[1]`},
		{"first element", `{"results":[1]}`, &jpPage{}, `results[0]`},
		{"array for struct", `{"results":[[]]}`, &jpPage{}, `results[0]`},
		{"deep", `{"results":[{"flow_set":[{"port":1},{"name":"a","port":true}]}]}`, &jpPage{}, `results[0].flow_set[1].port`},
		{"string slice", `{"results":[{"flow_set":[{"tags":["a",1]}]}]}`, &jpPage{}, `results[0].flow_set[0].tags[1]`},
		{"first in string slice", `{"results":[{"flow_set":[{"tags":[false]}]}]}`, &jpPage{}, `results[0].flow_set[0].tags[0]`},
		{"map key with space", `{"results":[{"fixed_data":{"a b":"x"}}]}`, &jpPage{}, `results[0].fixed_data["a b"]`},
		{"escaped map key", `{"results":[{"fixed_data":{"a\u0020b":"x"}}]}`, &jpPage{}, `results[0].fixed_data["a b"]`},
		{"plain map key", `{"results":[{"fixed_data":{"ok-key_1":true}}]}`, &jpPage{}, `results[0].fixed_data.ok-key_1`},
		{"bad int map key", `{"results":[{"by_number":{"1":"a","x":"b"}}]}`, &jpPage{}, `results[0].by_number.x`},
		{"nested structs", `{"results":[{"nested":{"inner":{"deep":[1,2,"x"]}}}]}`, &jpPage{}, `results[0].nested.inner.deep[2]`},
		{"after tricky strings", `{"results":[{"pk":"a\"],{\\","port":"x"}]}`, &jpPage{}, `results[0].port`},
		{"null is fine, number is not", `{"results":[{"pk":null},{"pk":5}]}`, &jpPage{}, `results[1].pk`},
		{"root array", `[{"port":1},{"port":"x"}]`, &[]jpItem{}, `[1].port`},
		{"root of wrong type", `"x"`, &jpPage{}, ``},
		{"overflow", `{"results":[{"port":1e99}]}`, &jpPage{}, `results[0].port`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tt.doc), tt.into)
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				t.Fatalf("want an UnmarshalTypeError, got %v", err)
			}
			got := jsonPath([]byte(tt.doc), te.Offset)
			if got != tt.want && (v1 || !strings.HasPrefix(tt.want, got)) {
				t.Errorf("offset %d (%q|): jsonPath = %q, want %q (encoding/json field %q)",
					te.Offset, tt.doc[:te.Offset], got, tt.want, te.Field)
			}
		})
	}
}

// encodingJSONv1 reports whether encoding/json places error offsets the way
// its v1 implementation does: after the offending value or byte.
func encodingJSONv1() bool {
	var v struct{ N int }
	var te *json.UnmarshalTypeError
	return errors.As(json.Unmarshal([]byte(`{"N":"x"}`), &v), &te) && te.Offset == 8
}

// TestJSONPathSyntaxErrors checks the best-effort paths for syntax errors:
// the member or element being parsed where encoding/json gave up.
func TestJSONPathSyntaxErrors(t *testing.T) {
	t.Parallel()
	if !encodingJSONv1() {
		t.Skip("encoding/json v2 places syntax error offsets before the offending byte")
	}
	tests := []struct {
		doc  string
		want string
	}{
		{`{"results":[{"a":1},{"port":"x"]}`, `results[1].port`},
		{`{"results":[{"a":1},{"port":1 "x"}]}`, `results[1].port`},
		{`{"results":[{"a":1},{"port":-}]}`, `results[1].port`},
		{`{"results":[{"a":1},{"port":}]}`, `results[1].port`},
		{`{"results":[{"a":1},{"port":tru}]}`, `results[1].port`},
		{`{"results":[{"a":1},{"port" 1}]}`, `results[1].port`},
		{`{"results":[1,2,]}`, `results[2]`},
		{`{"results":[1 2]}`, `results[0]`},
		{`{"results":[{"a":1},{"po` + "\x01" + `rt":1}]}`, `results[1]["po\x01rt"]`},
		{`{"results":[{"a":"\x"}]}`, `results[0].a`},
		{`{"results":[{"a":1},{"port":1}`, `results[1].port`},
		{`{"results":[{"a":1}],}`, ``},
		{`{"a":1}x`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			var v jpPage
			err := json.Unmarshal([]byte(tt.doc), &v)
			var se *json.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("want a SyntaxError, got %v", err)
			}
			if got := jsonPath([]byte(tt.doc), se.Offset); got != tt.want {
				t.Errorf("offset %d (%q|): jsonPath = %q, want %q (%v)", se.Offset, tt.doc[:se.Offset], got, tt.want, err)
			}
		})
	}
}

// TestJSONPathBounded checks that the path through a large, deep document
// with huge escaped keys stays small: 16 segments of at most 64 key bytes.
func TestJSONPathBounded(t *testing.T) {
	t.Parallel()
	key := strings.Repeat(`\u00e9`, 1<<16)
	doc := []byte(strings.Repeat(`{"`+key+`":`, 40) + "1")
	got := jsonPath(doc, int64(len(doc)))
	if len(got) > 16*(pathMaxKey+8)+8 {
		t.Errorf("path of %d bytes", len(got))
	}
	if !strings.HasSuffix(got, ".…") || strings.Count(got, `["`) != 16 {
		t.Errorf("jsonPath = %.200q…", got)
	}
}

// scanBenchPage builds a page like authentik's email stage list: 100 items,
// about 109 KB and 5700 short strings.
func scanBenchPage() []byte {
	uuid := func(n int) string {
		return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(n)*2654435761, n%65536, n%4096, (n*7)%4096, n*40503)
	}
	var b bytes.Buffer
	b.WriteString(`{"pagination":{"next":2,"previous":0,"count":20000,"current":1,"total_pages":200,"start_index":1,"end_index":100},"results":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		t := 100 + i
		fmt.Fprintf(&b, `{"pk":"%s","name":"tenant-%d-verification-email-%06d","component":"ak-stage-email-form","verbose_name":"Email Stage","verbose_name_plural":"Email Stages","meta_model_name":"authentik_stages_email.emailstage","flow_set":[{"pk":"%s","policybindingmodel_ptr_id":"%s","name":"Tenant %d recovery flow","slug":"tenant-%d-recovery-flow","title":"Confirm your email address","designation":"recovery","background_url":"/static/dist/assets/images/flow_background.jpg","policy_engine_mode":"all","compatibility_mode":true,"export_url":"/api/v3/flows/instances/tenant-%d-recovery-flow/export/","layout":"content_left","denied_action":"message_continue"}],"use_global_settings":true,"host":"localhost","port":25,"username":"","use_tls":false,"use_ssl":false,"timeout":10,"from_address":"system@authentik.local","token_expiry":"hours=1","subject":"authentik","template":"email/password_reset.html","activate_user_on_success":true,"recovery_max_attempts":5,"recovery_cache_timeout":"minutes=5"}`,
			uuid(3*i), t, i, uuid(3*i+1), uuid(3*i+2), t, t, t)
	}
	b.WriteString(`],"autocomplete":{}}`)
	return b.Bytes()
}

// TestScanBenchPage checks that the benchmark measures what it claims to.
func TestScanBenchPage(t *testing.T) {
	t.Parallel()
	page := scanBenchPage()
	var p wirePage[EmailStage]
	if err := json.Unmarshal(page, &p); err != nil || len(p.Results) != 100 {
		t.Fatalf("page does not decode: %v", err)
	}
	got, ok := scanShapeBoth(t, page)
	if want := shapeByDecoding(t, page); !ok || got != want || got.results != 100 {
		t.Errorf("scanShape = %+v, %v; want %+v", got, ok, want)
	}
	t.Logf("page: %d bytes, %d strings", len(page), bytes.Count(page, []byte(`"`))/2)
}

// BenchmarkScanShape measures the pre-scan on a realistic page; compare with
// BenchmarkScanShapeUnmarshal, the decoding it guards.
// BenchmarkScanShapeUnmarshal, the decoding it guards.
func BenchmarkScanShape(b *testing.B) {
	page := scanBenchPage()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if s, ok := scanShape(page); !ok || s.results != 100 {
			b.Fatal(s, ok)
		}
	}
}

// BenchmarkScanShapeUnmarshal decodes the page of BenchmarkScanShape into the
// SDK's own page type, for the ratio between the pre-scan and the decoding.
func BenchmarkScanShapeUnmarshal(b *testing.B) {
	page := scanBenchPage()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var p wirePage[EmailStage]
		if err := json.Unmarshal(page, &p); err != nil {
			b.Fatal(err)
		}
	}
}

// TestJSONKeyIn: a key is found where a decoder would see it as a key (with
// a number as its value where asked), and not for the same bytes as a value,
// inside another string, or escaped.
func TestJSONKeyIn(t *testing.T) {
	t.Parallel()
	watch := []jsonKey{newJSONKey("token_expiry", true), newJSONKey("background", false), newJSONKey("background_url", false)}
	for _, tt := range []struct {
		doc  string
		want uint64
	}{
		{`{"token_expiry": 30}`, 1},
		{`{"token_expiry" : -5}`, 1},
		{`{"token_expiry":"minutes=30"}`, 0},
		{`{"token_expiry":`, 0},
		{`[{"a":1},{"x":{"token_expiry":7}}]`, 1},
		{`{"a":1,` + "\n\t " + `"token_expiry":7}`, 1},
		{`{"background":"/a.png"}`, 2},
		{`{"name":"background","slug":"x"}`, 0},
		{`{"name":"background":"x"}`, 0},
		{`{"background_url":"/a.png","background":"f.png"}`, 6},
		{`{"k":"\"background\":1"}`, 0},
		{`{"k":"{\"background\":1}"}`, 0},
		{`{"a\"background":1}`, 0},
		{`{"back\u0067round":1}`, 0},
		{`{"xbackground":1,"background_urls":2}`, 0},
		{`{"background"   :   {"token_expiry":1e3}}`, 3},
		{`"background":`, 0},
		{`background":1`, 0},
		{``, 0},
		// Anchor bytes ('x', 'k') so dense that bytes.Index takes over.
		{`{"v":"` + strings.Repeat("xk", 500) + `","token_expiry":5,"background":1}`, 3},
		{`{"v":"` + strings.Repeat("xpiry\"kground\"", 50) + `","token_expiry":"x"}`, 0},
		{`{"v":"` + strings.Repeat("x", 50) + `","token_expiry":-1}`, 1},
	} {
		var got uint64
		for i, k := range watch {
			if k.in([]byte(tt.doc)) {
				got |= 1 << i
			}
		}
		if got != tt.want {
			t.Errorf("%s: keys %b, want %b", tt.doc, got, tt.want)
		}
	}
	// The search starts at a key's rarest byte.
	for key, want := range map[string]byte{"token_expiry": 'x', "background": 'k', "background_url": 'k', "a": 'a', "__": '_'} {
		if k := newJSONKey(key, false); k.key[k.anchor] != want || string(k.needle) != key[k.anchor:]+`"` {
			t.Errorf("newJSONKey(%q): anchor %q, needle %q", key, k.key[k.anchor], k.needle)
		}
	}
}

// TestJSONKeyInNearMisses: a body made of near misses (every match of the
// needle looked at and refused, whitespace around each) has no key, and the
// search allocates nothing.
func TestJSONKeyInNearMisses(t *testing.T) {
	k := newJSONKey("token_expiry", true)
	miss := `,"token_expiry"` + strings.Repeat(" ", 50) + `:"x"`
	body := []byte(`{"a":1` + strings.Repeat(miss, 1<<14) + `}`)
	if k.in(body) {
		t.Fatal("a string value counted as a number")
	}
	allocs := testing.AllocsPerRun(3, func() { k.in(body) })
	if allocs != 0 {
		t.Errorf("in allocates %v times", allocs)
	}
}

// scanShapeBoth is scanShape, checked against the same scan with the
// portable classifier (jsonclassify.go): the assembly and the Go agree.
func scanShapeBoth(t testing.TB, doc []byte) (jsonShape, bool) {
	return scanShapeLevelBoth(t, doc, 0)
}

// scanShapeLevelBoth is scanShapeLevel, checked the same way.
func scanShapeLevelBoth(t testing.TB, doc []byte, level int) (jsonShape, bool) {
	t.Helper()
	got, ok := scanShapeLevel(doc, level)
	if portable, pok := scanShapeWith(doc, level, true); portable != got || pok != ok {
		t.Fatalf("scanShapeLevel(%.80q, %d) = %+v, %v; with the portable classifier %+v, %v", doc, level, got, ok, portable, pok)
	}
	return got, ok
}

// TestScanClassify: the classifier (SSE2 on amd64) and the portable one
// mark the same bytes, and those a byte loop marks, on every length and
// alignment and on bytes biased to those it looks for.
func TestScanClassify(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("\"\\,:[]{}Y_y\x7f\x80\xff \x00ab\x22\x5c\x2c")
	buf := make([]byte, 64*40+16)
	for round := range 400 {
		for i := range buf {
			if round%2 == 0 {
				buf[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				buf[i] = byte(r.Uint32())
			}
		}
		off := r.IntN(16)
		n := r.IntN(40)
		b := buf[off : off+64*n]
		got := make([]scanBlock, n)
		portable := make([]scanBlock, n)
		scanClassify(b, got)
		scanClassifyPortable(b, portable)
		for i := range n {
			var want scanBlock
			for k, c := range b[64*i : 64*i+64] {
				bit := uint64(1) << k
				switch c {
				case '"':
					want.quotes |= bit
				case '\\':
					want.slashes |= bit
				case ',':
					want.commas |= bit
				case '[', ']', '{', '}', 'Y', '_', 'y', 0x7f:
					want.brackets |= bit
				}
			}
			if got[i] != want || portable[i] != want {
				t.Fatalf("block %d of %q: classify %+v, portable %+v, want %+v", i, b[64*i:64*i+64], got[i], portable[i], want)
			}
		}
	}
	// Zero blocks touch nothing.
	scanClassify(nil, nil)
	scanClassifyPortable(nil, nil)
}

// TestJSONKeyInMatchesDecoder: on random valid JSON made of the watched keys,
// near misses and strings that hold them, in agrees with a decoder's token
// walk about which keys the document has (with a number as value where asked).
func TestJSONKeyInMatchesDecoder(t *testing.T) {
	t.Parallel()
	keys := []jsonKey{newJSONKey("token_expiry", true), newJSONKey("background", false), newJSONKey("background_url", false)}
	names := []string{`token_expiry`, `background`, `background_url`, `xbackground`, `token_expir`, `back\"ground`, `a`, `\\`}
	strs := []string{`""`, `"background"`, `"\"background\":1"`, `"{\"token_expiry\":5}"`, `"x\\"`, `"\\\"token_expiry\\\":"`, `"kxkx"`}
	r := rand.New(rand.NewPCG(5, 6))
	var gen func(w *bytes.Buffer, depth int)
	gen = func(w *bytes.Buffer, depth int) {
		sp := func() {
			if r.IntN(3) == 0 {
				w.WriteString([]string{" ", "\n\t", "  "}[r.IntN(3)])
			}
		}
		switch k := r.IntN(6); {
		case depth > 3 || k == 0:
			w.WriteString([]string{"5", "-1", "null", "true"}[r.IntN(4)])
		case k == 1:
			w.WriteString(strs[r.IntN(len(strs))])
		case k == 2:
			w.WriteByte('[')
			for i := range r.IntN(4) {
				if i > 0 {
					w.WriteByte(',')
				}
				sp()
				gen(w, depth+1)
			}
			w.WriteByte(']')
		default:
			w.WriteByte('{')
			for i := range r.IntN(4) {
				if i > 0 {
					w.WriteByte(',')
				}
				sp()
				w.WriteString(`"` + names[r.IntN(len(names))] + `"`)
				sp()
				w.WriteByte(':')
				sp()
				gen(w, depth+1)
			}
			w.WriteByte('}')
		}
	}
	for i := range 5000 {
		var buf bytes.Buffer
		buf.WriteByte('{')
		gen(&buf, 1)
		buf.Truncate(1)
		w := &buf
		w.WriteString(`"r":`)
		gen(w, 0)
		w.WriteByte('}')
		doc := buf.Bytes()
		if !json.Valid(doc) {
			t.Fatalf("generator made invalid JSON: %s", doc)
		}
		want := keysByTokens(t, doc, keys)
		for k, key := range keys {
			if got := key.in(doc); got != (want&(1<<k) != 0) {
				t.Fatalf("case %d: %q.in(%s) = %v, the token walk says %v", i, key.key, doc, got, !got)
			}
		}
		// One search for keys that share their rarest byte, two for
		// others; both say whether the first is there and not the second.
		for _, pair := range [][2]int{{1, 2}, {2, 1}, {0, 1}, {1, 0}} {
			from, to := keys[pair[0]], keys[pair[1]]
			if got := renamedIn(doc, from, to); got != (want&(1<<pair[0]) != 0 && want&(1<<pair[1]) == 0) {
				t.Fatalf("case %d: renamedIn(%s, %q, %q) = %v", i, doc, from.key, to.key, got)
			}
		}
		if i%50 == 0 {
			// Dense anchors: the slow way gives the same.
			dense := append([]byte(`{"v":"`+strings.Repeat("k", 200)+`","w":`), doc...)
			dense = append(dense, '}')
			from, to := keys[1], keys[2]
			if got := renamedIn(dense, from, to); got != (from.in(dense) && !to.in(dense)) {
				t.Fatalf("case %d: renamedIn(%s) = %v", i, dense, got)
			}
		}
	}
}

// keysByTokens is which of keys a token walk of doc sees as object keys (and
// followed by a number where asked).
func keysByTokens(t *testing.T, doc []byte, keys []jsonKey) uint64 {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	type frame struct {
		object, wantKey bool
		key             string // an object's current key
	}
	var stack []frame
	var seen uint64
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return seen
		}
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		key := "" // the key whose value tok is, if any
		if n := len(stack); n > 0 && stack[n-1].object {
			f := &stack[n-1]
			if f.wantKey {
				f.wantKey, f.key = false, tok.(string)
				for k, w := range keys {
					if w.key == f.key && !w.number {
						seen |= 1 << k
					}
				}
				continue
			}
			f.wantKey, key = true, f.key
		}
		switch tok := tok.(type) {
		case json.Delim:
			stack = append(stack, frame{object: tok == '{', wantKey: tok == '{'})
		case json.Number:
			for k, w := range keys {
				if w.key == key && w.number {
					seen |= 1 << k
				}
			}
		}
	}
}
