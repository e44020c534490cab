package authentik

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/authentik-go/authentik/internal/pysyntax"
	"iter"
	"log/slog"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// invitations is the invitation collection (/api/v3/stages/invitation/invitations/).
// Invitation names are not unique (authentik/stages/invitation/models.py: a
// TextField with validate_slug only), so a lost create is found by comparing more.
var invitations = resource[Invitation]{
	path: "stages/invitation/invitations/",
	pk:   func(i *Invitation) string { return i.PK },
	advice: "invitation names are not unique: list the invitations with this name and compare " +
		"expires, flow and fixed_data before trying again",
}

// InvitationsService manages invitations. Reach it as Client.Invitations.
type InvitationsService service

// InvitationListOptions filters GET /api/v3/stages/invitation/invitations/.
// Every filter is an exact match; nil pointers and empty strings are not sent.
// The server sorts by -expires, which many invitations share (those that never
// expire): pages of a walk are separate queries, and the database may order
// ties differently in each, so set Ordering to "-expires,pk" for a walk that
// sees each invitation exactly once.
type InvitationListOptions struct {
	ListOptions
	CreatedByUsername string `url:"created_by__username,omitempty"`
	// Expires is an exact match on the instant, sent as RFC 3339 with its
	// fraction (authentik keeps microseconds; a rounded time matches nothing).
	Expires  *time.Time `url:"expires,omitempty" layout:"2006-01-02T15:04:05.999999999Z07:00"`
	FlowSlug string     `url:"flow__slug,omitempty"`
	Name     string     `url:"name,omitempty"`
}

func (o *InvitationListOptions) validate() error {
	if o == nil {
		return nil
	}
	return o.ListOptions.validate("InvitationListOptions")
}

func (o *InvitationListOptions) startPage() int {
	if o == nil {
		return 0
	}
	return o.Page
}

// InvitationRequest is the body of Create, Update and Patch (InvitationRequest
// in the schema). nil fields are not sent; Create and Update require Name.
type InvitationRequest struct {
	// Name is letters, digits, "-" and "_" (Django's validate_slug).
	Name *string
	// Expires is when the invitation stops working; Ptr(time.Time{}) sends
	// null: it never expires. A time in the past is accepted, as authentik does.
	Expires *time.Time
	// FixedData are prompt values the enrollment flow fills in; nil is not sent.
	FixedData map[string]any
	// SingleUse deletes the invitation after one use.
	SingleUse *bool
	// Flow is the UUID of the only flow that may use the invitation; Ptr("")
	// sends null: any enrollment flow may.
	Flow *string
}

func (r *InvitationRequest) check(op string) error {
	if r == nil {
		return inputErrorf("req", "req is nil; pass an *InvitationRequest")
	}
	if err := requireName(op, "InvitationRequest", r.Name); err != nil {
		return err
	}
	// DRF's CharField trims the name (Python's str.strip) before the validator runs.
	if r.Name != nil && !slugPattern.MatchString(pysyntax.Strip(*r.Name)) {
		return inputErrorf("InvitationRequest.Name", "InvitationRequest.Name %q: use letters, digits, '-' and '_' only", *r.Name)
	}
	if r.Flow != nil && *r.Flow != "" && !isUUID(*r.Flow) {
		return inputErrorf("InvitationRequest.Flow", "InvitationRequest.Flow %q is not a flow's UUID (resolve a slug with GET flows/instances/<slug>/)", *r.Flow)
	}
	return nil
}

func (r *InvitationRequest) secrets() []string { return nil }

// MarshalJSON sends the set fields, and null for a zero Expires or an empty
// Flow: that is how the API clears them.
func (r InvitationRequest) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	if r.Name != nil {
		m["name"] = *r.Name
	}
	if r.Expires != nil {
		if r.Expires.IsZero() {
			m["expires"] = nil
		} else {
			m["expires"] = r.Expires.Format(time.RFC3339Nano)
		}
	}
	if r.FixedData != nil {
		m["fixed_data"] = r.FixedData
	}
	if r.SingleUse != nil {
		m["single_use"] = *r.SingleUse
	}
	if r.Flow != nil {
		if *r.Flow == "" {
			m["flow"] = nil
		} else {
			m["flow"] = *r.Flow
		}
	}
	return json.Marshal(m)
}

// String prints the fields that are set.
func (r InvitationRequest) String() string {
	type plain InvitationRequest
	return describeRequest(plain(r))
}

// GoString is String, for %#v.
func (r InvitationRequest) GoString() string { return "authentik.InvitationRequest" + r.String() }

// LogValue is String for log/slog, whose JSON handler would otherwise write
// the fields themselves, write-only ones included.
func (r InvitationRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// InvitationEmail is what SendEmail sends (InvitationSendEmailRequest).
type InvitationEmail struct {
	To       []string // email_addresses: at least one
	CC, BCC  []string // cc_addresses, bcc_addresses
	Template string   // template; "" lets the server choose its default
}

// checked refuses, before sending, what the server would refuse or mishandle:
// no recipient, or an address that is not one bare address (RFC 5322, quoted
// local parts included; no display name). authentik itself checks no address:
// a bad one fails inside its mail task, after the 204. It returns what is
// sent: the addresses as checked, without the whitespace around them (a
// trailing newline, tab, NBSP or U+2028 would otherwise reach the mail task).
func (e *InvitationEmail) checked() (*InvitationEmail, error) {
	if e == nil || len(e.To) == 0 {
		return nil, inputErrorf("InvitationEmail.To", "InvitationEmail.To is empty; give at least one address")
	}
	out := &InvitationEmail{Template: e.Template}
	for _, list := range []struct {
		field string
		addrs []string
		into  *[]string
	}{{"To", e.To, &out.To}, {"CC", e.CC, &out.CC}, {"BCC", e.BCC, &out.BCC}} {
		for _, a := range list.addrs {
			a := strings.TrimSpace(a)
			if !bareAddress(a) {
				return nil, inputErrorf("InvitationEmail."+list.field, "InvitationEmail.%s: %q is not an email address", list.field, a)
			}
			*list.into = append(*list.into, a)
		}
	}
	return out, nil
}

// bareAddress reports whether a is one email address alone: what
// net/mail parses, written as it writes it back (quoted local parts
// included), with no display name, comment, angle brackets, group or
// surrounding space.
func bareAddress(a string) bool {
	parsed, err := mail.ParseAddress(a)
	if err != nil || parsed.Name != "" {
		return false
	}
	written := strings.TrimSuffix(strings.TrimPrefix((&mail.Address{Address: parsed.Address}).String(), "<"), ">")
	return a == parsed.Address || a == written
}

// MarshalJSON is the schema's InvitationSendEmailRequest.
func (e InvitationEmail) MarshalJSON() ([]byte, error) {
	m := map[string]any{"email_addresses": e.To}
	if len(e.CC) > 0 {
		m["cc_addresses"] = e.CC
	}
	if len(e.BCC) > 0 {
		m["bcc_addresses"] = e.BCC
	}
	if e.Template != "" {
		m["template"] = e.Template
	}
	return json.Marshal(m)
}

// List fetches one page of invitations. opts may be nil.
func (s *InvitationsService) List(ctx context.Context, opts *InvitationListOptions) (*Page[Invitation], error) {
	return list(ctx, (*service)(s).c(), invitations, opts)
}

// All walks every page of invitations, yielding each in server order; see
// EmailStagesService.All.
func (s *InvitationsService) All(ctx context.Context, opts *InvitationListOptions) iter.Seq2[Invitation, error] {
	return all(ctx, (*service)(s).c(), invitations, opts)
}

// Get fetches the invitation whose pk is the given UUID. An expired invitation
// is not found: authentik hides them.
func (s *InvitationsService) Get(ctx context.Context, pk string) (*Invitation, error) {
	return get(ctx, (*service)(s).c(), invitations, pk)
}

// Create creates an invitation (POST, 201); the server sets CreatedBy to the
// token's user. req.Name is required. A lost answer is not retried: the error
// matches ErrUnknownOutcome.
func (s *InvitationsService) Create(ctx context.Context, req *InvitationRequest) (*Invitation, error) {
	return create(ctx, (*service)(s).c(), invitations, req)
}

// Update replaces an invitation's settings (PUT). req.Name is required; fields
// left nil keep their values.
func (s *InvitationsService) Update(ctx context.Context, pk string, req *InvitationRequest) (*Invitation, error) {
	return update(ctx, (*service)(s).c(), invitations, http.MethodPut, pk, req)
}

// Patch changes only the fields of req that are set (PATCH).
func (s *InvitationsService) Patch(ctx context.Context, pk string, req *InvitationRequest) (*Invitation, error) {
	return update(ctx, (*service)(s).c(), invitations, http.MethodPatch, pk, req)
}

// Delete deletes an invitation (204).
func (s *InvitationsService) Delete(ctx context.Context, pk string) error {
	return remove(ctx, (*service)(s).c(), invitations, pk)
}

// UsedBy lists the objects that refer to the invitation.
func (s *InvitationsService) UsedBy(ctx context.Context, pk string) ([]UsedBy, error) {
	return usedBy(ctx, (*service)(s).c(), invitations, pk)
}

// SendEmail asks the server to email the invitation's enrollment link to
// email.To, copying CC and BCC; the invitation must be bound to a flow. A 204
// means the server queued the emails, not that they were delivered: authentik
// reports delivery failures in its events, not here. The route came with
// authentik 2026.5 (2026.5.4 is the first release with it); an older server
// gives an error that says so. A lost answer is not retried (the emails could
// go out twice): the error matches ErrUnknownOutcome.
func (s *InvitationsService) SendEmail(ctx context.Context, pk string, email *InvitationEmail) error {
	c := (*service)(s).c()
	if c == nil {
		return errNoCore
	}
	pk, err := checkPK(pk)
	if err != nil {
		return err
	}
	email, err = email.checked()
	if err != nil {
		return err
	}
	_, err = c.do(ctx, request{method: http.MethodPost, path: invitations.item(pk) + "send_email/", body: email,
		advice: "the email may or may not have been queued; ask the recipients before sending again"}, nil)
	var apiErr *APIError
	if errors.As(err, &apiErr) && !errors.Is(err, ErrUnknownOutcome) && (apiErr.StatusCode == http.StatusMethodNotAllowed ||
		(apiErr.StatusCode == http.StatusNotFound && apiErr.Detail != "No Invitation matches the given query.")) {
		return fmt.Errorf("%w (this authentik is too old to send invitation emails: the route came with "+
			"authentik 2026.5, first released as 2026.5.4, and 2026.8 and newer have it too; upgrade the server)", err)
	}
	return err
}

// EnrollmentURL is the link a person opens to enrol with inv:
// <install root>/if/flow/<flow slug>/?itoken=<pk>, where the install root is the
// base URL without /api/v3 (sub-path installs included). flowSlug "" uses
// inv.FlowObj's slug; an invitation bound to no flow needs one. A flowSlug
// other than the flow the invitation is bound to is refused: authentik's
// invitation stage rejects an invitation used in another flow
// (InvitationStageView.get_invite), so that link would not work.
func (s *InvitationsService) EnrollmentURL(inv *Invitation, flowSlug string) (string, error) {
	c := (*service)(s).c()
	switch {
	case c == nil:
		return "", errNoCore
	case inv == nil:
		return "", inputErrorf("inv", "inv is nil")
	}
	// inv's values came off the network: errors quote them redacted.
	red := c.redactor.text
	if !isUUID(inv.PK) {
		return "", inputErrorf("inv.PK", "inv.PK %q is not a UUID", red(inv.PK))
	}
	if inv.FlowObj != nil && inv.FlowObj.Slug != "" {
		if flowSlug != "" && flowSlug != inv.FlowObj.Slug {
			return "", inputErrorf("flowSlug", "the invitation is bound to flow %q, and authentik refuses it in flow %q: "+
				"pass \"\" or %q", red(inv.FlowObj.Slug), red(flowSlug), red(inv.FlowObj.Slug))
		}
		flowSlug = inv.FlowObj.Slug
	}
	if flowSlug == "" {
		if inv.Flow != "" {
			return "", inputErrorf("flowSlug", "the invitation is bound to flow %s but inv.FlowObj does not give its slug: "+
				"pass the slug, or use an invitation as Get returns it", red(inv.Flow))
		}
		return "", inputErrorf("flowSlug", "the invitation is bound to no flow: pass the slug of the enrollment flow to use")
	}
	// Flow.slug is a SlugField (authentik/flows/models.py): anything else, "."
	// and ".." among them, would make a link to another page.
	if !slugPattern.MatchString(flowSlug) {
		return "", inputErrorf("flowSlug", "flow slug %q is not a slug (letters, digits, '-' and '_')", red(flowSlug))
	}
	root := strings.TrimSuffix(c.base, strings.TrimPrefix(apiPrefix, "/"))
	return root + "if/flow/" + url.PathEscape(flowSlug) + "/?itoken=" + url.QueryEscape(inv.PK), nil
}
