package authentik

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/authentik-go/authentik/internal/pysyntax"
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
		key = pysyntax.Lower(key)
		if _, known := durationUnits[key]; !known {
			continue // the server skips keys it does not know
		}
		v, err := pysyntax.Float(value)
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
	// Compare as integers: float64(MaxInt64/1000) rounds up, so a float bound
	// would let values just past it wrap to a negative duration. |micros| < 2^62
	// converts to int64 exactly enough to compare.
	const maxMicros = math.MaxInt64 / int64(time.Microsecond)
	if math.IsNaN(micros) || math.Abs(micros) >= 1<<62 || int64(micros) > maxMicros || int64(micros) < -maxMicros {
		return 0, fmt.Errorf("authentik: duration %q does not fit in a time.Duration (about 292 years)", s)
	}
	return time.Duration(int64(micros)) * time.Microsecond, nil
}
