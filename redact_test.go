package authentik

import (
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// redactTestSecret is an obviously fake token that holds the bytes encoders
// escape (<>&/+), so every escaping path is exercised.
const redactTestSecret = "fake-token-0123456789abcdef<>&/+canary"

// redactTestUTF8 is a fake token with non-ASCII runes, one outside the BMP, so
// that \u escapes need multi-byte output and UTF-16 surrogate pairs.
const redactTestUTF8 = "fake-tök€n-😀-canary"

// redactTestPhrase is a fake passphrase with spaces (form encoding writes them
// as '+'), a literal '+', and every byte HTML escapers rewrite (<>&"'). No run
// of 8 bytes of it is free of spaces, so an echo that rewrites every space
// matches no window unless the redactor reads that rewriting back.
const redactTestPhrase = `fake <pass> & "so" 'odd' + 42 ok`

// redactTestPhraseNoAmp is redactTestPhrase without the '&'.
const redactTestPhraseNoAmp = `fake <pass> = "so" 'odd' + 42 ok`

// redactEscapeAll writes every byte of s with format (`\u%04x`, "%%%02X", ...).
func redactEscapeAll(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// redactASCIIJSON escapes every non-ASCII rune as \uXXXX (surrogate pairs
// beyond the BMP), as ASCII-only JSON encoders such as Python's do.
func redactASCIIJSON(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04X`, hi, lo)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// Views of text (redactView's mode): which kinds of escape are undone.
const (
	rvJSON = 1 << iota // JSON string escapes
	rvPct              // %XX
	rvHTML             // HTML character references, read over the other two
	rvNest             // a reference's '&' may be another reference ("&amp;lt;")
	rvAll  = rvJSON | rvPct | rvHTML
)

// redactEntityRE is an HTML character reference as the redactor reads one:
// decimal, hex (x or X, any leading zeros) or a name, always with its ';'.
var redactEntityRE = regexp.MustCompile(`^&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);`)

// redactShortEscapes and redactNamedRefs: the JSON short escapes and the HTML
// names the redactor reads.
var (
	redactShortEscapes = map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}
	redactNamedRefs    = map[string]string{"lt": "<", "gt": ">", "amp": "&", "quot": `"`, "apos": "'"}
)

// redactView decodes s the way the redactor views it in mode (JSON string
// escapes, %XX, then HTML references over the result, and with rvNest again
// where a reference read '&'; anything malformed is literal), written
// independently of redact.go so the tests check the rules rather than the
// implementation against itself.
func redactView(s string, mode int) string {
	short := redactShortEscapes
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '%' && mode&rvPct != 0 && i+3 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		if s[i] == '\\' && mode&rvJSON != 0 && i+2 <= len(s) {
			if c, ok := short[s[i+1]]; ok {
				b.WriteByte(c)
				i += 2
				continue
			}
			if v, err := strconv.ParseUint(s[min(i+2, len(s)):min(i+6, len(s))], 16, 16); s[i+1] == 'u' && i+6 <= len(s) && err == nil {
				r, w, ok := rune(v), 6, !utf16.IsSurrogate(rune(v))
				if !ok && i+12 <= len(s) && s[i+6:i+8] == `\u` {
					if lo, err := strconv.ParseUint(s[i+8:i+12], 16, 16); err == nil {
						r, w = utf16.DecodeRune(r, rune(lo)), 12
						ok = r != utf8.RuneError
					}
				}
				if ok {
					b.WriteRune(r)
					i += w
					continue
				}
			}
		}
		b.WriteByte(s[i])
		i++
	}
	if mode&rvHTML == 0 {
		return b.String()
	}
	ref := func(m string) (string, bool) {
		ref := m[1 : len(m)-1]
		if ref[0] != '#' {
			v, ok := redactNamedRefs[strings.ToLower(ref)]
			return v, ok
		}
		digits, base := ref[1:], 10
		if digits[0]|0x20 == 'x' {
			digits, base = digits[1:], 16
		}
		if v, err := strconv.ParseUint(digits, base, 32); err == nil && v != 0 && utf8.ValidRune(rune(v)) {
			return string(rune(v)), true
		}
		return "", false
	}
	var h strings.Builder
	for in := b.String(); in != ""; {
		m, v, ok := "", "", false
		if in[0] == '&' {
			m = redactEntityRE.FindString(in)
		}
		if m != "" {
			v, ok = ref(m)
		}
		switch {
		case !ok:
			h.WriteByte(in[0])
			in = in[1:]
		case v == "&" && mode&rvNest != 0: // read the '&' again, as the start of a reference
			in = "&" + in[len(m):]
		default:
			h.WriteString(v)
			in = in[len(m):]
		}
	}
	return h.String()
}

// redactFoldText maps ' ' to '+': a '+' in an echo may be a form-encoded
// space, so the redactor treats the two as one byte, and so does the check.
func redactFoldText(s string) string { return strings.ReplaceAll(s, " ", "+") }

// redactLeak returns a window of secret (8 bytes, or the whole of a shorter
// secret) found in s or in one of its decoded views (each kind of escape alone,
// and all of them), spaces and pluses folded, or "" if there is none.
func redactLeak(secret, s string) string {
	w, secret := min(redactWindow, len(secret)), redactFoldText(secret)
	for _, mode := range []int{0, rvJSON, rvPct, rvHTML, rvAll, rvAll | rvNest} {
		v := redactFoldText(redactView(s, mode))
		for i := 0; i+w <= len(v); i++ {
			if strings.Contains(secret, v[i:i+w]) {
				return v[i : i+w]
			}
		}
	}
	return ""
}

// redactEncode writes each rune of s (each byte, where s is not valid UTF-8)
// literally, JSON-escaped, percent-escaped or as an HTML reference as next()
// picks, as a hostile echo might mix them. The pick's value mod 5 is the kind
// (raw, \u, %XX, named-or-decimal reference, hex reference); bit 4 asks for
// upper-case hex (and upper-case names), bit 8 for a short JSON escape, '+' for
// a space in %XX, or &#x27; for '; bit 16 writes a reference's '&' as \u0026
// (Go's JSON of HTML-escaped text), bit 32 as %26, and bit 64 escapes it again
// ("&amp;lt;", text HTML-escaped twice).
func redactEncode(s string, next func() byte) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			size = 1
		}
		unit, m := s[i:i+size], next()
		i += size
		hex := "%02x"
		if m&4 != 0 {
			hex = "%02X"
		}
		amp := "&"
		switch {
		case m&16 != 0:
			amp = `\u0026`
		case m&32 != 0:
			amp = "%26"
		}
		if m&64 != 0 {
			amp += "amp;"
		}
		valid := size > 1 || unit[0] < utf8.RuneSelf
		switch kind := m % 5; {
		case kind == 0:
			b.WriteString(unit)
		case kind == 1 && valid && m&8 != 0 && len(unit) == 1 && strings.IndexByte(`/"\`, unit[0]) >= 0:
			b.WriteString(`\` + unit)
		case kind == 1 && valid && r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u`+hex+hex+`\u`+hex+hex, hi>>8, hi&0xff, lo>>8, lo&0xff)
		case kind == 1 && valid:
			fmt.Fprintf(&b, `\u`+hex+hex, r>>8, r&0xff)
		case kind == 2 && unit == " " && m&8 != 0:
			b.WriteByte('+')
		case kind == 3 && valid:
			name := map[rune]string{'<': "lt", '>': "gt", '&': "amp", '"': "quot"}[r]
			switch {
			case r == '\'' && m&8 != 0:
				fmt.Fprintf(&b, "%s#x27;", amp)
			case name != "" && m&4 != 0:
				fmt.Fprintf(&b, "%s%s;", amp, strings.ToUpper(name))
			case name != "":
				fmt.Fprintf(&b, "%s%s;", amp, name)
			default:
				fmt.Fprintf(&b, "%s#%d;", amp, r)
			}
		case kind == 4 && valid && m&4 != 0:
			fmt.Fprintf(&b, "%s#X%06X;", amp, r)
		case kind == 4 && valid:
			fmt.Fprintf(&b, "%s#x%x;", amp, r)
		default: // %XX, and what has no other form (bytes of broken UTF-8)
			for j := 0; j < len(unit); j++ {
				fmt.Fprintf(&b, "%%"+hex, unit[j])
			}
		}
	}
	return b.String()
}

// redactEncodeCycle writes byte i of s with formats[i%len(formats)] (a
// fmt verb for one byte: "%c" is raw, and writes a space as '+').
func redactEncodeCycle(s string, formats ...string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if f := formats[i%len(formats)]; f == "%c" && s[i] == ' ' {
			b.WriteByte('+')
		} else {
			fmt.Fprintf(&b, f, s[i])
		}
	}
	return b.String()
}

func TestRedact(t *testing.T) {
	const s = redactTestSecret
	js, err := json.Marshal(map[string]string{"echo": "Bearer " + s})
	if err != nil || !strings.Contains(string(js), `\u003c\u003e\u0026`) {
		t.Fatalf("encoding/json no longer escapes <>&: %s %v", js, err)
	}
	const weird = "fake\"quo\\te\tx\ny/canary-42" // bytes JSON escapes with short forms, and a raw backslash
	wjs, _ := json.Marshal(weird)
	slash := strings.ReplaceAll(strings.TrimPrefix(strings.TrimSuffix(string(js), `"}`), `{"echo":"Bearer `), "/", `\/`)
	mixedCase := ""
	for i := 0; i < len(s); i++ {
		mixedCase += fmt.Sprintf([]string{`\u%04x`, `\u%04X`, "%%%02x", "%%%02X"}[i%4], s[i])
	}
	unrelated := `{"a":"\u003cb\u003e \/ \\ \" \n \t \uD83D\uDE00 \ufffd","u":"%2Fx%3c+y%20"}`
	const p = redactTestPhrase
	jsonHTML, _ := json.Marshal(html.EscapeString(p)) // Go escapes the references' '&' as \u0026
	if !strings.Contains(string(jsonHTML), `\u0026lt;`) {
		t.Fatalf("encoding/json no longer escapes &: %s", jsonHTML)
	}
	tests := []struct{ name, secret, in, want string }{
		{"exact echo", s, "Authorization: Bearer " + s, "Authorization: Bearer " + redacted},
		{"header value", s, "X-Echo: Bearer " + s + "\r\nServer: x", "X-Echo: Bearer [REDACTED]\r\nServer: x"},
		{"encoding/json", s, string(js), `{"echo":"Bearer [REDACTED]"}`},
		{"json slash escape", s, `{"e":"` + slash + `"}`, `{"e":"[REDACTED]"}`},
		{"all \\u lower", s, "t=" + redactEscapeAll(s, `\u%04x`) + ";", "t=[REDACTED];"},
		{"all \\u upper", s, "t=" + redactEscapeAll(s, `\u%04X`) + ";", "t=[REDACTED];"},
		{"QueryEscape", s, "q=" + url.QueryEscape(s) + "&x=1", "q=[REDACTED]&x=1"},
		{"PathEscape", s, "/v1/" + url.PathEscape(s) + "/x", "/v1/[REDACTED]/x"},
		{"all percent lower", s, "p=" + redactEscapeAll(s, "%%%02x"), "p=[REDACTED]"},
		{"mixed escapes", s, `Location: https://evil.example/cb?t=fake\u002dtoken-0123%3456789abcdef%3C%3e\u0026\/+canary&x=1`, "Location: https://evil.example/cb?t=[REDACTED]&x=1"},
		{"mixed per byte", s, "<" + mixedCase + ">", "<[REDACTED]>"},
		{"brief example", "fake-token/abc", `x fake\u002dtoken\/abc y`, "x [REDACTED] y"},
		{"truncated to 8", s, "body: Bearer " + s[:8], "body: Bearer [REDACTED]"},
		{"truncated to 9", s, "body: Bearer " + s[:9], "body: Bearer [REDACTED]"},
		{"truncated to 20", s, "body: Bearer " + s[:20], "body: Bearer [REDACTED]"},
		{"truncated mid escape", s, string(js[:strings.Index(string(js), `\u003e`)+4]), `{"echo":"Bearer [REDACTED]\u00`},
		{"7-byte prefix kept", s, "id=" + s[:7] + "|", "id=" + s[:7] + "|"},
		{"7-byte middle kept", s, "n=" + s[14:21] + "|", "n=" + s[14:21] + "|"},
		{"7 escaped bytes kept", s, redactEscapeAll(s[:7], "%%%02X"), redactEscapeAll(s[:7], "%%%02X")},
		{"middle run", s, "| " + s[12:24] + " |", "| [REDACTED] |"},
		{"two echoes", s, "a " + s + " b " + url.QueryEscape(s) + " c", "a [REDACTED] b [REDACTED] c"},
		{"adjacent echoes", s, s + s, redacted},
		{"adjacent runs", s, s[:12] + s[20:], redacted},
		{"adjacent escaped", s, s + url.QueryEscape(s) + redactEscapeAll(s, `\u%04x`), redacted},
		{"unrelated escapes kept", s, unrelated, unrelated},
		{"malformed escapes", s, `\u12 ` + s + ` %4 %zz \uZZZZ \ud800 \uDC00x \ud83d\u0041 \x \`, `\u12 [REDACTED] %4 %zz \uZZZZ \ud800 \uDC00x \ud83d\u0041 \x \`},
		{"trailing backslash", s, s + `\`, redacted + `\`},
		{"trailing percent", s, s + "%4", redacted + "%4"},
		{"escape swallows start", s, "%" + s, "%" + redacted},
		{"\\u swallows start", s, `\u12` + s, `\u12` + redacted},
		// '+' and ' ' are one byte to the redactor (a '+' may be a form-encoded
		// space): a space where the secret has '+' matches too.
		{"plus or space", s, strings.Replace(s, "+", "%2B", 1) + " " + strings.Replace(s, "+", " ", 1), redacted + " " + redacted},
		{"invalid utf-8", s, "\xff\xfe" + s + "\xc3", "\xff\xfe[REDACTED]\xc3"},
		{"case sensitive", s, strings.ToUpper(s[:11]) + " " + strings.ToUpper(s[21:]), strings.ToUpper(s[:11]) + " " + strings.ToUpper(s[21:])},
		{"short exact", "short", "a short b", "a [REDACTED] b"},
		{"short twice", "short", "shortshort shorts", "[REDACTED] [REDACTED]s"},
		{"short partial kept", "short", "shor hort Short", "shor hort Short"},
		{"short escaped", "short", `sh\u006frt %73hort`, "[REDACTED] [REDACTED]"},
		{"empty secret", "", s, s},
		{"json short escapes", weird, string(wjs), `"[REDACTED]"`},
		{"raw backslash in secret", weird, "got " + weird + " end", "got [REDACTED] end"},
		{"utf-8 raw", redactTestUTF8, "<" + redactTestUTF8 + ">", "<[REDACTED]>"},
		{"utf-8 surrogates", redactTestUTF8, `"` + redactASCIIJSON(redactTestUTF8) + `"`, `"[REDACTED]"`},
		{"utf-8 percent", redactTestUTF8, "?t=" + url.QueryEscape(redactTestUTF8), "?t=[REDACTED]"},
		{"empty input", s, "", ""},

		// Form encoding ('+' for a space) and HTML references, alone and mixed.
		{"form spaces", "correct horse battery staple", "pw=correct+horse+battery+staple&next=1", "pw=[REDACTED]&next=1"},
		{"form QueryEscape", p, "p=" + url.QueryEscape(p) + "&x=1", "p=[REDACTED]&x=1"},
		{"form url.Values", p, url.Values{"password": {p}, "name": {"x"}}.Encode(), "name=x&password=[REDACTED]"},
		{"form short secret", "a b c", "x=a+b+c&y", "x=[REDACTED]&y"},
		{"space for plus", "fake+token+with+plus", "got fake token with plus!", "got [REDACTED]!"},
		{"html.EscapeString", p, "<p>" + html.EscapeString(p) + "</p>", "<p>[REDACTED]</p>"},
		{"python html.escape", p, `fake &lt;pass&gt; &amp; &quot;so&quot; &#x27;odd&#x27; + 42 ok`, redacted},
		{"django &#39; &apos;", p, `fake &lt;pass&gt; &amp; &quot;so&quot; &#39;odd&apos; + 42 ok`, redacted},
		{"php &#039;", p, `fake &lt;pass&gt; &amp; &quot;so&quot; &#039;odd&#039; + 42 ok`, redacted},
		{"upper-case references", p, `fake &LT;pass&GT; &AMP; &QUOT;so&QUOT; &#X27;odd&#x27; + 42 ok`, redacted},
		{"all decimal references", p, "[" + redactEscapeAll(p, "&#%d;") + "]", "[[REDACTED]]"},
		{"all hex references", p, "[" + redactEscapeAll(p, "&#x%x;") + "]", "[[REDACTED]]"},
		{"all hex references padded", p, "[" + redactEscapeAll(p, "&#X%06X;") + "]", "[[REDACTED]]"},
		{"html keeps plus", "a+b<c>d+e&f+g", "x " + html.EscapeString("a+b<c>d+e&f+g") + " y", "x [REDACTED] y"},
		{"html short secret", "a<b>c", "<i>a&lt;b&gt;c</i>", "<i>[REDACTED]</i>"},
		{"html utf-8", redactTestUTF8, "fake-t&#246;k&#8364;n-&#x1F600;-canary", redacted},
		{"html of a reference", "x&amp;y<tag>z", html.EscapeString("x&amp;y<tag>z"), redacted},
		{"html escaped twice", p, "<p>" + html.EscapeString(html.EscapeString(p)) + "</p>", "<p>[REDACTED]</p>"},
		{"html escaped three times", p, html.EscapeString(html.EscapeString(html.EscapeString(p))), redacted},
		{"html twice, numeric inside", p, strings.ReplaceAll(redactEscapeAll(p, "&#%d;"), "&", "&amp;"), redacted},
		{"html twice, in json", p, `{"e":` + strings.ReplaceAll(string(jsonHTML), `\u0026`, `\u0026amp;`) + `}`, `{"e":"[REDACTED]"}`},
		{"json of html", p, string(jsonHTML), `"[REDACTED]"`},
		{"url of html", p, "?m=" + url.QueryEscape(html.EscapeString(p)), "?m=[REDACTED]"},
		{"mixed per byte, five ways", p, redactEncodeCycle(p, "%c", `\u%04x`, "%%%02X", "&#%d;", "&#x%x;", "&#X%04X;"), redacted},
		{"secret holds a reference and an escape, JSON echo", `a&amp;b%41c`, `{"e":"a\u0026amp;b%41c"}`, `{"e":"[REDACTED]"}`},
		{"secret holds escapes, HTML echo", `p%41<\u0041>q`, html.EscapeString(`p%41<\u0041>q`), redacted},
		{"form cut", p, "e=" + url.QueryEscape(p)[:20], "e=[REDACTED]"},
		{"form cut mid escape", p, url.QueryEscape(p)[:18], "[REDACTED]%2"},
		{"html cut to 8", p, html.EscapeString(p[:8]), redacted},
		{"html cut mid reference", p, html.EscapeString(p)[:strings.Index(html.EscapeString(p), "&#39;odd")+3], redacted + "&#3"},
		{"decimal cut mid reference", p, redactEscapeAll(p[:9], "&#%d;") + "&#11", redacted + "&#11"},
		{"json of html cut", p, string(jsonHTML[:strings.Index(string(jsonHTML), `\u0026gt;`)+4]), `"[REDACTED]\u00`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRedactor(tc.secret)
			if got := r.text(tc.in); got != tc.want {
				t.Errorf("text(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			in := []byte(tc.in)
			if got := r.bytes(in); string(got) != tc.want {
				t.Errorf("bytes(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			if string(in) != tc.in {
				t.Errorf("bytes modified its input: %q", in)
			}
		})
	}
}

// TestRedactKeepsNearMisses: form and HTML decoding redacts no more than
// it should: fewer than 8 decoded bytes of the secret, references the
// redactor does not read (unknown names, no ';', out of range) and text that
// only decodes to something else stay as they were.
func TestRedactKeepsNearMisses(t *testing.T) {
	const p = redactTestPhrase
	for _, in := range []string{
		html.EscapeString(p[5:12]),                              // "<pass> ": 7 bytes
		url.QueryEscape(p[:7]) + "|" + url.QueryEscape(p[8:15]), // 7 bytes, twice
		"fake&nbsp;&lt;pass&gt;",                                // &nbsp; is not a space
		"fake &ltpass&gt",                                       // no ';'
		"fake &#1114112;pass&#xD800;",                           // not a rune
		"fake &lt;p&#0;ss",                                      // NUL is not read
		"fake &amp;ltpass&amp;gt",                               // escaped twice, but no ';'
		"fake &amp;amp;&lt;pa",                                  // "fake &<pa" is not the secret
		"&&&&&&&& ;;;;;;;; &#&#x&#X&#;&#x; &lt &abcde; &amp",
	} {
		if got := newRedactor(p).text(in); got != in {
			t.Errorf("text(%q) = %q, want it kept", in, got)
		}
	}
}

func TestRedactReturnsInput(t *testing.T) {
	r := newRedactor(redactTestSecret)
	for _, in := range []string{"nothing here", `{"a":"\u003c%2F\"+"}`, redactTestSecret[:7], `\u12 %4 \`, "a+b &lt;&#60;&#x3C;&amp;x &#12 &zz; &"} {
		if got := r.text(in); unsafe.StringData(got) != unsafe.StringData(in) || got != in {
			t.Errorf("text(%q) = %q, not the same string", in, got)
		}
		b := []byte(in)
		if got := r.bytes(b); unsafe.SliceData(got) != unsafe.SliceData(b) || len(got) != len(b) {
			t.Errorf("bytes(%q) = %q, not the same slice", in, got)
		}
	}
}

func TestRedactNil(t *testing.T) {
	for _, r := range []*redactor{nil, newRedactor("")} {
		in := "Bearer " + redactTestSecret
		if got := r.text(in); got != in {
			t.Errorf("text = %q", got)
		}
		b := []byte(in)
		if got := r.bytes(b); unsafe.SliceData(got) != unsafe.SliceData(b) {
			t.Errorf("bytes = %q, not the same slice", got)
		}
		if got := r.bytes(nil); got != nil {
			t.Errorf("bytes(nil) = %q", got)
		}
	}
}

func TestRedactLarge(t *testing.T) {
	r := newRedactor(redactTestSecret)
	filler := strings.Repeat(`lorem ipsum {"a":"\u003cb\u003e"} %2Fx+y \\ 0123456 &lt;i&gt; &#39;&#x27;&amp; `, 1<<20/70+1)[:1<<20]
	if got := r.text(filler); unsafe.StringData(got) != unsafe.StringData(filler) || len(got) != len(filler) {
		t.Fatal("1 MiB without the token: not the same string")
	}
	b := []byte(filler)
	if n := testing.AllocsPerRun(3, func() { r.text(filler); r.bytes(b) }); n != 0 {
		t.Errorf("1 MiB without the token: %v allocations, want 0", n)
	}

	unit := "x " + redactTestSecret + " " + url.QueryEscape(redactTestSecret) + " " + redactEscapeAll(redactTestSecret[5:30], `\u%04x`) +
		" " + html.EscapeString(redactTestSecret) + " " + redactEscapeAll(redactTestSecret[3:20], "&#%d;") + " |"
	n := 1<<20/len(unit) + 1
	in, want := strings.Repeat(unit, n), strings.Repeat("x [REDACTED] [REDACTED] [REDACTED] [REDACTED] [REDACTED] |", n)
	if got := r.text(in); got != want {
		t.Errorf("1 MiB with %d echoes: wrong output (len %d, want %d)", 5*n, len(got), len(want))
	}
	if got := r.text(strings.Repeat(redactTestSecret, 1<<20/len(redactTestSecret)+1)); got != redacted {
		t.Errorf("1 MiB of back-to-back echoes: got %d bytes, want one marker", len(got))
	}
}

// redactFillers are pieces of random filler: ordinary bytes, bytes of the
// secret, and escape fragments that may run into a following echo.
var redactFillers = []string{"a", "x", " ", "-", "0", "9", "f", "E", "+", "/", "<", "&", "\"", "\xff", "\xc3", "é",
	`\`, `\\`, `\u`, `\u00`, `\u12`, `\ud83d`, `\u003c`, `\/`, `\n`, "%", "%4", "%2", "%2F", "%zz", "%%",
	"&#", "&#x", "&#1", "&#x3", "&l", "&am", "&amp", "&lt;", "&#39;", ";", "&#", `\u0026`, "%26", "%26#", "++", "+ ",
	"&amp;", "&amp;amp;", "&amp;#", "&amp;l"}

// redactCheckProperty asserts the rule every redaction must satisfy: neither
// the output nor any of its decoded views (see redactLeak) holds a window of
// the secret.
func redactCheckProperty(t *testing.T, secret, in string) {
	t.Helper()
	r := newRedactor(secret)
	out := r.text(in)
	if leak := redactLeak(secret, out); leak != "" {
		t.Fatalf("secret window %q survives\n in: %q\nout: %q", leak, in, out)
	}
	if b := r.bytes([]byte(in)); string(b) != out {
		t.Fatalf("bytes and text differ on %q: %q vs %q", in, b, out)
	}
}

func TestRedactProperty(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	next := func() byte { return byte(rnd.UintN(256)) }
	for _, secret := range []string{redactTestSecret, redactTestUTF8, redactTestPhrase, redactTestPhraseNoAmp, "short"} {
		for iter := 0; iter < 3000; iter++ {
			var in strings.Builder
			for k := rnd.IntN(4); k >= 0; k-- {
				for j := rnd.IntN(12); j > 0; j-- {
					in.WriteString(redactFillers[rnd.IntN(len(redactFillers))])
				}
				a := rnd.IntN(len(secret) - min(redactWindow, len(secret)) + 1)
				b := a + min(redactWindow, len(secret)) + rnd.IntN(len(secret)-a-min(redactWindow, len(secret))+1)
				in.WriteString(redactEncode(secret[a:b], next))
			}
			redactCheckProperty(t, secret, in.String())
		}
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("", uint16(0), uint8(0), uint8(255), []byte{0})
	f.Add("Bearer \n", uint16(7), uint8(3), uint8(9), []byte{1, 2, 5, 9})
	f.Add(`{"e":"\u12%4\"}`, uint16(10), uint8(20), uint8(0), []byte{2, 6, 13})
	f.Add("%\\u\\\xff", uint16(1), uint8(30), uint8(1), []byte(nil))
	f.Add(`\ud83d%2`, uint16(8), uint8(12), uint8(7), []byte{9, 4})
	// Form and HTML (see redactEncode: a mode mod 5 is the kind, 3 and 4 are
	// references; bit 8 is '+' for a space in %XX; bits 16, 32 and 64 escape a
	// reference's '&').
	f.Add("p=&x=1", uint16(2), uint8(0), uint8(40), []byte{3, 4, 2 | 8, 0, 3 | 8, 4 | 64})
	f.Add("<p>&amp;&#</p>", uint16(3), uint8(5), uint8(20), []byte{3 | 16, 4 | 32, 2 | 8, 1, 3 | 4})
	f.Add("&#x&lt;+ ;", uint16(4), uint8(20), uint8(3), []byte{8 | 2, 0, 4, 3 | 8 | 16})
	f.Add(`{"d":"\u0026#"}`, uint16(7), uint8(2), uint8(11), []byte{3 | 16, 3 | 32, 4 | 16, 0, 2})
	f.Add("&amp;&amp;lt;", uint16(5), uint8(3), uint8(30), []byte{3 | 64, 4 | 64 | 16, 0, 3 | 64 | 32, 2})
	// A stray '\' takes the echo's first raw byte into "\f"; the rest is %XX,
	// so only the percent view reads "fake <pa" back.
	f.Add("0\\0", uint16(66), uint8(0x19), uint8(0), []byte("29"))
	f.Fuzz(func(t *testing.T, filler string, pos uint16, start, n uint8, modes []byte) {
		// A run of each secret (at least a window long) encoded per modes,
		// inside filler.
		for _, s := range []string{redactTestSecret, redactTestPhrase, redactTestPhraseNoAmp} {
			a := int(start) % (len(s) - redactWindow + 1)
			chunk := s[a : a+redactWindow+int(n)%(len(s)-a-redactWindow+1)]
			i := 0
			enc := redactEncode(chunk, func() byte {
				if i++; len(modes) == 0 {
					return 0
				}
				return modes[(i-1)%len(modes)]
			})
			p := int(pos) % (len(filler) + 1)
			redactCheckProperty(t, s, filler[:p]+enc+filler[p:])
			redactCheckProperty(t, s, filler)
		}
		redactCheckProperty(t, "short", filler)
	})
}
