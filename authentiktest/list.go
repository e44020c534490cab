package authentiktest

import (
	"encoding/json"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/internal/pysyntax"
)

// filterKind is how django-filter turns a query value into a filter.
type filterKind int

const (
	// charFilter: forms.CharField strips the value (Python's str.strip); an empty
	// value means no filter; the match is exact (CharFilter, lookup "exact").
	charFilter filterKind = iota
	// boolWidget: django_filters.rest_framework's BooleanFilter uses
	// widgets.BooleanWidget: "true", "false", "1", "0" in any case; anything else
	// is None, which means no filter. Used by filterset_fields viewsets (email).
	boolWidget
	// nullBooleanSelect: the plain django_filters.filterset.FilterSet that
	// InvitationStageFilter subclasses gives BooleanFilter Django's
	// NullBooleanSelect widget: exactly "true", "True", "2" for true and "false",
	// "False", "3" for false; anything else ("1", "TRUE") means no filter.
	nullBooleanSelect
	// numberFilter: NumberFilter's forms.DecimalField parses Python's Decimal
	// syntax ("Enter a number." otherwise, and for NaN and Infinity), with
	// NumberFilter's MaxValueValidator(1e50); Django's IntegerField then truncates
	// the Decimal toward zero for the exact lookup.
	numberFilter
	// uuidFilter: forms.UUIDField strips the value and parses it with Python's
	// uuid.UUID ("Enter a valid UUID." otherwise).
	uuidFilter
	// datetimeFilter: forms.DateTimeField ("Enter a valid date/time."), an
	// exact match on the instant.
	datetimeFilter
	// emptyFilter: BooleanFilter(field, "isnull") on a to-many relation with
	// the NullBooleanSelect widget (InvitationStageFilter's no_flows):
	// isnull=False joins the relation without distinct(), so an object with
	// several related objects is listed once per related object.
	emptyFilter
	// choiceFilter: the ChoiceFilter django-filter makes for a field with
	// choices: an empty value means no filter, another value must be one of
	// the choices ("Select a valid choice. x is not one of the available
	// choices.", forms.ChoiceField), unstripped.
	choiceFilter
	// refFilter: the ModelChoiceFilter django-filter makes for a foreign key:
	// an empty value means no filter; another must be the pk of an object
	// of the referenced model (forms.ModelChoiceField.to_python: queryset.get,
	// every failure "Select a valid choice. That choice is not one of the
	// available choices.").
	refFilter
	// refsFilter: the ModelMultipleChoiceFilter django-filter makes for a
	// many-to-many field: every value of the repeated parameter is checked
	// (forms.ModelMultipleChoiceField._check_values: not a UUID is the
	// UUIDField's "“x” is not a valid UUID.", an unknown pk "Select a valid
	// choice. x is not one of the available choices."); an object matches if
	// any of its related pks is one of them.
	refsFilter
)

type filterSpec struct {
	param string // query parameter, also the serializer field it matches
	kind  filterKind
	path  []string // the field through relations ("created_by__username"); nil: param
	// choices are a choiceFilter's values (the model field's choices).
	choices []string
	// ref is the model a refFilter's or refsFilter's queryset holds.
	ref string
}

// value is the field a filter or the search compares, through relations.
func value(r row, path []string) any {
	var v any = r.fields
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func (f filterSpec) of(r row) any {
	if f.path != nil {
		return value(r, f.path)
	}
	return r.fields[f.param]
}

func fieldSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// param is QueryDict.get: the last value of a repeated parameter.
func param(q url.Values, key string) (string, bool) {
	v, ok := q[key]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[len(v)-1], true
}

// validationError is DRF's 400 body for django-filter's form errors
// (DjangoFilterBackend raises utils.translate_validation(filterset.errors)).
type validationError map[string][]string

// filterRows applies the filters and search, in the order DRF's backends
// run; holds answers whether the server holds an object of a model (a
// related filter's queryset).
func filterRows(rows []row, q url.Values, specs []filterSpec, searchFields []searchField, holds func(model, pk string) bool) ([]row, validationError) {
	errs := validationError{}
	out := rows
	for _, spec := range specs {
		if _, ok := param(q, spec.param); !ok {
			continue
		}
		keep, msg := matcher(spec, q[spec.param], holds)
		if msg != "" {
			errs[spec.param] = []string{msg}
			continue
		}
		if keep == nil {
			continue
		}
		var next []row
		for _, r := range out {
			next = append(next, keep(r)...)
		}
		out = next
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return search(out, q, searchFields), nil
}

// matcher turns a parameter's values (the last one, but for refsFilter)
// into a row filter (nil: no filter) or a form error.
func matcher(spec filterSpec, values []string, holds func(model, pk string) bool) (func(row) []row, string) {
	raw := values[len(values)-1] // QueryDict.get
	one := func(ok func(row) bool) func(row) []row {
		return func(r row) []row {
			if ok(r) {
				return []row{r}
			}
			return nil
		}
	}
	switch spec.kind {
	case charFilter:
		v := pysyntax.Strip(raw)
		if v == "" {
			return nil, ""
		}
		return one(func(r row) bool { return spec.of(r) == v }), ""
	case boolWidget, nullBooleanSelect:
		b, ok := parseBool(spec.kind, raw)
		if !ok {
			return nil, ""
		}
		return one(func(r row) bool { return spec.of(r) == b }), ""
	case numberFilter:
		if raw == "" {
			return nil, ""
		}
		d, err := pysyntax.Decimal(raw)
		if err != nil {
			return nil, "Enter a number."
		}
		if d.Cmp(new(big.Rat).SetFloat64(1e50)) > 0 {
			return nil, "Ensure this value is less than or equal to 1e+50."
		}
		want := new(big.Int).Quo(d.Num(), d.Denom()) // truncates toward zero, as int(Decimal)
		return one(func(r row) bool {
			f, ok := spec.of(r).(float64)
			return ok && want.IsInt64() && float64(want.Int64()) == f
		}), ""
	case uuidFilter:
		v := pysyntax.Strip(raw)
		if v == "" {
			return nil, ""
		}
		u, ok := pysyntax.UUID(v)
		if !ok {
			return nil, "Enter a valid UUID."
		}
		if spec.path == nil { // the pk
			return one(func(r row) bool { return r.pk == u }), ""
		}
		return one(func(r row) bool { return spec.of(r) == u }), ""
	case datetimeFilter:
		v := pysyntax.Strip(raw)
		if v == "" {
			return nil, ""
		}
		want, err := parseISOTime(v)
		if err != nil {
			return nil, "Enter a valid date/time."
		}
		return one(func(r row) bool {
			s, _ := spec.of(r).(string)
			got, err := time.Parse(time.RFC3339Nano, s)
			return err == nil && got.Equal(want)
		}), ""
	case emptyFilter:
		isNull, ok := parseBool(nullBooleanSelect, raw)
		if !ok {
			return nil, ""
		}
		return func(r row) []row {
			related, _ := spec.of(r).([]any)
			if isNull {
				if len(related) == 0 {
					return []row{r}
				}
				return nil
			}
			dup := make([]row, len(related)) // one row per related object, as the join yields
			for i := range dup {
				dup[i] = r
			}
			return dup
		}, ""
	case choiceFilter:
		if raw == "" {
			return nil, ""
		}
		if !slices.Contains(spec.choices, raw) {
			return nil, "Select a valid choice. " + raw + " is not one of the available choices."
		}
		return one(func(r row) bool { return spec.of(r) == raw }), ""
	case refFilter:
		if raw == "" {
			return nil, ""
		}
		if strings.ContainsRune(raw, 0) {
			return nil, "Null characters are not allowed."
		}
		pk, ok := pysyntax.UUID(raw)
		if !ok || !holds(spec.ref, pk) {
			return nil, "Select a valid choice. That choice is not one of the available choices."
		}
		return one(func(r row) bool { return spec.of(r) == pk }), ""
	case refsFilter:
		pks := make(map[string]bool, len(values))
		for _, v := range values {
			if strings.ContainsRune(v, 0) {
				return nil, "Null characters are not allowed."
			}
			pk, ok := pysyntax.UUID(v)
			if !ok {
				return nil, "“" + v + "” is not a valid UUID."
			}
			pks[pk] = true
		}
		for _, v := range values { // Django checks a frozenset: with several unknown values, which one it names varies
			if pk, _ := pysyntax.UUID(v); !holds(spec.ref, pk) {
				return nil, "Select a valid choice. " + v + " is not one of the available choices."
			}
		}
		return one(func(r row) bool {
			related, _ := spec.of(r).([]any)
			return slices.ContainsFunc(related, func(v any) bool { return pks[text(v)] })
		}), ""
	}
	return nil, ""
}

// parseBool reads a boolean the way each widget does; ok is false for "no filter".
func parseBool(kind filterKind, raw string) (value, ok bool) {
	if kind == boolWidget {
		raw = strings.ToLower(raw)
		switch raw {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
		return false, false
	}
	switch raw {
	case "true", "True", "2":
		return true, true
	case "false", "False", "3":
		return false, true
	}
	return false, false
}

// searchField is one of a view's search_fields, through relations
// ("created_by__username" is {"created_by", "username"}).
type searchField struct {
	path []string
	// text is the field's value as the database compares it; nil: the
	// stored string. SearchFilter's icontains casts a non-text column to
	// text (Django's PostgreSQL lookup_cast: UPPER(%s::text)).
	text func(string) string
}

// postgresTimestamp is a stored datetime as PostgreSQL's timestamptz::text
// writes it in Django's UTC session: "2030-01-01 00:00:00+00", the fraction
// without trailing zeros.
func postgresTimestamp(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format("2006-01-02 15:04:05.999999") + "+00"
}

// search is DRF's SearchFilter over the view's search_fields (default
// ["name"]): NUL characters dropped, commas as spaces, terms split on white
// space with quoted phrases kept whole (search_smart_split); every term must be
// in one of the fields, case-insensitively (icontains).
func search(rows []row, q url.Values, fields []searchField) []row {
	raw, _ := param(q, "search")
	terms := searchTerms(raw)
	if len(terms) == 0 {
		return rows
	}
	if fields == nil {
		fields = []searchField{{path: []string{"name"}}}
	}
	var out []row
	for _, r := range rows {
		var texts []string
		for _, f := range fields {
			if s, ok := value(r, f.path).(string); ok {
				if f.text != nil {
					s = f.text(s)
				}
				texts = append(texts, strings.ToLower(s))
			}
		}
		all := true
		for _, t := range terms {
			found := false
			for _, text := range texts {
				found = found || strings.Contains(text, strings.ToLower(t))
			}
			if !found {
				all = false
				break
			}
		}
		if all {
			out = append(out, r)
		}
	}
	return out
}

func searchTerms(s string) []string {
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.ReplaceAll(s, ",", " ")
	var terms []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if q := s[0]; q == '"' || q == '\'' {
			if end := strings.IndexByte(s[1:], q); end >= 0 {
				if phrase := s[1 : end+1]; phrase != "" {
					terms = append(terms, phrase)
				}
				s = s[end+2:]
				continue
			}
		}
		end := strings.IndexFunc(s, pysyntax.IsSpace)
		if end < 0 {
			end = len(s)
		}
		terms = append(terms, s[:end])
		s = s[end:]
	}
	return terms
}

// orderRows is DRF's OrderingFilter: "ordering" is split on commas, each term
// stripped, terms naming no valid field (after one optional "-") dropped, and the
// view's ordering (def: "name", "slug" for flows) used when none is left. Strings
// compare byte by byte (a database with C collation); ties keep the order
// objects were added in.
func orderRows(rows []row, q url.Values, valid map[string]bool, def string) {
	var keys []string
	if raw, ok := param(q, "ordering"); ok && raw != "" {
		for _, term := range strings.Split(raw, ",") {
			term = pysyntax.Strip(term)
			if valid[strings.TrimPrefix(term, "-")] {
				keys = append(keys, term)
			}
		}
	}
	if len(keys) == 0 {
		keys = []string{def}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		for _, k := range keys {
			field, desc := strings.TrimPrefix(k, "-"), strings.HasPrefix(k, "-")
			c := compare(rows[i].fields[field], rows[j].fields[field])
			if field == "pk" {
				c = strings.Compare(rows[i].pk, rows[j].pk)
			}
			if c != 0 {
				return (c < 0) != desc
			}
		}
		return false
	})
}

func compare(a, b any) int {
	// PostgreSQL sorts NULL after every value.
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	switch x := a.(type) {
	case string:
		y, _ := b.(string)
		return strings.Compare(x, y)
	case float64:
		y, _ := b.(float64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	case bool:
		y, _ := b.(bool)
		switch {
		case !x && y:
			return -1
		case x && !y:
			return 1
		}
	}
	return 0
}

// pageEnvelope is authentik's paginated response (authentik/api/pagination.py).
type pageEnvelope struct {
	Pagination   authentik.Pagination `json:"pagination"`
	Results      []json.RawMessage    `json:"results"`
	Autocomplete map[string]any       `json:"autocomplete"` // {} for viewsets without QL fields
}

var invalidPage = map[string]string{"detail": "Invalid page."}

// paginate is authentik's Pagination over DRF's PageNumberPagination and Django's
// Paginator:
//   - page size: no page_size parameter gives the default (authentik's
//     pagination_default_page_size); one that is not a positive integer falls
//     back to DRF's PAGE_SIZE setting, 100 (DRF get_page_size with
//     _positive_int(strict=True)); either is capped at pagination_max_page_size.
//   - page: missing or empty is 1, "last" is the last page, otherwise Python's
//     int(); not a number, below 1 or past the last page is NotFound("Invalid
//     page.") (Django's PageNotAnInteger and EmptyPage). An empty result still has
//     page 1 (allow_empty_first_page).
//   - next/previous are page numbers, 0 at the ends; start/end index are Django's
//     Page.start_index()/end_index(), 0 when the result is empty.
func (s *Server) paginate(rows []row, q url.Values) (int, any) {
	s.mu.Lock()
	def, max := s.defaultSize, s.maxSize
	s.mu.Unlock()
	size := def
	if raw, ok := param(q, "page_size"); ok {
		size = min(100, max) // DRF's PAGE_SIZE, capped
		if n, err := pysyntax.Int(raw); err == nil && n.Sign() > 0 {
			size = max
			if n.IsInt64() && n.Int64() < int64(max) {
				size = int(n.Int64())
			}
		}
	}
	count := len(rows)
	pages := 1
	if count > 0 {
		pages = (count + size - 1) / size
	}
	number := 1
	if raw, _ := param(q, "page"); raw == "last" {
		number = pages
	} else if raw != "" {
		n, err := pysyntax.Int(raw)
		if err != nil || n.Sign() < 1 || !n.IsInt64() || n.Int64() > int64(pages) {
			return http.StatusNotFound, invalidPage
		}
		number = int(n.Int64())
	}
	lo, hi := (number-1)*size, min(number*size, count)
	env := pageEnvelope{
		Pagination:   authentik.Pagination{Count: count, Current: number, TotalPages: pages},
		Results:      make([]json.RawMessage, 0, hi-lo),
		Autocomplete: map[string]any{},
	}
	for _, r := range rows[lo:hi] {
		env.Results = append(env.Results, r.body())
	}
	if number < pages {
		env.Pagination.Next = number + 1
	}
	if number > 1 {
		env.Pagination.Previous = number - 1
	}
	if count > 0 {
		env.Pagination.StartIndex = lo + 1
		env.Pagination.EndIndex = hi
	}
	return http.StatusOK, env
}
