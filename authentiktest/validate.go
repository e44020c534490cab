package authentiktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/internal/pysyntax"
)

// fieldKind is how a serializer field turns a JSON value into the model's
// value (DRF's to_internal_value plus the model field's validators).
type fieldKind int

const (
	textField      fieldKind = iota // CharField: trimmed, not blank
	blankTextField                  // CharField(allow_blank=True), from a TextField(blank=True)
	emailField                      // EmailField(max_length=254)
	intField                        // IntegerField with the database's range
	boolField                       // BooleanField
	datetimeField                   // DateTimeField
	dictField                       // authentik's JSONDictField
	refField                        // PrimaryKeyRelatedField over a UUID pk (the collection's reference)
	choiceField                     // ChoiceField, from a model field with choices
	floatField                      // FloatField
	// The list kinds: an ArrayField's ListField, a many-to-many's
	// ManyRelatedField.
	choicesField // ListField(child=ChoiceField), from ArrayField(TextField(choices=...))
	textsField   // ListField(child=CharField), from ArrayField(TextField())
	refsField    // ManyRelatedField(PrimaryKeyRelatedField), from a ManyToManyField
)

// field is one writable serializer field.
type field struct {
	name      string
	kind      fieldKind
	def       any   // the model's default for a create that leaves it out; nil: required
	min, max  int64 // intField's range
	writeOnly bool  // accepted, stored, never returned (extra_kwargs write_only)
	nullable  bool  // null is a value (allow_null): stored as nil
	// validators are the model field's validators and the serializer's
	// validate_<field>, run in order on a text field's trimmed value.
	validators []validator
	choices    []string // choiceField's and choicesField's values
	// maxLength is the CharField's max_length (the schema's maxLength), in
	// characters; 0: none.
	maxLength int
	// nonEmpty is a refsField of a many-to-many without blank=True:
	// get_relation_kwargs gives it allow_empty=False.
	nonEmpty bool
}

// validator checks a text value: "" if it is fine, else the message.
type validator func(string) string

// errs is DRF's 400 body of field errors: {"name": ["This field is required."]}.
// A field's errors are a list of messages, or for a ListField the messages of
// each bad item by its index (ListField.run_child_validation).
type errs map[string]any

// parseBody reads a write's body as authentik's parsers do (settings.py
// DEFAULT_PARSER_CLASSES: drf_orjson_renderer's ORJSONParser only). It returns
// the object, or the status and body to answer with.
func parseBody(r *http.Request, body []byte) (map[string]any, int, any) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, 0, nil // DRF's Request._parse: no content is an empty QueryDict
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		// DRF's UnsupportedMediaType: JSON is the only parser.
		return nil, http.StatusUnsupportedMediaType, detail(fmt.Sprintf("Unsupported media type %q in request.", r.Header.Get("Content-Type")))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		// ORJSONParser raises ParseError(f"JSON parse error - {exc}"); the text
		// after the dash is orjson's, which Go's decoder cannot reproduce.
		return nil, http.StatusBadRequest, detail("JSON parse error - " + jsonErrorText(err))
	}
	switch obj := v.(type) {
	case map[string]any:
		return obj, 0, nil
	case nil:
		// Serializer.errors for data None.
		return nil, http.StatusBadRequest, errs{"non_field_errors": []string{"No data provided"}}
	default:
		// Serializer.to_internal_value: "Invalid data. Expected a dictionary, but got {datatype}."
		return nil, http.StatusBadRequest, errs{"non_field_errors": []string{"Invalid data. Expected a dictionary, but got " + pyType(v) + "."}}
	}
}

func jsonErrorText(err error) string {
	if err == nil {
		return "unexpected content after document"
	}
	return err.Error()
}

// pyStr is Python's str() of a decoded JSON value, as DRF formats a value
// into a message.
func pyStr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	case json.Number:
		if !strings.ContainsAny(string(x), ".eE") {
			return string(x)
		}
		f, err := x.Float64()
		if err != nil {
			return "inf"
		}
		return pyFloat(f)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // Python keeps the JSON's order, which the decoded map has lost
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyRepr(k) + ": " + pyRepr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyRepr is Python's repr() of a decoded JSON value: strings quoted.
func pyRepr(v any) string {
	if s, ok := v.(string); ok {
		return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
	}
	return pyStr(v)
}

// pyFloat is Python's repr() of a float: the shortest digits, positional
// from 1e-4 up to 1e16 (with ".0" when whole), else with an exponent.
func pyFloat(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// pyType is the Python type name of a decoded JSON value.
func pyType(v any) string {
	switch x := v.(type) {
	case []any:
		return "list"
	case string:
		return "str"
	case bool:
		return "bool"
	case json.Number:
		if strings.ContainsAny(string(x), ".eE") {
			return "float"
		}
		return "int"
	}
	return "dict"
}

// validate is Serializer.is_valid over fields: data is the request's object,
// current the stored object (nil for a create). A create fills left-out fields
// with the model's defaults; a PUT (partial false) requires the required fields
// and keeps the others as they were (DRF's UpdateModelMixin saves only
// validated_data); a PATCH validates only what was sent. Unknown and read-only
// keys are ignored, as DRF does.
func validate(fields []field, data, current map[string]any, partial bool, exists func(field, pk string) bool) (map[string]any, errs) {
	out := map[string]any{}
	bad := errs{}
	for _, f := range fields {
		raw, sent := data[f.name]
		if !sent {
			switch {
			case f.def == nil && !f.nullable && !partial:
				bad[f.name] = []string{"This field is required."}
			case current == nil:
				out[f.name] = f.def
			}
			continue
		}
		if f.kind >= choicesField {
			v, detail := cleanList(f, raw, exists)
			if detail != nil {
				bad[f.name] = detail
				continue
			}
			out[f.name] = v
			continue
		}
		v, msg := clean(f, raw, exists)
		if msg != "" {
			bad[f.name] = []string{msg}
			continue
		}
		out[f.name] = v
	}
	return out, bad
}

// clean converts one value, or says why not, with DRF's messages
// (rest_framework/fields.py default_error_messages), then runs the field's
// validators.
func clean(f field, raw any, exists func(field, pk string) bool) (any, string) {
	if raw == nil {
		if f.nullable {
			return nil, ""
		}
		return nil, "This field may not be null."
	}
	switch f.kind {
	case dictField:
		// authentik/core/api/utils.py is_dict.
		if m, ok := raw.(map[string]any); ok {
			return m, "" // its json.Numbers are stored as float64s (newRow)
		}
		return nil, "Value must be a dictionary, and not have any duplicate keys."
	case refField:
		// DRF's PrimaryKeyRelatedField over a UUIDField pk: Django's message
		// for what is not a UUID, DRF's for an unknown one.
		switch x := raw.(type) {
		case bool:
			return nil, "Incorrect type. Expected pk value, received bool."
		case string:
			pk, ok := pysyntax.UUID(x)
			if !ok {
				return nil, "“" + x + "” is not a valid UUID."
			}
			if !exists(f.name, pk) {
				return nil, `Invalid pk "` + x + `" - object does not exist.`
			}
			return pk, ""
		case json.Number:
			return nil, `Invalid pk "` + string(x) + `" - object does not exist.`
		}
		return nil, "“" + pyStr(raw) + "” is not a valid UUID."
	case choiceField:
		// DRF's ChoiceField.to_internal_value: str(data) must be a choice
		// (no blank: the model fields have no blank=True).
		if v := pyStr(raw); slices.Contains(f.choices, v) {
			return v, ""
		}
		return nil, `"` + pyStr(raw) + `" is not a valid choice.`
	case datetimeField:
		// DRF's DateTimeField with Django 5.2's parse_datetime
		// (datetime.fromisoformat first): ISO 8601, a date alone is midnight;
		// naive times are UTC; answers are UTC with "Z".
		x, ok := raw.(string)
		if t, err := parseISOTime(x); ok && err == nil {
			return drfDateTime(t), ""
		}
		return nil, "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
	}
	switch f.kind {
	case boolField:
		if b, ok := drfBool(raw); ok {
			return b, ""
		}
		return nil, "Must be a valid boolean."
	case floatField:
		// FloatField.to_internal_value is Python's float(data): numbers,
		// numeric text (stripped) and booleans; rest_framework/fields.py.
		var f float64
		var err error
		switch x := raw.(type) {
		case json.Number:
			f, err = strconv.ParseFloat(string(x), 64)
		case string:
			// Python's float() reads no hex ("0x1p3"), which Go's parser does.
			if t := strings.ToLower(pysyntax.Strip(x)); strings.Contains(t, "x") || len(t) > 1000 {
				err = strconv.ErrSyntax
			} else {
				f, err = strconv.ParseFloat(t, 64)
			}
		case bool:
			if x {
				f = 1
			}
		default:
			err = strconv.ErrSyntax
		}
		// An infinity or NaN ("inf", "nan") is refused: float() reads
		// them, but no JSON answer can carry them back (the fake would
		// send broken JSON), and authentik's fields hold finite factors.
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, "A valid number is required."
		}
		return f, ""
	case intField:
		n, ok := drfInt(raw)
		if !ok {
			return nil, "A valid integer is required."
		}
		if !n.IsInt64() || n.Int64() > f.max {
			return nil, fmt.Sprintf("Ensure this value is less than or equal to %d.", f.max)
		}
		if n.Int64() < f.min {
			return nil, fmt.Sprintf("Ensure this value is greater than or equal to %d.", f.min)
		}
		return n.Int64(), ""
	}
	// The CharField family: bool and containers are refused, numbers become
	// their text, then white space is trimmed (trim_whitespace=True).
	var s string
	switch x := raw.(type) {
	case string:
		s = x
	case json.Number:
		s = string(x)
	default:
		return nil, "Not a valid string."
	}
	s = pysyntax.Strip(s)
	if strings.ContainsRune(s, 0) {
		return nil, "Null characters are not allowed."
	}
	if s == "" && f.kind != blankTextField {
		return nil, "This field may not be blank."
	}
	if f.maxLength > 0 && utf8.RuneCountInString(s) > f.maxLength {
		return nil, fmt.Sprintf("Ensure this field has no more than %d characters.", f.maxLength)
	}
	if f.kind == emailField {
		if !isEmail(s) {
			return nil, "Enter a valid email address."
		}
	}
	for _, check := range f.validators {
		if msg := check(s); msg != "" {
			return nil, msg
		}
	}
	return s, ""
}

// cleanList converts a list field's value (rest_framework/fields.py
// ListField.to_internal_value and run_child_validation; relations.py
// ManyRelatedField.to_internal_value), returning its errors: a list of
// messages, or for a ListField the messages of each bad item by its index.
func cleanList(f field, raw any, exists func(field, pk string) bool) (any, any) {
	if raw == nil {
		if f.nullable {
			return nil, nil
		}
		return nil, []string{"This field may not be null."}
	}
	items, ok := raw.([]any)
	if !ok {
		return nil, []string{`Expected a list of items but got type "` + pyType(raw) + `".`}
	}
	if len(items) == 0 && f.nonEmpty {
		return nil, []string{"This list may not be empty."}
	}
	out := make([]any, 0, len(items))
	if f.kind == refsField {
		// The first bad pk raises: ManyRelatedField has no per-item errors.
		// Each item goes straight to PrimaryKeyRelatedField.to_internal_value
		// (a null one is looked up as pk None); a pk given twice is one link,
		// as ManyRelatedManager.set() stores it.
		one := field{name: f.name, kind: refField}
		seen := map[any]bool{}
		for _, item := range items {
			if item == nil {
				return nil, []string{`Invalid pk "None" - object does not exist.`}
			}
			v, msg := clean(one, item, exists)
			if msg != "" {
				return nil, []string{msg}
			}
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		return out, nil
	}
	child := field{name: f.name, kind: textField, choices: f.choices}
	if f.kind == choicesField {
		child.kind = choiceField
	}
	bad := map[string][]string{}
	for i, item := range items {
		v, msg := clean(child, item, exists)
		if msg != "" {
			bad[strconv.Itoa(i)] = []string{msg}
			continue
		}
		out = append(out, v)
	}
	if len(bad) > 0 {
		return nil, bad
	}
	return out, nil
}

// validateSlug is Django's validate_slug (django/core/validators.py).
func validateSlug(s string) string {
	if slugPattern.MatchString(s) {
		return ""
	}
	return "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."
}

// slugPattern is validate_slug's pattern.
var slugPattern = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)

// timedeltaString is authentik's timedelta_string_validator
// (authentik/lib/utils/time.py).
func timedeltaString(s string) string {
	if _, err := authentik.ParseTokenExpiry(s); err != nil {
		return s + " is not in the correct format of 'hours=3;minutes=1'."
	}
	return ""
}

// drfDateTime is DateTimeField.to_representation: Python's isoformat() in
// UTC, microseconds as six digits when there are any, "+00:00" as "Z".
func drfDateTime(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05.000000Z")
}

// parseISOTime reads what Python's datetime.fromisoformat reads for the
// common forms: a date, a date and time with optional fraction and offset.
func parseISOTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02T15:04Z07:00",
		"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not an ISO 8601 time: %q", s)
}

// drfBool is BooleanField.to_internal_value: its TRUE_VALUES and FALSE_VALUES.
func drfBool(raw any) (bool, bool) {
	switch x := raw.(type) {
	case bool:
		return x, true
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		switch {
		case err == nil && f == 1:
			return true, true
		case err == nil && f == 0:
			return false, true
		}
	case string:
		switch x {
		case "t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1":
			return true, true
		case "f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0":
			return false, true
		}
	}
	return false, false
}

// trailingZeros is IntegerField's re_decimal: "12.0" and 12.0 are 12.
var trailingZeros = regexp.MustCompile(`\.0*\s*$`)

// drfInt is IntegerField.to_internal_value: int(re_decimal.sub(”, str(data))).
func drfInt(raw any) (*big.Int, bool) {
	var s string
	switch x := raw.(type) {
	case json.Number:
		s = string(x)
	case string:
		if len(x) > 1000 {
			return nil, false
		}
		s = x
	default:
		return nil, false
	}
	n, err := pysyntax.Int(trailingZeros.ReplaceAllString(s, ""))
	return n, err == nil
}

// emailUser and emailDomain are Django's EmailValidator (django/core/validators.py):
// a dot-atom or quoted user part, and a domain of hostname labels with a
// top-level label of letters, digits or hyphens, or a literal IP in brackets.
var (
	emailUser   = regexp.MustCompile(`(?i)^([-!#$%&'*+/=?^_` + "`" + `{}|~0-9a-z]+(\.[-!#$%&'*+/=?^_` + "`" + `{}|~0-9a-z]+)*|"([\x01-\x08\x0b\x0c\x0e-\x1f!#-\[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0d-\x7f])*")$`)
	emailDomain = regexp.MustCompile(`(?i)^((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}|localhost|\[[0-9a-f:.]+\])$`)
)

func isEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	domain := s[at+1:]
	return emailUser.MatchString(s[:at]) && emailDomain.MatchString(domain) && !strings.HasSuffix(domain, "-")
}

func detail(msg string) map[string]string { return map[string]string{"detail": msg} }
