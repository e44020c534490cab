package authentik

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
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

// redactView decodes s the way the redactor views it (JSON string escapes and
// %XX; anything malformed is literal), written independently of redact.go so
// the tests check the rules rather than the implementation against itself.
func redactView(s string) string {
	short := map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '%' && i+3 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		if s[i] == '\\' && i+2 <= len(s) {
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
	return b.String()
}

// redactLeak returns a window of secret (8 bytes, or the whole of a shorter
// secret) found in s or in its decoded view, or "" if there is none.
func redactLeak(secret, s string) string {
	w := min(redactWindow, len(secret))
	for _, v := range []string{s, redactView(s)} {
		for i := 0; i+w <= len(v); i++ {
			if strings.Contains(secret, v[i:i+w]) {
				return v[i : i+w]
			}
		}
	}
	return ""
}

// redactEncode writes each byte of s literally, JSON-escaped or
// percent-escaped as next() picks (low 2 bits: kind; 4: upper-case hex; 8:
// short JSON escape where one exists), as a hostile echo might mix them.
func redactEncode(s string, next func() byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c, m := s[i], next()
		hex := "%02x"
		if m&4 != 0 {
			hex = "%02X"
		}
		switch kind := m % 3; {
		case kind == 1 && c < utf8.RuneSelf && m&8 != 0 && strings.IndexByte(`/"\`, c) >= 0:
			b.WriteString(`\` + string(c))
		case kind == 1 && c < utf8.RuneSelf:
			fmt.Fprintf(&b, `\u00`+hex, c)
		case kind != 0:
			fmt.Fprintf(&b, "%"+hex, c)
		default:
			b.WriteByte(c)
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
		{"plus is literal", s, strings.Replace(s, "+", "%2B", 1) + " " + strings.Replace(s, "+", " ", 1), redacted + " " + redacted + " canary"},
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

func TestRedactReturnsInput(t *testing.T) {
	r := newRedactor(redactTestSecret)
	for _, in := range []string{"nothing here", `{"a":"\u003c%2F\"+"}`, redactTestSecret[:7], `\u12 %4 \`} {
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
	filler := strings.Repeat(`lorem ipsum {"a":"\u003cb\u003e"} %2Fx+y \\ 0123456 `, 1<<20/50+1)[:1<<20]
	if got := r.text(filler); unsafe.StringData(got) != unsafe.StringData(filler) || len(got) != len(filler) {
		t.Fatal("1 MiB without the token: not the same string")
	}
	b := []byte(filler)
	if n := testing.AllocsPerRun(3, func() { r.text(filler); r.bytes(b) }); n != 0 {
		t.Errorf("1 MiB without the token: %v allocations, want 0", n)
	}

	unit := "x " + redactTestSecret + " " + url.QueryEscape(redactTestSecret) + " " + redactEscapeAll(redactTestSecret[5:30], `\u%04x`) + " |"
	n := 1<<20/len(unit) + 1
	in, want := strings.Repeat(unit, n), strings.Repeat("x [REDACTED] [REDACTED] [REDACTED] |", n)
	if got := r.text(in); got != want {
		t.Errorf("1 MiB with %d echoes: wrong output (len %d, want %d)", 3*n, len(got), len(want))
	}
	if got := r.text(strings.Repeat(redactTestSecret, 1<<20/len(redactTestSecret)+1)); got != redacted {
		t.Errorf("1 MiB of back-to-back echoes: got %d bytes, want one marker", len(got))
	}
}

// redactFillers are pieces of random filler: ordinary bytes, bytes of the
// secret, and escape fragments that may run into a following echo.
var redactFillers = []string{"a", "x", " ", "-", "0", "9", "f", "E", "+", "/", "<", "&", "\"", "\xff", "\xc3", "é",
	`\`, `\\`, `\u`, `\u00`, `\u12`, `\ud83d`, `\u003c`, `\/`, `\n`, "%", "%4", "%2", "%2F", "%zz", "%%"}

// redactCheckProperty asserts the rule every redaction must satisfy: neither
// the output nor its decoded view holds a window of the secret.
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
	for _, secret := range []string{redactTestSecret, redactTestUTF8, "short"} {
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
	f.Fuzz(func(t *testing.T, filler string, pos uint16, start, n uint8, modes []byte) {
		const s = redactTestSecret
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
		redactCheckProperty(t, "short", filler)
	})
}
