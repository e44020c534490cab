package authentik

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// durationUnits are the keys authentik's duration syntax knows, in microseconds
// (authentik/lib/utils/time.py, ALLOWED_KEYS, handed to Python's datetime.timedelta).
var durationUnits = map[string]float64{
	"weeks":        7 * 24 * 3600e6,
	"days":         24 * 3600e6,
	"hours":        3600e6,
	"minutes":      60e6,
	"seconds":      1e6,
	"milliseconds": 1e3,
	"microseconds": 1,
}

// ParseTokenExpiry converts authentik's duration syntax, as in
// EmailStage.TokenExpiry and RecoveryCacheTimeout, to a time.Duration. It accepts
// exactly what the server's validator accepts (timedelta_from_string in
// authentik/lib/utils/time.py): "key=value" pairs separated by ";"
// ("hours=3;minutes=17;seconds=300"), keys weeks, days, hours, minutes, seconds,
// milliseconds and microseconds in any case, values decimal numbers (1.5, -2,
// 1e3), unknown keys skipped, and at least one known key. A later pair with the
// same key replaces an earlier one. The result is rounded to the microsecond, as
// timedelta does; values that do not fit a time.Duration are errors.
func ParseTokenExpiry(s string) (time.Duration, error) {
	values := make(map[string]float64, 2)
	for _, pair := range strings.Split(s, ";") {
		key, value, ok := strings.Cut(pair, "=")
		if !ok || strings.Contains(value, "=") {
			if strings.Contains(s, ",") {
				return 0, fmt.Errorf("authentik: duration %q: pairs are separated by ';', not ',' (e.g. hours=3;minutes=17)", s)
			}
			return 0, fmt.Errorf("authentik: duration %q: %q is not a key=value pair", s, pair)
		}
		key = pyLower(key)
		if _, known := durationUnits[key]; !known {
			continue // the server skips keys it does not know
		}
		v, err := pyFloat(value)
		if err != nil {
			return 0, fmt.Errorf("authentik: duration %q: %s=%q: %w", s, key, value, err)
		}
		values[key] = v
	}
	if len(values) == 0 {
		return 0, fmt.Errorf("authentik: duration %q: no known key (weeks, days, hours, minutes, seconds, milliseconds, microseconds)", s)
	}
	var micros float64
	for key, v := range values {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, fmt.Errorf("authentik: duration %q: %s is not finite", s, key)
		}
		micros += v * durationUnits[key]
	}
	micros = math.RoundToEven(micros)
	const maxMicros = float64(math.MaxInt64 / int64(time.Microsecond))
	if math.IsInf(micros, 0) || math.IsNaN(micros) || micros > maxMicros || micros < -maxMicros {
		return 0, fmt.Errorf("authentik: duration %q does not fit in a time.Duration (about 292 years)", s)
	}
	return time.Duration(micros) * time.Microsecond, nil
}

// pyLower is Python's str.lower for matching the ASCII key names: like
// strings.ToLower, except that U+0130 becomes "i̇" (two runes) and so matches no key.
func pyLower(s string) string {
	if strings.ContainsRune(s, 'İ') {
		s = strings.ReplaceAll(s, "İ", "i\u0307")
	}
	return strings.ToLower(s)
}

var errNotANumber = errors.New("not a decimal number")

// pyFloat parses a value as Python's float() does after str.strip(): an optional
// sign, then digits with single underscores between them, an optional fraction
// and exponent, or inf, infinity or nan in any case. Unicode decimal digits count
// as digits, as they do in Python.
func pyFloat(s string) (float64, error) {
	s = strings.TrimFunc(s, pyIsSpace)
	var b strings.Builder
	for _, r := range s {
		if r > unicode.MaxASCII && unicode.IsDigit(r) {
			r = '0' + digitValue(r)
		}
		b.WriteRune(r)
	}
	ascii := b.String()
	body := strings.TrimLeft(ascii, "+-")
	if len(ascii)-len(body) > 1 {
		return 0, errNotANumber
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if strings.HasPrefix(ascii, "-") {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case "nan":
		return math.NaN(), nil
	}
	if !validPyDecimal(body) {
		return 0, errNotANumber
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(ascii, "_", ""), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errNotANumber
	}
	return f, nil // out of range: ±Inf, as Python gives; the caller refuses it
}

// validPyDecimal checks Python's floatnumber grammar (no sign):
// (digitpart? "." digitpart | digitpart "."?) (("e"|"E") sign? digitpart)?
// where digitpart is digits with single underscores between them.
func validPyDecimal(s string) bool {
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
		exp = strings.TrimPrefix(strings.TrimPrefix(exp, "+"), "-")
		if len(s[i+1:])-len(exp) > 1 || !validDigitPart(exp) {
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

// pyIsSpace is Python's str.isspace: Unicode White_Space plus the ASCII
// separators U+001C to U+001F, which Python also strips.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}
