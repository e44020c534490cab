// Package pysyntax parses text the way the Python functions behind authentik's
// API do (str.strip, float, int, decimal.Decimal, uuid.UUID), so that the SDK's
// ParseTokenExpiry and the fake server in authentiktest accept exactly what the
// real server accepts, no more and no less.
package pysyntax

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
)

// ErrSyntax is returned for text Python would refuse.
var ErrSyntax = errors.New("not a decimal number")

// IsSpace is Python's str.isspace: Unicode White_Space plus the ASCII separators
// U+001C to U+001F, which Python also strips.
func IsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// Strip is Python's str.strip() without arguments.
func Strip(s string) string { return strings.TrimFunc(s, IsSpace) }

// asciiDigits replaces Unicode decimal digits by ASCII ones, as Python's numeric
// constructors do before parsing.
func asciiDigits(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > unicode.MaxASCII && unicode.IsDigit(r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r > unicode.MaxASCII && unicode.IsDigit(r) {
			r = '0' + digitValue(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// digitValue is the value of a Unicode decimal digit. Decimal digits come in
// contiguous runs of ten starting at zero, so the value is the offset from the
// start of the run, modulo ten.
func digitValue(r rune) rune {
	start := r
	for unicode.IsDigit(start - 1) {
		start--
	}
	return (r - start) % 10
}

// splitSign separates one optional leading sign.
func splitSign(s string) (neg bool, body string) {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return s[0] == '-', s[1:]
	}
	return false, s
}

// Float is Python's float(s): surrounding whitespace, an optional sign, then a
// decimal number with single underscores between digits, or inf, infinity or nan
// in any case. Out of range magnitudes give ±Inf, as in Python.
func Float(s string) (float64, error) {
	s = asciiDigits(Strip(s))
	neg, body := splitSign(s)
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if neg {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case "nan":
		return math.NaN(), nil
	}
	if !validDecimal(body) {
		return 0, ErrSyntax
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, ErrSyntax
	}
	return f, nil
}

// Decimal is Python's decimal.Decimal(s) for finite values, as Django's
// forms.DecimalField accepts them: the grammar of Float, without inf and nan.
func Decimal(s string) (*big.Rat, error) {
	s = asciiDigits(Strip(s))
	_, body := splitSign(s)
	if !validDecimal(body) {
		return nil, ErrSyntax
	}
	r, ok := new(big.Rat).SetString(strings.ReplaceAll(s, "_", ""))
	if !ok {
		return nil, ErrSyntax
	}
	return r, nil
}

// Int is Python's int(s) in base 10: surrounding whitespace, an optional sign,
// digits with single underscores between them.
func Int(s string) (*big.Int, error) {
	s = asciiDigits(Strip(s))
	_, body := splitSign(s)
	if !validDigitPart(body) {
		return nil, ErrSyntax
	}
	n, ok := new(big.Int).SetString(strings.ReplaceAll(s, "_", ""), 10)
	if !ok {
		return nil, ErrSyntax
	}
	return n, nil
}

// validDecimal checks Python's floatnumber grammar (no sign):
// (digitpart? "." digitpart | digitpart "."?) (("e"|"E") sign? digitpart)?
func validDecimal(s string) bool {
	mant := s
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		_, exp := splitSign(s[i+1:])
		if !validDigitPart(exp) {
			return false
		}
	}
	intPart, frac, hasDot := strings.Cut(mant, ".")
	switch {
	case !hasDot:
		return validDigitPart(intPart)
	case intPart == "":
		return validDigitPart(frac)
	case frac == "":
		return validDigitPart(intPart)
	}
	return validDigitPart(intPart) && validDigitPart(frac)
}

// validDigitPart: one or more ASCII digits, single underscores only between digits.
func validDigitPart(s string) bool {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '_' {
			return false
		}
	}
	return true
}

// Lower is Python's str.lower for matching ASCII names: like strings.ToLower,
// except that U+0130 becomes "i̇" (two runes) and so matches no ASCII name.
func Lower(s string) string {
	if strings.ContainsRune(s, 'İ') {
		s = strings.ReplaceAll(s, "İ", "i\u0307")
	}
	return strings.ToLower(s)
}

// UUID is Python's uuid.UUID(hex), as Django's UUID fields call it: "urn:" and
// "uuid:" and braces are dropped, hyphens removed, and 32 hex digits must remain.
// It returns the canonical lowercase 8-4-4-4-12 form.
func UUID(s string) (string, bool) {
	s = strings.ReplaceAll(s, "urn:", "")
	s = strings.ReplaceAll(s, "uuid:", "")
	s = strings.Trim(s, "{}")
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != 32 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return "", false
		}
	}
	s = strings.ToLower(s)
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:], true
}
