package authentik

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// redirectError is a redirect the client refused to follow: to another origin
// (scheme, host or port) than the base URL's. The answer would come from a
// server the token was not meant for, or over plain http; following it would
// also drop the token and then blame it.
type redirectError struct {
	location string // where the server pointed, redacted
	method   string // set when following would have turned this write into a GET
}

func (e *redirectError) Error() string {
	if e.method != "" {
		return fmt.Sprintf("the server redirected the %s to %s with a status that would turn it into a GET without its body; "+
			"refused (a 307 or 308 keeps the method; or fix the path)", e.method, e.location)
	}
	return fmt.Sprintf("the server redirected to %s, outside the base URL's origin; refused "+
		"(set the base URL to where the API really is)", e.location)
}

// sameOriginRedirects is the inner client's CheckRedirect: redirects within the
// base URL's origin (authentik adding a trailing slash) are followed as the
// caller's policy (or net/http's default of 10) allows; any other is refused,
// and so is one that would change a write's method: net/http turns a PUT,
// PATCH, DELETE or POST into a GET without its body on a 301, 302 or 303,
// and the GET's answer would pass for the write's. The Location is redacted
// with the request's own secrets too (a password), found in its context.
func sameOriginRedirects(base *url.URL, next func(*http.Request, []*http.Request) error, red *redactor) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		red := red // this request's own: the closure serves every request at once
		if st := callStateOf(req.Context()); st != nil {
			red = st.redactor()
		}
		if !sameOrigin(base, req.URL) {
			return &redirectError{location: red.text(req.URL.String())}
		}
		if len(via) > 0 && req.Method != via[0].Method {
			return &redirectError{location: red.text(req.URL.String()), method: via[0].Method}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// sameOrigin compares scheme, host and port, the port defaulted from the scheme.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}
