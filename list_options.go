package authentik

import (
	"net/url"
	"strings"

	"github.com/google/go-querystring/query"
)

// ListOptions are the paging, ordering and search parameters every list accepts.
// They are embedded in each resource's options and flattened into the query.
type ListOptions struct {
	// Ordering is a field name to sort by, "-" in front for descending
	// ("-name"); several are separated by commas ("-expires,pk"). A field
	// the list does not sort by is ignored by the server.
	Ordering string `url:"ordering,omitempty"`
	// Page is the page to fetch (from 1); 0 leaves it to the server (page 1).
	// All starts its walk here.
	Page int `url:"page,omitempty"`
	// PageSize is how many items one page holds; 0 leaves it to the server
	// (20 by default, at most 100). It is per page, not a limit on the total.
	PageSize int `url:"page_size,omitempty"`
	// Search keeps the objects in which every word of it is found,
	// case-insensitively: in the name for stages; in the name, the creator's
	// username, the expiry or the flow's slug for invitations.
	Search string `url:"search,omitempty"`
}

// Ptr returns a pointer to v, for the optional filters: UseTLS: Ptr(false)
// filters on use_tls=false, while a nil UseTLS does not filter at all.
func Ptr[T any](v T) *T { return &v }

// validate checks what the SDK can know is wrong before sending, naming the field.
func (o *ListOptions) validate(options string) error {
	if o.Page < 0 {
		return inputErrorf(options+".Page", "%s.Page is %d; use 0 for the first page or a page number from 1", options, o.Page)
	}
	if o.PageSize < 0 {
		return inputErrorf(options+".PageSize", "%s.PageSize is %d; use 0 for the server's default or a size from 1", options, o.PageSize)
	}
	return nil
}

// listQuery is implemented by every options struct.
type listQuery interface {
	validate() error
	startPage() int
}

// encodeQuery validates opts and turns them into the query string's values. nil
// opts (even a typed nil) send no parameters.
func encodeQuery(opts listQuery) (url.Values, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if raw, ok := opts.(interface{ values() url.Values }); ok {
		return raw.values(), nil // already encoded (List[T], All[T])
	}
	q, err := query.Values(opts)
	if err != nil {
		return nil, inputErrorf("opts", "encoding the options: %v", err)
	}
	return q, nil
}

// isUUID reports whether s is a textual UUID as authentik's UUID fields take
// it: the canonical 8-4-4-4-12 form authentik prints, or the same 32 hex
// digits without hyphens (Python's uuid.UUID accepts both), in any case.
func isUUID(s string) bool {
	switch len(s) {
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return false
		}
		return allHex(s[:8]) && allHex(s[9:13]) && allHex(s[14:18]) && allHex(s[19:23]) && allHex(s[24:])
	case 32:
		return allHex(s)
	}
	return false
}

// allHex reports whether every byte of s is a hex digit.
func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// hasUpper reports whether s has an ASCII upper-case letter (strings.ToLower
// to compare costs ten times more on a UUID already in lower case).
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f' }

// canonicalUUID is a UUID in the form authentik prints: hyphenated, lower case.
// s must satisfy isUUID; one already in that form is returned as it is.
func canonicalUUID(s string) string {
	if len(s) == 36 && !hasUpper(s) {
		return s
	}
	h := strings.ToLower(strings.ReplaceAll(s, "-", ""))
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
