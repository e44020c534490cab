package authentik

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authentik-go/authentik/internal/pysyntax"
)

// Fuzz targets. Each checks a property beyond "no panic". Seeds: the fixtures
// in testdata/ and the corpora in testdata/fuzz/<target>/. .ci/run fuzzes each
// for 20 s.

// addFixtures seeds a page target with every fixture file.
func addFixtures(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// roundTrip: a page that decodes re-encodes to JSON that decodes to the same page.
func roundTrip[T any](t *testing.T, data []byte) {
	var p Page[T]
	if json.Unmarshal(data, &p) != nil {
		return
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("a decoded page does not encode: %v", err)
	}
	var again Page[T]
	if err := json.Unmarshal(b, &again); err != nil {
		t.Fatalf("the re-encoded page does not decode: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(p, again) {
		t.Fatalf("the round trip changed the page:\n%+v\n%+v", p, again)
	}
}

func FuzzDecodeEmailPage(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, data []byte) { roundTrip[EmailStage](t, data) })
}

func FuzzDecodeInvitationPage(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, data []byte) { roundTrip[InvitationStage](t, data) })
}

// FuzzParseTokenExpiry holds ParseTokenExpiry to authentik's rules: pairs
// separated by ';' with exactly one '=', at least one known key, unknown keys
// skipped unread, the last pair of a key winning, the pairs adding up.
func FuzzParseTokenExpiry(f *testing.F) {
	for _, s := range []string{"minutes=30", "hours=3;minutes=17;seconds=300", "hours=3,minutes=17", "hours=1.5",
		"days=-1;hours=2", "x=y;seconds=1_0", "WEEKS=1", "seconds=1e3", "minutes=", "", "inf=1", "seconds=nan"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseTokenExpiry(s)
		if err != nil {
			return
		}
		// A duration is never wrapped: every accepted value fits, sign included.
		if d2, err := ParseTokenExpiry("microseconds=" + strconv.FormatInt(d.Microseconds(), 10)); err != nil || d2 != d {
			t.Fatalf("%q = %s does not round-trip through microseconds: %s, %v", s, d, d2, err)
		}
		last := map[string]string{}
		for _, pair := range strings.Split(s, ";") {
			if strings.Count(pair, "=") != 1 {
				t.Fatalf("%q accepted with the pair %q", s, pair)
			}
			k, _, _ := strings.Cut(pair, "=")
			if _, known := durationUnits[pysyntax.Lower(k)]; known {
				last[pysyntax.Lower(k)] = pair // keys differing in case are the same key
			}
		}
		if len(last) == 0 {
			t.Fatalf("%q accepted without a known key", s)
		}
		for _, extra := range []string{s + ";unknown=not a number", "unknown=;" + s} {
			if d2, err := ParseTokenExpiry(extra); err != nil || d2 != d {
				t.Fatalf("an unknown key changed %q: %s, %v; want %s", extra, d2, err, d)
			}
		}
		var sum time.Duration
		for _, pair := range last {
			part, err := ParseTokenExpiry(pair)
			if err != nil {
				return // one pair alone overflows; the sum fits
			}
			sum += part
		}
		if diff := d - sum; diff > time.Duration(len(last))*time.Microsecond || -diff > time.Duration(len(last))*time.Microsecond {
			t.Fatalf("%q = %s, but its pairs add up to %s", s, d, sum)
		}
	})
}

// FuzzBaseURL: an accepted base URL normalises to <scheme>://<host>[/path]/api/v3/
// with no query, fragment or credentials, http only to loopback, and normalising
// the result again changes nothing.
func FuzzBaseURL(f *testing.F) {
	for _, s := range []string{"https://authentik.example.com", "https://authentik.example.com/api/v3/",
		"https://example.com/authentik", "http://127.0.0.1:9000", "http://[::1]:1/", "http://authentik.lan",
		"ftp://x", "https://x/?q", "https://u:p@x", "https://x/a/../b", "authentik.example.com", "https://x/a%2Fb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := NewClient(raw, testToken)
		if err != nil {
			return
		}
		base := c.core.base
		u, err := url.Parse(base)
		if err != nil {
			t.Fatalf("%q gave the base %q, which does not parse: %v", raw, base, err)
		}
		if !strings.HasSuffix(base, "/api/v3/") || strings.Contains(strings.TrimPrefix(base, u.Scheme+"://"), "//") ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil || (u.Scheme != "https" && u.Scheme != "http") {
			t.Fatalf("%q gave the base %q", raw, base)
		}
		if u.Scheme == "http" && !isLoopback(u.Hostname()) {
			t.Fatalf("%q: cleartext to %q accepted without WithInsecureHTTP", raw, u.Hostname())
		}
		c2, err := NewClient(base, testToken)
		if err != nil || c2.core.base != base {
			t.Fatalf("normalising %q again: %v, %v", base, c2, err)
		}
	})
}

// FuzzEncodeOptions: the query carries exactly the filters set, with their
// values; negative paging is refused naming the field.
func FuzzEncodeOptions(f *testing.F) {
	f.Add("default-recovery-email", "smtp.example.com", "minutes=30", "-name", "recovery", 25, 10, 2, 20, uint8(0b101), "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf")
	f.Add("", "", "", "", "", 0, -1, -1, 0, uint8(0), "not-a-uuid")
	f.Add("a&b=c", "é", "hours=1;minutes=2", "a,b", "x y+z", -5, 0, 0, -3, uint8(0xff), "")
	f.Fuzz(func(t *testing.T, name, host, expiry, ordering, search string, port, timeout, page, pageSize int, flags uint8, stageUUID string) {
		ptrBool := func(bit uint8) *bool {
			if flags&(1<<bit) == 0 {
				return nil
			}
			return Ptr(flags&(1<<(bit+4)) != 0)
		}
		opts := &EmailStageListOptions{
			ListOptions: ListOptions{Ordering: ordering, Page: page, PageSize: pageSize, Search: search},
			Name:        name, Host: host, TokenExpiry: expiry, Port: Ptr(port), UseTLS: ptrBool(0), UseSSL: ptrBool(1),
			UseGlobalSettings: ptrBool(2), ActivateUserOnSuccess: ptrBool(3),
		}
		if timeout >= 0 {
			opts.Timeout = Ptr(timeout)
		}
		q, err := encodeQuery(opts)
		switch {
		case page < 0 || pageSize < 0:
			if err == nil || !strings.Contains(err.Error(), "EmailStageListOptions.Page") {
				t.Fatalf("negative paging: %v", err)
			}
			return
		case err != nil:
			t.Fatal(err)
		}
		back, err := url.ParseQuery(q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		want := url.Values{}
		set := func(k, v string) {
			if v != "" {
				want.Set(k, v)
			}
		}
		set("name", name)
		set("host", host)
		set("token_expiry", expiry)
		set("ordering", ordering)
		set("search", search)
		set("port", strconv.Itoa(port))
		if opts.Timeout != nil {
			set("timeout", strconv.Itoa(timeout))
		}
		if page > 0 {
			set("page", strconv.Itoa(page))
		}
		if pageSize > 0 {
			set("page_size", strconv.Itoa(pageSize))
		}
		for k, p := range map[string]*bool{"use_tls": opts.UseTLS, "use_ssl": opts.UseSSL,
			"use_global_settings": opts.UseGlobalSettings, "activate_user_on_success": opts.ActivateUserOnSuccess} {
			if p != nil {
				set(k, strconv.FormatBool(*p))
			}
		}
		if !reflect.DeepEqual(back, want) {
			t.Fatalf("query %q\n got %v\nwant %v", q.Encode(), back, want)
		}

		_, err = encodeQuery(&InvitationStageListOptions{StageUUID: stageUUID})
		if (err == nil) != (stageUUID == "" || isUUID(stageUUID)) {
			t.Fatalf("StageUUID %q: %v", stageUUID, err)
		}
	})
}
