package authentik

import (
	"context"
	"log/slog"
	"math"
	"net/http"
)

// EmailStageRequest is the body of Create, Update and Patch (EmailStageRequest
// in the schema). Every field is a pointer; nil is not sent. Create and Update
// require Name. Printing it (%v, %+v, %#v) never shows the password.
type EmailStageRequest struct {
	Name *string `json:"name,omitempty"`
	// UseGlobalSettings makes the stage use the global email settings and
	// ignore the connection fields below.
	UseGlobalSettings *bool   `json:"use_global_settings,omitempty"`
	Host              *string `json:"host,omitempty"`     // the SMTP server
	Port              *int    `json:"port,omitempty"`     // the SMTP port
	Username          *string `json:"username,omitempty"` // the SMTP login
	// Password is write-only: the server never returns it, and the SDK never
	// puts it in an error, a log record or a printed value.
	Password    *string `json:"password,omitempty"`
	UseTLS      *bool   `json:"use_tls,omitempty"` // STARTTLS on a plain connection
	UseSSL      *bool   `json:"use_ssl,omitempty"` // TLS from the first byte
	Timeout     *int    `json:"timeout,omitempty"` // the SMTP connection timeout, in seconds
	FromAddress *string `json:"from_address,omitempty"`
	// TokenExpiry is in authentik's duration syntax ("minutes=30"), checked
	// with ParseTokenExpiry before sending.
	TokenExpiry           *string `json:"token_expiry,omitempty"`
	Subject               *string `json:"subject,omitempty"`
	Template              *string `json:"template,omitempty"`
	ActivateUserOnSuccess *bool   `json:"activate_user_on_success,omitempty"`
	RecoveryMaxAttempts   *int    `json:"recovery_max_attempts,omitempty"`
	// RecoveryCacheTimeout has TokenExpiry's syntax and check.
	RecoveryCacheTimeout *string `json:"recovery_cache_timeout,omitempty"`
}

// check is what the SDK knows is wrong before sending, naming the field.
func (r *EmailStageRequest) check(op string) error {
	if r == nil {
		return inputErrorf("req", "req is nil; pass an *EmailStageRequest")
	}
	if err := requireName(op, "EmailStageRequest", r.Name); err != nil {
		return err
	}
	for _, d := range []struct {
		field string
		value *string
	}{{"TokenExpiry", r.TokenExpiry}, {"RecoveryCacheTimeout", r.RecoveryCacheTimeout}} {
		if d.value == nil {
			continue
		}
		if _, err := ParseTokenExpiry(*d.value); err != nil {
			return inputErrorf("EmailStageRequest."+d.field, "EmailStageRequest.%s: %v", d.field, trimPrefix(err))
		}
	}
	// The schema's ranges: the database's integer, and a PositiveIntegerField.
	for _, n := range []struct {
		field    string
		value    *int
		min, max int64
	}{{"Port", r.Port, math.MinInt32, math.MaxInt32}, {"Timeout", r.Timeout, math.MinInt32, math.MaxInt32},
		{"RecoveryMaxAttempts", r.RecoveryMaxAttempts, 0, math.MaxInt32}} {
		if n.value != nil && (int64(*n.value) < n.min || int64(*n.value) > n.max) {
			return inputErrorf("EmailStageRequest."+n.field, "EmailStageRequest.%s is %d, outside %d..%d", n.field, *n.value, n.min, n.max)
		}
	}
	return nil
}

func (r *EmailStageRequest) secrets() []string {
	if r == nil || r.Password == nil {
		return nil
	}
	return []string{*r.Password}
}

// String prints the request with the password, when set, as [REDACTED].
func (r EmailStageRequest) String() string {
	type plain EmailStageRequest // no methods: no recursion
	p := plain(r)
	if p.Password != nil {
		p.Password = Ptr(redacted)
	}
	return describeRequest(p)
}

// GoString is String, so %#v does not show the password either.
func (r EmailStageRequest) GoString() string { return "authentik.EmailStageRequest" + r.String() }

// LogValue is String for log/slog, whose JSON handler would otherwise write
// the fields themselves, write-only ones included.
func (r EmailStageRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// Templates lists the email templates the server offers for EmailStage.Template.
func (s *EmailStagesService) Templates(ctx context.Context) ([]EmailTemplate, error) {
	c := (*service)(s).c()
	if c == nil {
		return nil, errNoCore
	}
	var out []EmailTemplate
	if _, err := c.do(ctx, request{method: http.MethodGet, path: emailStages.path + "templates/"}, &out); err != nil {
		return nil, err
	}
	return out, nil
}
