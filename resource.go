package authentik

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unsafe"
)

// service is the state every service shares; each service type is a view of it
// (go-github's pattern), so no plumbing is copied per service.
type service struct{ core *core }

// c is the service's request path; nil for a service NewClient did not make,
// which the plumbing below turns into an error.
func (s *service) c() *core {
	if s == nil {
		return nil
	}
	return s.core
}

// errNoCore is what a Client or service that NewClient did not make answers.
var errNoCore = errors.New("authentik: this client was not created with NewClient (or NewClientFromEnv)")

// resource is one collection of the API: where it lives and how its objects
// are named. A resource's file (generated, zz_*.go, or by hand) declares one
// and calls the generic operations below, a line each. Objects decode
// straight into the public model T (quirks.go rewrites what older releases
// send first).
type resource[T any] struct {
	path string          // relative to /api/v3/, with the trailing slash
	pk   func(*T) string // the object's primary key
	// advice says how to find out whether a create whose answer was lost was
	// applied; "" is the default: the name is unique, look it up.
	advice string
	// key checks the name of one object in a path (a pk, a slug) before any
	// request and returns it as the API writes it; nil is checkPK.
	key func(string) (string, error)
	// raw marks a caller's path (List[T], All[T]), for errors' hints.
	raw bool
	// since is the release that added the route, when an older supported
	// release lacks it (a 404 says so).
	since string
}

// checkKey is r.key, or checkPK.
func (r resource[T]) checkKey(k string) (string, error) {
	if r.key == nil {
		return checkPK(k)
	}
	return r.key(k)
}

// valueCost is what one JSON value of this resource's answers may decode into:
// the wire and public structs (see checkShape), at least defaultValueCost.
func (r resource[T]) valueCost() int {
	var t T
	return max(defaultValueCost, int(2*unsafe.Sizeof(t)))
}

// item is the path of one object of the collection.
func (r resource[T]) item(pk string) string { return r.path + pk + "/" }

// writeBody is a request type (EmailStageRequest, ...): what the SDK can check
// before sending, naming the field, and which of its values are secrets.
type writeBody interface {
	check(op string) error // op: "Create", "Update" or "Patch"
	secrets() []string
}

// checkPK refuses a pk that is not a UUID, before any request, and returns it
// in the canonical form (32 hex digits without hyphens are accepted).
func checkPK(pk string) (string, error) {
	if !isUUID(pk) {
		return "", inputErrorf("pk", "pk %q is not a UUID (want the form 3fa85f64-5717-4562-b3fc-2c963f66afa6)", pk)
	}
	return canonicalUUID(pk), nil
}

// slugPattern is Django's validate_slug (django/core/validators.py).
var slugPattern = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)

// checkSlug refuses a slug that is not one (Django's SlugField:
// ^[-a-zA-Z0-9_]+$), before any request: anything else ("..", "a/b") would
// name another path.
func checkSlug(slug string) (string, error) {
	if !slugPattern.MatchString(slug) {
		return "", inputErrorf("slug", "slug %q is not a slug (letters, digits, '-' and '_')", slug)
	}
	return slug, nil
}

// checkUUIDs refuses a filter that is not a UUID, or a list of them, naming the field.
func checkUUIDs[T string | []string](field string, v T) error {
	var list []string
	switch x := any(v).(type) {
	case string:
		list = []string{x}
	case []string:
		list = x
	}
	for _, u := range list {
		if u != "" && !isUUID(u) {
			return inputErrorf(field, "%s %q is not a UUID (want the form 3fa85f64-5717-4562-b3fc-2c963f66afa6)", field, u)
		}
	}
	return nil
}

// list is List for any resource: validate, encode, one request.
func list[T any](ctx context.Context, c *core, r resource[T], opts listQuery) (*Page[T], error) {
	if c == nil {
		return nil, errNoCore
	}
	q, err := encodeQuery(opts)
	if err != nil {
		return nil, err
	}
	return getPage(ctx, c, r, q, 0)
}

// all is All for any resource. The options are encoded once, here, so a caller
// who changes them later does not change a walk; each page's request is the
// same query with its page number, on a copy.
func all[T any](ctx context.Context, c *core, r resource[T], opts listQuery) iter.Seq2[T, error] {
	q, err := encodeQuery(opts)
	if c == nil {
		err = errNoCore
	}
	if err != nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, err)
		}
	}
	start := opts.startPage()
	first := max(start, 1)
	if start == 0 && q.Get("page") != "" {
		first = 0 // a page the walker cannot read ("last", in a raw query): take the server's word
	}
	return walk(ctx, start, c.prefetch, func(ctx context.Context, page int) (*Page[T], error) {
		pq := q
		if page != 0 {
			pq = make(url.Values, len(q)+1)
			for k, v := range q {
				pq[k] = v
			}
			pq.Set("page", strconv.Itoa(page))
		} else {
			page = first
		}
		return getPage(ctx, c, r, pq, page)
	})
}

// getPage fetches one page, decoded through the wire type (see quirks.go), and
// checks that its pagination agrees with itself and, during a walk, with the
// request: page is the page the walk asked for (0: List, which takes the page
// the server says it sent).
func getPage[T any](ctx context.Context, c *core, r resource[T], q url.Values, page int) (*Page[T], error) {
	var wp wirePage[T]
	req := request{method: http.MethodGet, path: r.path, query: q, valueCost: r.valueCost(), raw: r.raw, since: r.since}
	if _, err := c.do(ctx, req, &wp); err != nil {
		return nil, err
	}
	pageSize, _ := strconv.Atoi(q.Get("page_size"))
	if err := checkPage(wp.Pagination, len(wp.Results), page, pageSize); err != nil {
		return nil, fmt.Errorf("authentik: GET %s: %w: %s", c.url(req), ErrBadPagination, err)
	}
	return &Page[T]{Pagination: *wp.Pagination, Results: wp.Results}, nil // checkDecoded: not nil
}

// get is Get for any resource: GET <collection><pk>/.
func get[T any](ctx context.Context, c *core, r resource[T], pk string) (*T, error) {
	if c == nil {
		return nil, errNoCore
	}
	pk, err := r.checkKey(pk)
	if err != nil {
		return nil, err
	}
	return one(ctx, c, r, request{method: http.MethodGet, path: r.item(pk), since: r.since}, pk)
}

// create is Create for any resource: POST <collection> with body, 201.
func create[T any](ctx context.Context, c *core, r resource[T], body writeBody) (*T, error) {
	if c == nil {
		return nil, errNoCore
	}
	if err := body.check("Create"); err != nil {
		return nil, err
	}
	return one(ctx, c, r, request{method: http.MethodPost, path: r.path, body: body, secrets: body.secrets(), advice: r.advice,
		since: r.since}, "")
}

// update is Update (PUT) and Patch (PATCH) for any resource.
func update[T any](ctx context.Context, c *core, r resource[T], method, pk string, body writeBody) (*T, error) {
	if c == nil {
		return nil, errNoCore
	}
	pk, err := r.checkKey(pk)
	if err != nil {
		return nil, err
	}
	op := "Update"
	if method == http.MethodPatch {
		op = "Patch"
	}
	if err := body.check(op); err != nil {
		return nil, err
	}
	want := pk
	if k, ok := body.(interface{ newKey() string }); ok && k.newKey() != "" {
		want = k.newKey() // a write that renames the object (a flow's slug) answers under its new name
	}
	return one(ctx, c, r, request{method: method, path: r.item(pk), body: body, secrets: body.secrets(), since: r.since}, want)
}

// remove is Delete for any resource: DELETE <collection><pk>/, 204.
func remove[T any](ctx context.Context, c *core, r resource[T], pk string) error {
	if c == nil {
		return errNoCore
	}
	pk, err := r.checkKey(pk)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, request{method: http.MethodDelete, path: r.item(pk), since: r.since}, nil)
	return err
}

// usedBy is UsedBy for any resource: GET <collection><pk>/used_by/.
func usedBy[T any](ctx context.Context, c *core, r resource[T], pk string) ([]UsedBy, error) {
	if c == nil {
		return nil, errNoCore
	}
	pk, err := r.checkKey(pk)
	if err != nil {
		return nil, err
	}
	var out []UsedBy
	if _, err := c.do(ctx, request{method: http.MethodGet, path: r.item(pk) + "used_by/", since: r.since}, &out); err != nil {
		return nil, err
	}
	if out == nil {
		out = []UsedBy{}
	}
	return out, nil
}

// one sends req and decodes one object. An answer that is not the object
// (no pk; another pk than want, when want is set) is a *DecodeError rather
// than a zero-valued model: a proxy's {} or a stale cache.
func one[T any](ctx context.Context, c *core, r resource[T], req request, want string) (*T, error) {
	var got T
	req.valueCost = r.valueCost()
	req.check = func() error {
		switch gotPK := r.pk(&got); {
		case gotPK == "" && want == "":
			return errors.New("the body has no pk, so it is not the object written")
		case gotPK == "":
			return fmt.Errorf("the body has no pk, so it is not the object %s", want)
		case want != "" && gotPK != want && !strings.EqualFold(gotPK, want):
			return fmt.Errorf("the body is the object %s, not %s", gotPK, want)
		}
		return nil
	}
	if _, err := c.do(ctx, req, &got); err != nil {
		return nil, err
	}
	return &got, nil
}
