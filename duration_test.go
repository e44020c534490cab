package authentik

import (
	"strings"
	"testing"
	"time"
)

// TestParseTokenExpiry mirrors authentik's timedelta_from_string
// (authentik/lib/utils/time.py): what it accepts, and what it refuses.
func TestParseTokenExpiry(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"minutes=30", 30 * time.Minute},
		{"hours=3;minutes=17;seconds=300", 3*time.Hour + 22*time.Minute},
		{"hours=1.5", 90 * time.Minute},
		{"days=1", 24 * time.Hour},
		{"weeks=2", 14 * 24 * time.Hour},
		{"milliseconds=1500", 1500 * time.Millisecond},
		{"microseconds=7", 7 * time.Microsecond},
		{"HOURS=1;Minutes=1", time.Hour + time.Minute},
		{"seconds=-5", -5 * time.Second},
		{"hours=2;minutes=-30", 90 * time.Minute},
		{"minutes= 5 ", 5 * time.Minute},           // the value is stripped
		{"minutes=\t5\n", 5 * time.Minute},         // by str.strip
		{"minutes=+5", 5 * time.Minute},            // a sign is allowed
		{"seconds=1e3", 1000 * time.Second},        // exponents are floats
		{"seconds=.5", 500 * time.Millisecond},     // no integer part
		{"seconds=5.", 5 * time.Second},            // no fraction
		{"seconds=1_000", 1000 * time.Second},      // Python allows digit underscores
		{"foo=bar;minutes=1", time.Minute},         // unknown keys are skipped, their values unread
		{"minutes=1;minutes=2", 2 * time.Minute},   // the later pair wins
		{"microseconds=0.5", 0},                    // rounded half to even, as timedelta
		{"microseconds=1.5", 2 * time.Microsecond}, // rounded half to even
		{"seconds=\u0665", 5 * time.Second},        // Unicode decimal digits (ARABIC-INDIC FIVE)
		{"WEE\u212aS=1", 7 * 24 * time.Hour},       // KELVIN SIGN lowercases to k, in Python too
		{"days=0", 0},                              // zero is a valid duration
	}
	for _, tt := range tests {
		got, err := ParseTokenExpiry(tt.in)
		if err != nil {
			t.Errorf("ParseTokenExpiry(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseTokenExpiry(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseTokenExpiryErrors(t *testing.T) {
	tests := []struct {
		in, wantErr string
	}{
		{"", "not a key=value pair"},
		{"30", "not a key=value pair"},
		{"hours=3,minutes=17,seconds=300", "separated by ';'"}, // the seed page's help text: the server refuses it
		{"minutes=30;", "not a key=value pair"},                // a trailing ';' leaves an empty pair
		{"minutes=1=2", "not a key=value pair"},
		{"foo=1", "no known key"},
		{" minutes=1", "no known key"}, // the key is not stripped
		{"M\u0130NUTES=1", "no known key"},
		{"minutes=", "not a decimal number"},
		{"minutes=abc", "not a decimal number"},
		{"minutes=1_", "not a decimal number"},
		{"minutes=1__0", "not a decimal number"},
		{"minutes=_1", "not a decimal number"},
		{"minutes=0x10", "not a decimal number"},
		{"minutes=1 2", "not a decimal number"},
		{"minutes=--1", "not a decimal number"},
		{"minutes=1e", "not a decimal number"},
		{"minutes=.", "not a decimal number"},
		{"minutes=inf", "not finite"},
		{"minutes=-Infinity", "not finite"},
		{"minutes=nan", "not finite"},
		{"minutes=1e400", "not finite"},
		{"weeks=1e9", "does not fit"},
		{"days=-200000", "does not fit"},
		{"microseconds=9223372036854776", "does not fit"}, // just past the limit: must not wrap
		{"microseconds=9223372036854775.6", "does not fit"},
		{"seconds=9223372036.8547758", "does not fit"},
		{"microseconds=-9223372036854776", "does not fit"},
	}
	for _, tt := range tests {
		d, err := ParseTokenExpiry(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseTokenExpiry(%q) = %s, %v; want an error containing %q", tt.in, d, err, tt.wantErr)
		}
	}
}
