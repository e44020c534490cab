// Command apicheck compiles against every name and signature of API.md, from a
// module of its own, as users' code does. api_test.go builds it.
package main

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"net/http"
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
}
