// Command apicheck compiles against every exported name and signature of the
// SDK's public surface, from a module of its own, as users' code does.
// api_test.go builds it; a change that breaks it breaks users.
package main

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

var (
	_ func(string, string, ...authentik.Option) (*authentik.Client, error) = authentik.NewClient
	_ func(...authentik.Option) (*authentik.Client, error)                 = authentik.NewClientFromEnv

	_ func(*http.Client) authentik.Option                 = authentik.WithHTTPClient
	_ func(int) authentik.Option                          = authentik.WithRetryMax
	_ func(time.Duration, time.Duration) authentik.Option = authentik.WithRetryWait
	_ func(string) authentik.Option                       = authentik.WithUserAgent
	_ func(*slog.Logger) authentik.Option                 = authentik.WithLogger
	_ func() authentik.Option                             = authentik.WithInsecureHTTP
	_ func(int) authentik.Option                          = authentik.WithPrefetch
	_ func(time.Duration) authentik.Option                = authentik.WithTimeout
	_ func(int64) authentik.Option                        = authentik.WithMaxResponseBytes

	_ func(context.Context, *authentik.EmailStageListOptions) (*authentik.Page[authentik.EmailStage], error)           = (*authentik.EmailStagesService)(nil).List
	_ func(context.Context, *authentik.EmailStageListOptions) iter.Seq2[authentik.EmailStage, error]                   = (*authentik.EmailStagesService)(nil).All
	_ func(context.Context, *authentik.InvitationStageListOptions) (*authentik.Page[authentik.InvitationStage], error) = (*authentik.InvitationStagesService)(nil).List
	_ func(context.Context, *authentik.InvitationStageListOptions) iter.Seq2[authentik.InvitationStage, error]         = (*authentik.InvitationStagesService)(nil).All

	_ func(context.Context, string) (*authentik.EmailStage, error)      = (*authentik.EmailStagesService)(nil).Get
	_ func(context.Context, string) (*authentik.InvitationStage, error) = (*authentik.InvitationStagesService)(nil).Get

	_ func(...authentiktest.Option) *authentiktest.Server = authentiktest.NewServer
	_ func()                                              = (*authentiktest.Server)(nil).Close
	_ func(...authentik.Option) *authentik.Client         = (*authentiktest.Server)(nil).Client
	_ func(...authentik.EmailStage)                       = (*authentiktest.Server)(nil).AddEmailStages
	_ func(...authentik.InvitationStage)                  = (*authentiktest.Server)(nil).AddInvitationStages
	_ func() int                                          = (*authentiktest.Server)(nil).Requests
	_ func(n, status int, retryAfter time.Duration)       = (*authentiktest.Server)(nil).FailNext
	_ func() authentiktest.Option                         = authentiktest.WithDemoData
	_ func(time.Duration) authentiktest.Option            = authentiktest.WithLatency
	_ func(string) authentiktest.Option                   = authentiktest.WithToken
	_ func(def, max int) authentiktest.Option             = authentiktest.WithPageSizes
	_ authentiktest.Option                                = func(*authentiktest.Server) {}
	_                                                     = authentiktest.Server{URL: "", Token: ""}

	// Additions: writes, invitations, any endpoint, the fake's write support.
	_ func(context.Context, *authentik.EmailStageRequest) (*authentik.EmailStage, error)         = (*authentik.EmailStagesService)(nil).Create
	_ func(context.Context, string, *authentik.EmailStageRequest) (*authentik.EmailStage, error) = (*authentik.EmailStagesService)(nil).Update
	_ func(context.Context, string, *authentik.EmailStageRequest) (*authentik.EmailStage, error) = (*authentik.EmailStagesService)(nil).Patch
	_ func(context.Context, string) error                                                        = (*authentik.EmailStagesService)(nil).Delete
	_ func(context.Context, string) ([]authentik.UsedBy, error)                                  = (*authentik.EmailStagesService)(nil).UsedBy
	_ func(context.Context) ([]authentik.EmailTemplate, error)                                   = (*authentik.EmailStagesService)(nil).Templates

	_ func(context.Context, *authentik.InvitationStageRequest) (*authentik.InvitationStage, error)         = (*authentik.InvitationStagesService)(nil).Create
	_ func(context.Context, string, *authentik.InvitationStageRequest) (*authentik.InvitationStage, error) = (*authentik.InvitationStagesService)(nil).Update
	_ func(context.Context, string, *authentik.InvitationStageRequest) (*authentik.InvitationStage, error) = (*authentik.InvitationStagesService)(nil).Patch
	_ func(context.Context, string) error                                                                  = (*authentik.InvitationStagesService)(nil).Delete
	_ func(context.Context, string) ([]authentik.UsedBy, error)                                            = (*authentik.InvitationStagesService)(nil).UsedBy

	_ func(context.Context, *authentik.InvitationListOptions) (*authentik.Page[authentik.Invitation], error) = (*authentik.InvitationsService)(nil).List
	_ func(context.Context, *authentik.InvitationListOptions) iter.Seq2[authentik.Invitation, error]         = (*authentik.InvitationsService)(nil).All
	_ func(context.Context, string) (*authentik.Invitation, error)                                           = (*authentik.InvitationsService)(nil).Get
	_ func(context.Context, *authentik.InvitationRequest) (*authentik.Invitation, error)                     = (*authentik.InvitationsService)(nil).Create
	_ func(context.Context, string, *authentik.InvitationRequest) (*authentik.Invitation, error)             = (*authentik.InvitationsService)(nil).Update
	_ func(context.Context, string, *authentik.InvitationRequest) (*authentik.Invitation, error)             = (*authentik.InvitationsService)(nil).Patch
	_ func(context.Context, string) error                                                                    = (*authentik.InvitationsService)(nil).Delete
	_ func(context.Context, string) ([]authentik.UsedBy, error)                                              = (*authentik.InvitationsService)(nil).UsedBy
	_ func(context.Context, string, *authentik.InvitationEmail) error                                        = (*authentik.InvitationsService)(nil).SendEmail
	_ func(*authentik.Invitation, string) (string, error)                                                    = (*authentik.InvitationsService)(nil).EnrollmentURL

	_ func(context.Context, string, string, any, any, any) (*authentik.Response, error)                 = (*authentik.Client)(nil).Do
	_ func(context.Context, *authentik.Client, string, any) (*authentik.Page[authentik.FlowSet], error) = authentik.List[authentik.FlowSet]
	_ func(context.Context, *authentik.Client, string, any) iter.Seq2[authentik.FlowSet, error]         = authentik.All[authentik.FlowSet]

	_ func() []authentiktest.Request                                  = (*authentiktest.Server)(nil).RequestLog
	_ func() []authentik.EmailStage                                   = (*authentiktest.Server)(nil).EmailStages
	_ func() []authentik.InvitationStage                              = (*authentiktest.Server)(nil).InvitationStages
	_ func() []authentik.Invitation                                   = (*authentiktest.Server)(nil).Invitations
	_ func(...authentik.Invitation)                                   = (*authentiktest.Server)(nil).AddInvitations
	_ func(testing.TB, ...authentiktest.Option) *authentiktest.Server = authentiktest.Start

	_ func(string) (time.Duration, error) = authentik.ParseTokenExpiry
	_ func(int) *int                      = authentik.Ptr[int]
	_ func() string                       = (*authentik.APIError)(nil).Error
)

func main() {
	var c authentik.Client
	var _ *authentik.EmailStagesService = c.EmailStages
	var _ *authentik.InvitationStagesService = c.InvitationStages

	_ = authentik.EmailStageListOptions{
		ListOptions:           authentik.ListOptions{Ordering: "name", Page: 1, PageSize: 20, Search: "x"},
		ActivateUserOnSuccess: authentik.Ptr(true), FromAddress: "", Host: "", Name: "", Port: authentik.Ptr(25),
		Subject: "", Template: "", Timeout: authentik.Ptr(10), TokenExpiry: "", UseGlobalSettings: authentik.Ptr(false),
		UseSSL: authentik.Ptr(false), UseTLS: authentik.Ptr(false), Username: "",
	}
	_ = authentik.InvitationStageListOptions{
		ListOptions:                   authentik.ListOptions{},
		ContinueFlowWithoutInvitation: authentik.Ptr(false), Name: "", NoFlows: authentik.Ptr(true), StageUUID: "",
	}

	var p authentik.Pagination = authentik.Pagination{Next: 0, Previous: 0, Count: 0, Current: 1, TotalPages: 1, StartIndex: 0, EndIndex: 0}
	_ = authentik.Page[authentik.EmailStage]{Pagination: p, Results: []authentik.EmailStage{}}

	f := authentik.FlowSet{
		PK: "", PolicyBindingModelPtrID: "", Name: "", Slug: "", Title: "",
		Designation: authentik.FlowDesignationAuthentication, Background: "",
		PolicyEngineMode: authentik.PolicyEngineModeAll, CompatibilityMode: false, ExportURL: "",
		Layout: authentik.FlowLayoutStacked, DeniedAction: authentik.DeniedActionMessageContinue,
	}
	_ = authentik.EmailStage{
		PK: "", Name: "", Component: "", VerboseName: "", VerboseNamePlural: "", MetaModelName: "",
		FlowSet: []authentik.FlowSet{f}, UseGlobalSettings: true, Host: "", Port: 25, Username: "",
		UseTLS: false, UseSSL: false, Timeout: 10, FromAddress: "", TokenExpiry: "minutes=30",
		Subject: "", Template: "", ActivateUserOnSuccess: true, RecoveryMaxAttempts: 5, RecoveryCacheTimeout: "minutes=5",
	}
	_ = authentik.InvitationStage{
		PK: "", Name: "", Component: "", VerboseName: "", VerboseNamePlural: "", MetaModelName: "",
		FlowSet: nil, ContinueFlowWithoutInvitation: false,
	}

	_ = []authentik.FlowDesignation{
		authentik.FlowDesignationAuthentication, authentik.FlowDesignationAuthorization,
		authentik.FlowDesignationInvalidation, authentik.FlowDesignationEnrollment,
		authentik.FlowDesignationUnenrollment, authentik.FlowDesignationRecovery,
		authentik.FlowDesignationStageConfiguration,
	}
	_ = []authentik.PolicyEngineMode{authentik.PolicyEngineModeAll, authentik.PolicyEngineModeAny}
	_ = []authentik.FlowLayout{
		authentik.FlowLayoutStacked, authentik.FlowLayoutContentLeft, authentik.FlowLayoutContentRight,
		authentik.FlowLayoutSidebarLeft, authentik.FlowLayoutSidebarRight,
		authentik.FlowLayoutSidebarLeftFrameBackground, authentik.FlowLayoutSidebarRightFrameBackground,
	}
	_ = []authentik.DeniedAction{authentik.DeniedActionMessageContinue, authentik.DeniedActionMessage, authentik.DeniedActionContinue}
	var _ string = string(authentik.FlowLayoutStacked)

	e := &authentik.APIError{StatusCode: 403, Method: "GET", URL: "", Detail: "", Code: "", Body: []byte{}}
	var err error = e
	_ = errors.Is(err, authentik.ErrUnauthorized) || errors.Is(err, authentik.ErrForbidden) ||
		errors.Is(err, authentik.ErrNotFound) || errors.Is(err, authentik.ErrRateLimited)

	var opt authentik.Option = authentik.WithInsecureHTTP()
	_ = opt

	_ = e.Header.Get("Retry-After")
	var fields map[string][]string = e.Fields
	_ = fields
	_ = errors.Is(err, authentik.ErrValidation) || errors.Is(err, authentik.ErrUnknownOutcome)

	_ = authentik.EmailStageRequest{Name: authentik.Ptr(""), UseGlobalSettings: authentik.Ptr(true), Host: authentik.Ptr(""),
		Port: authentik.Ptr(25), Username: authentik.Ptr(""), Password: authentik.Ptr(""), UseTLS: authentik.Ptr(true),
		UseSSL: authentik.Ptr(false), Timeout: authentik.Ptr(10), FromAddress: authentik.Ptr(""), TokenExpiry: authentik.Ptr(""),
		Subject: authentik.Ptr(""), Template: authentik.Ptr(""), ActivateUserOnSuccess: authentik.Ptr(true),
		RecoveryMaxAttempts: authentik.Ptr(5), RecoveryCacheTimeout: authentik.Ptr("")}
	_ = authentik.InvitationStageRequest{Name: authentik.Ptr(""), ContinueFlowWithoutInvitation: authentik.Ptr(true)}
	_ = authentik.UsedBy{App: "", ModelName: "", PK: "", Name: "", Action: authentik.UsedByActionCascade}
	_ = []authentik.UsedByAction{authentik.UsedByActionCascade, authentik.UsedByActionCascadeMany, authentik.UsedByActionSetNull,
		authentik.UsedByActionSetDefault, authentik.UsedByActionLeftDangling}
	_ = authentik.EmailTemplate{Name: "", Description: ""}

	var _ *authentik.InvitationsService = c.Invitations
	exp := time.Now()
	_ = authentik.InvitationListOptions{ListOptions: authentik.ListOptions{}, CreatedByUsername: "", Expires: &exp, FlowSlug: "", Name: ""}
	flow := &authentik.Flow{FlowSet: f, Stages: []string{}, Policies: []string{}, CacheCount: 0,
		Authentication: authentik.FlowAuthenticationNone}
	_ = flow.Slug
	_ = []authentik.FlowAuthentication{authentik.FlowAuthenticationNone, authentik.FlowAuthenticationRequireAuthenticated,
		authentik.FlowAuthenticationRequireUnauthenticated, authentik.FlowAuthenticationRequireSuperuser,
		authentik.FlowAuthenticationRequireRedirect, authentik.FlowAuthenticationRequireOutpost, authentik.FlowAuthenticationRequireToken}
	_ = authentik.Invitation{PK: "", Name: "", Expires: &exp, FixedData: map[string]any{}, SingleUse: true, Flow: "", FlowObj: flow,
		CreatedBy: authentik.PartialUser{PK: 1, Username: "", Name: "", IsActive: true, LastLogin: &exp, Email: "",
			Attributes: map[string]any{}, UID: ""}}
	_ = authentik.InvitationRequest{Name: authentik.Ptr(""), Expires: authentik.Ptr(time.Time{}), FixedData: map[string]any{},
		SingleUse: authentik.Ptr(true), Flow: authentik.Ptr("")}
	_ = authentik.InvitationEmail{To: []string{}, CC: []string{}, BCC: []string{}, Template: ""}
	_ = authentik.Response{StatusCode: 200, Header: http.Header{}}
	_ = authentiktest.Request{Method: "", Path: "", Query: nil, Body: nil}

	// Round 3: flows and bindings, ErrUnavailable.
	var _ *authentik.FlowsService = c.Flows
	var _ *authentik.FlowStageBindingsService = c.FlowStageBindings
	_ = errors.Is(err, authentik.ErrUnavailable)
	var fl func(context.Context, *authentik.FlowListOptions) (*authentik.Page[authentik.Flow], error) = c.Flows.List
	var fa func(context.Context, *authentik.FlowListOptions) iter.Seq2[authentik.Flow, error] = c.Flows.All
	var fg func(context.Context, string) (*authentik.Flow, error) = c.Flows.Get
	var fc func(context.Context, *authentik.FlowRequest) (*authentik.Flow, error) = c.Flows.Create
	var fu func(context.Context, string, *authentik.FlowRequest) (*authentik.Flow, error) = c.Flows.Update
	var fp func(context.Context, string, *authentik.FlowRequest) (*authentik.Flow, error) = c.Flows.Patch
	var fd func(context.Context, string) error = c.Flows.Delete
	var fub func(context.Context, string) ([]authentik.UsedBy, error) = c.Flows.UsedBy
	_, _, _, _, _, _, _, _ = fl, fa, fg, fc, fu, fp, fd, fub
	_ = authentik.FlowListOptions{ListOptions: authentik.ListOptions{}, Designation: authentik.FlowDesignationRecovery, Slug: "", Name: ""}
	_ = authentik.FlowRequest{Name: authentik.Ptr(""), Slug: authentik.Ptr(""), Title: authentik.Ptr(""),
		Designation: authentik.Ptr(authentik.FlowDesignationRecovery), Background: authentik.Ptr(""),
		Authentication: authentik.Ptr(authentik.FlowAuthenticationNone), Layout: authentik.Ptr(authentik.FlowLayoutStacked),
		PolicyEngineMode: authentik.Ptr(authentik.PolicyEngineModeAny), DeniedAction: authentik.Ptr(authentik.DeniedActionMessage),
		CompatibilityMode: authentik.Ptr(true)}
	var bl func(context.Context, *authentik.FlowStageBindingListOptions) (*authentik.Page[authentik.FlowStageBinding], error) = c.FlowStageBindings.List
	var bc func(context.Context, *authentik.FlowStageBindingRequest) (*authentik.FlowStageBinding, error) = c.FlowStageBindings.Create
	var bd func(context.Context, string) error = c.FlowStageBindings.Delete
	_, _, _ = bl, bc, bd
	_ = authentik.FlowStageBinding{PK: "", PolicyBindingModelPtrID: "", Target: "", Stage: "", StageObj: authentik.Stage{},
		EvaluateOnPlan: true, ReEvaluatePolicies: true, Order: 10, PolicyEngineMode: authentik.PolicyEngineModeAll,
		InvalidResponseAction: authentik.InvalidResponseActionRetry}
	_ = authentik.FlowStageBindingListOptions{ListOptions: authentik.ListOptions{}, Target: "", Stage: ""}
	_ = authentik.FlowStageBindingRequest{Target: authentik.Ptr(""), Stage: authentik.Ptr(""), Order: authentik.Ptr(1)}
	var srv *authentiktest.Server
	if srv != nil {
		authentiktest.Add(srv, authentik.Flow{}, authentik.Flow{})
		authentiktest.Add[authentik.FlowStageBinding](srv)
		var _ []authentik.FlowStageBinding = authentiktest.Objects[authentik.FlowStageBinding](srv)
		var _ []authentik.EmailStage = authentiktest.Objects[authentik.EmailStage](srv)
	}
	// Round 3: every stage type, stages of every type, prompts, device types
	// (the services API.md names, with their operations).
	var _ *authentik.StagesService = c.Stages
	var sl func(context.Context, *authentik.StageListOptions) (*authentik.Page[authentik.Stage], error) = c.Stages.List
	var sg func(context.Context, string) (*authentik.Stage, error) = c.Stages.Get
	var sd func(context.Context, string) error = c.Stages.Delete
	var su func(context.Context, string) ([]authentik.UsedBy, error) = c.Stages.UsedBy
	var st func(context.Context) ([]authentik.TypeCreate, error) = c.Stages.Types
	_, _, _, _, _ = sl, sg, sd, su, st
	var _ *authentik.PromptsService = c.Prompts
	var pc func(context.Context, *authentik.PromptRequest) (*authentik.Prompt, error) = c.Prompts.Create
	_ = pc
	var _ *authentik.WebAuthnDeviceTypesService = c.WebAuthnDeviceTypes
	var wg func(context.Context, string) (*authentik.WebAuthnDeviceType, error) = c.WebAuthnDeviceTypes.Get
	_ = wg
	_ = []any{c.AccountLockdownStages, c.AuthenticatorDuoStages, c.AuthenticatorEmailStages,
		c.AuthenticatorEndpointGDTCStages, c.AuthenticatorSMSStages, c.AuthenticatorStaticStages,
		c.AuthenticatorTOTPStages, c.AuthenticatorValidateStages, c.AuthenticatorWebAuthnStages,
		c.CaptchaStages, c.ConsentStages, c.DenyStages, c.DummyStages, c.EndpointStages, c.IdentificationStages,
		c.MutualTLSStages, c.PasswordStages, c.PromptStages, c.RedirectStages, c.SourceStages, c.UserDeleteStages,
		c.UserLoginStages, c.UserLogoutStages, c.UserWriteStages}
	var dc func(context.Context, *authentik.DenyStageRequest) (*authentik.DenyStage, error) = c.DenyStages.Create
	var du func(context.Context, string, *authentik.DenyStageRequest) (*authentik.DenyStage, error) = c.DenyStages.Update
	var dp func(context.Context, string, *authentik.DenyStageRequest) (*authentik.DenyStage, error) = c.DenyStages.Patch
	var dl func(context.Context, *authentik.DenyStageListOptions) (*authentik.Page[authentik.DenyStage], error) = c.DenyStages.List
	_, _, _, _ = dc, du, dp, dl
	_ = authentik.SMSProvider("twilio")
	if srv != nil {
		authentiktest.Add(srv, authentik.DenyStage{Name: "deny"})
		var _ []authentik.PromptStage = authentiktest.Objects[authentik.PromptStage](srv)
	}
}
