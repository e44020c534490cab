package contract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Formats the schema uses that kin-openapi checks only when told to: the
// contract holds the UUIDs and email addresses to the schema's formats too.
func init() {
	openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC4122))
	openapi3.DefineStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail))
}

// Validator checks requests and responses against one schema document.
type Validator struct {
	router routers.Router
}

// NewValidator builds a validator for doc (its paths are mounted under /api/v3).
func NewValidator(doc *openapi3.T) (*Validator, error) {
	r, err := Router(doc)
	if err != nil {
		return nil, err
	}
	return &Validator{router: r}, nil
}

// options makes kin-openapi check bearer authentication the way the schema's
// security scheme says (http, bearer): a header "Bearer <token>".
func options() *openapi3filter.Options {
	return &openapi3filter.Options{
		IncludeResponseStatus: true,
		AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
			h := in.RequestValidationInput.Request.Header.Get("Authorization")
			scheme, token, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "bearer") || token == "" {
				return fmt.Errorf("security scheme %s: want Authorization: Bearer <token>, got %q", in.SecuritySchemeName, h)
			}
			return nil
		},
	}
}

// Request validates one request against its operation.
func (v *Validator) Request(req *http.Request) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: no operation in the schema: %w", req.Method, req.URL, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: options()}
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		return in, fmt.Errorf("%s %s: %w", req.Method, req.URL, err)
	}
	// kin-openapi ignores query parameters the operation does not declare; a
	// filter the server does not know is silently no filter, so refuse it.
	declared := map[string]bool{}
	for _, p := range append(route.PathItem.Parameters, route.Operation.Parameters...) {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
			declared[p.Value.Name] = true
		}
	}
	for name := range req.URL.Query() {
		if !declared[name] {
			return in, fmt.Errorf("%s %s: query parameter %q is not declared by the operation", req.Method, req.URL, name)
		}
	}
	return in, nil
}

// documented reports whether the schema describes a response with this status:
// 200, 201, 204, 400 (ValidationError) and 403 (GenericError). authentik's 404s
// ("Invalid page.", "Not found.") are not in the schema, so they cannot be
// checked against it.
func documented(status int) bool {
	switch status {
	case http.StatusOK, http.StatusCreated, http.StatusNoContent, http.StatusBadRequest, http.StatusForbidden:
		return true
	}
	return false
}

// Response validates a response to req against the schema.
func (v *Validator) Response(req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%s %s: no operation in the schema: %w", req.Method, req.URL, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: options()},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                options(),
	}
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		return fmt.Errorf("response %d to %s %s: %w", status, req.Method, req.URL, err)
	}
	return nil
}

// Proxy is a loopback server that validates every request against the schema,
// passes it to backend, and validates the documented responses on the way back.
// Violations are collected, never hidden.
type Proxy struct {
	*httptest.Server
	mu       sync.Mutex
	badReqs  []string // requests that broke the schema
	badResps []string // documented responses that broke it
	requests []string
}

// NewProxy starts a validating proxy in front of backend.
func NewProxy(v *Validator, backend http.Handler) *Proxy {
	p := &Proxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.record(&p.requests, r.URL.RequestURI())
		if _, err := v.Request(r); err != nil {
			p.record(&p.badReqs, err.Error())
		}
		rec := httptest.NewRecorder()
		backend.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if documented(rec.Code) {
			if err := v.Response(r, rec.Code, rec.Header(), body); err != nil {
				p.record(&p.badResps, err.Error())
			}
		}
		for k, vals := range rec.Header() {
			w.Header()[k] = vals
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	return p
}

func (p *Proxy) record(list *[]string, entry string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	*list = append(*list, entry)
}

func (p *Proxy) list(l *[]string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), (*l)...)
}

// RequestViolations returns the requests that failed validation so far.
func (p *Proxy) RequestViolations() []string { return p.list(&p.badReqs) }

// ResponseViolations returns the documented responses that failed validation so far.
func (p *Proxy) ResponseViolations() []string { return p.list(&p.badResps) }

// Requests returns the request URIs seen so far.
func (p *Proxy) Requests() []string { return p.list(&p.requests) }
