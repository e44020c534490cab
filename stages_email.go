package authentik

import (
	"context"
	"iter"
)

// emailStagesPath is the email stage collection, relative to /api/v3/.
const emailStagesPath = "stages/email/"

// emailStages is the EmailStage collection and its wire type.
var emailStages = resource[EmailStage, wireEmailStage]{path: emailStagesPath, public: (*wireEmailStage).public,
	pk: func(s *EmailStage) string { return s.PK }}

// EmailStagesService lists authentik's email stages. Reach it as Client.EmailStages.
type EmailStagesService struct{ core *core }

// EmailStageListOptions filters GET /api/v3/stages/email/. Every filter is an
// exact match; nil pointers and empty strings are not sent.
type EmailStageListOptions struct {
	ListOptions
	ActivateUserOnSuccess *bool  `url:"activate_user_on_success,omitempty"`
	FromAddress           string `url:"from_address,omitempty"`
	Host                  string `url:"host,omitempty"`
	Name                  string `url:"name,omitempty"`
	Port                  *int   `url:"port,omitempty"`
	Subject               string `url:"subject,omitempty"`
	Template              string `url:"template,omitempty"`
	Timeout               *int   `url:"timeout,omitempty"`
	TokenExpiry           string `url:"token_expiry,omitempty"`
	UseGlobalSettings     *bool  `url:"use_global_settings,omitempty"`
	UseSSL                *bool  `url:"use_ssl,omitempty"`
	UseTLS                *bool  `url:"use_tls,omitempty"`
	Username              string `url:"username,omitempty"`
}

func (o *EmailStageListOptions) validate() error {
	if o == nil {
		return nil
	}
	return o.ListOptions.validate("EmailStageListOptions")
}

func (o *EmailStageListOptions) startPage() int {
	if o == nil {
		return 0
	}
	return o.Page
}

// List fetches one page of email stages. opts may be nil.
func (s *EmailStagesService) List(ctx context.Context, opts *EmailStageListOptions) (*Page[EmailStage], error) {
	return listPage(ctx, s.c(), emailStages, opts)
}

// All walks every page of email stages from opts.Page (or the first), yielding
// each stage in server order. The first error is yielded once, as (zero, err),
// and ends the walk; breaking out of the loop stops it. No request is made until
// the loop starts, and each range starts over.
func (s *EmailStagesService) All(ctx context.Context, opts *EmailStageListOptions) iter.Seq2[EmailStage, error] {
	return allPages(ctx, s.c(), emailStages, opts)
}

// c is the service's request path; nil for a service NewClient did not make,
// which the shared plumbing turns into an error.
func (s *EmailStagesService) c() *core {
	if s == nil {
		return nil
	}
	return s.core
}
