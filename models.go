package authentik

import "time"

// FlowDesignation is what a flow is used for (FlowDesignationEnum). A value this
// SDK does not know, from a newer server, decodes as-is.
type FlowDesignation string

// The designations authentik documents.
const (
	FlowDesignationAuthentication     FlowDesignation = "authentication"
	FlowDesignationAuthorization      FlowDesignation = "authorization"
	FlowDesignationInvalidation       FlowDesignation = "invalidation"
	FlowDesignationEnrollment         FlowDesignation = "enrollment"
	FlowDesignationUnenrollment       FlowDesignation = "unenrollment"
	FlowDesignationRecovery           FlowDesignation = "recovery"
	FlowDesignationStageConfiguration FlowDesignation = "stage_configuration"
)

// PolicyEngineMode is how a flow combines its policy results (PolicyEngineMode).
type PolicyEngineMode string

// The policy engine modes authentik documents.
const (
	PolicyEngineModeAll PolicyEngineMode = "all"
	PolicyEngineModeAny PolicyEngineMode = "any"
)

// FlowLayout is how a flow's pages are laid out (FlowLayoutEnum).
type FlowLayout string

// The layouts authentik documents. The two frame-background layouts are sent by
// authentik 2026.2 and newer.
const (
	FlowLayoutStacked                     FlowLayout = "stacked"
	FlowLayoutContentLeft                 FlowLayout = "content_left"
	FlowLayoutContentRight                FlowLayout = "content_right"
	FlowLayoutSidebarLeft                 FlowLayout = "sidebar_left"
	FlowLayoutSidebarRight                FlowLayout = "sidebar_right"
	FlowLayoutSidebarLeftFrameBackground  FlowLayout = "sidebar_left_frame_background"
	FlowLayoutSidebarRightFrameBackground FlowLayout = "sidebar_right_frame_background"
)

// DeniedAction is what a flow does when it denies a user (DeniedActionEnum).
type DeniedAction string

// The denied actions authentik documents.
const (
	DeniedActionMessageContinue DeniedAction = "message_continue"
	DeniedActionMessage         DeniedAction = "message"
	DeniedActionContinue        DeniedAction = "continue"
)

// FlowSet is a flow that a stage is bound to, as the stage serializers embed it
// ("Stripped down flow serializer").
type FlowSet struct {
	PK                      string          `json:"pk"`
	PolicyBindingModelPtrID string          `json:"policybindingmodel_ptr_id"`
	Name                    string          `json:"name"`
	Slug                    string          `json:"slug"`
	Title                   string          `json:"title"`
	Designation             FlowDesignation `json:"designation"`
	// Background is the background image URL. authentik 2025.12 and newer send it
	// as "background_url", older servers as "background"; either fills it.
	Background        string           `json:"background_url"`
	PolicyEngineMode  PolicyEngineMode `json:"policy_engine_mode"`
	CompatibilityMode bool             `json:"compatibility_mode"`
	ExportURL         string           `json:"export_url"`
	Layout            FlowLayout       `json:"layout"`
	DeniedAction      DeniedAction     `json:"denied_action"`
}

// EmailStage is an email stage (authentik_stages_email.emailstage): it sends a
// verification, recovery or magic-link email with a token.
type EmailStage struct {
	PK                string    `json:"pk"`
	Name              string    `json:"name"`
	Component         string    `json:"component"`
	VerboseName       string    `json:"verbose_name"`
	VerboseNamePlural string    `json:"verbose_name_plural"`
	MetaModelName     string    `json:"meta_model_name"`
	FlowSet           []FlowSet `json:"flow_set"`
	// UseGlobalSettings means the global email settings are used and the
	// connection fields below are ignored.
	UseGlobalSettings bool   `json:"use_global_settings"`
	Host              string `json:"host"`     // the SMTP server
	Port              int    `json:"port"`     // the SMTP port (25 by default)
	Username          string `json:"username"` // the SMTP login; the password is write-only (EmailStageRequest)
	UseTLS            bool   `json:"use_tls"`  // STARTTLS on a plain connection (port 587)
	UseSSL            bool   `json:"use_ssl"`  // TLS from the first byte (port 465)
	Timeout           int    `json:"timeout"`  // the SMTP connection timeout, in seconds
	FromAddress       string `json:"from_address"`
	// TokenExpiry is how long the emailed token is valid, in authentik's duration
	// syntax ("minutes=30"; see ParseTokenExpiry). Servers before 2025.4 send an
	// integer number of minutes, decoded here as "minutes=<n>".
	TokenExpiry           string `json:"token_expiry"`
	Subject               string `json:"subject"`
	Template              string `json:"template"`
	ActivateUserOnSuccess bool   `json:"activate_user_on_success"`
	// RecoveryMaxAttempts and RecoveryCacheTimeout rate-limit account recovery
	// (authentik 2025.8 and newer; zero values from older servers).
	RecoveryMaxAttempts  int    `json:"recovery_max_attempts"`
	RecoveryCacheTimeout string `json:"recovery_cache_timeout"`
}

// InvitationStage is an invitation stage (authentik_stages_invitation.invitationstage):
// it lets a flow continue only with a valid invitation.
type InvitationStage struct {
	PK                string    `json:"pk"`
	Name              string    `json:"name"`
	Component         string    `json:"component"`
	VerboseName       string    `json:"verbose_name"`
	VerboseNamePlural string    `json:"verbose_name_plural"`
	MetaModelName     string    `json:"meta_model_name"`
	FlowSet           []FlowSet `json:"flow_set"`
	// ContinueFlowWithoutInvitation lets the flow go on to the next stage when no
	// invitation is given, instead of cancelling it.
	ContinueFlowWithoutInvitation bool `json:"continue_flow_without_invitation"`
}

// UsedBy is an object that refers to the one asked about (UsedBy): what
// deleting that object would do to it.
type UsedBy struct {
	App       string       `json:"app"`        // the referring object's Django app, "authentik_flows"
	ModelName string       `json:"model_name"` // its model, "flowstagebinding"
	PK        string       `json:"pk"`         // its primary key
	Name      string       `json:"name"`       // its name, as authentik prints it
	Action    UsedByAction `json:"action"`     // what a delete does to it
}

// UsedByAction is what deleting an object does to an object that refers to it
// (UsedByActionEnum), from the reference's on_delete. A value this SDK does not
// know, from a newer server, decodes as-is.
type UsedByAction string

// The actions authentik documents.
const (
	UsedByActionCascade      UsedByAction = "cascade"       // deleted with it
	UsedByActionCascadeMany  UsedByAction = "cascade_many"  // deleted with it, through a many-to-many
	UsedByActionSetNull      UsedByAction = "set_null"      // its reference is set to null
	UsedByActionSetDefault   UsedByAction = "set_default"   // its reference is set to the default
	UsedByActionLeftDangling UsedByAction = "left_dangling" // left pointing at nothing
)

// EmailTemplate is an email template an email stage can use (the schema's
// TypeCreate, as stages/email/templates/ fills it).
type EmailTemplate struct {
	Name        string `json:"name"`        // the template's path: the value of EmailStage.Template
	Description string `json:"description"` // its label
}

// FlowAuthentication is the authentication a flow requires (AuthenticationEnum).
// A value this SDK does not know, from a newer server, decodes as-is.
type FlowAuthentication string

// The requirements authentik documents. FlowAuthenticationRequireToken is sent
// by authentik 2026.5 and newer.
const (
	FlowAuthenticationNone                   FlowAuthentication = "none"
	FlowAuthenticationRequireAuthenticated   FlowAuthentication = "require_authenticated"
	FlowAuthenticationRequireUnauthenticated FlowAuthentication = "require_unauthenticated"
	FlowAuthenticationRequireSuperuser       FlowAuthentication = "require_superuser"
	FlowAuthenticationRequireRedirect        FlowAuthentication = "require_redirect"
	FlowAuthenticationRequireOutpost         FlowAuthentication = "require_outpost"
	FlowAuthenticationRequireToken           FlowAuthentication = "require_token"
)

// ThemedURLs are a flow's background images for the light and dark themes
// (ThemedUrls); "" when the server sends null.
type ThemedURLs struct {
	Light string `json:"light"`
	Dark  string `json:"dark"`
}

// Flow is a flow as the schema's Flow describes it: FlowSet's fields (reach them
// as f.Slug, f.Designation, ...) and what only the full serializer sends.
type Flow struct {
	FlowSet
	Stages               []string           `json:"stages"`   // the UUIDs of the stages bound to it
	Policies             []string           `json:"policies"` // the UUIDs of the policies bound to it
	CacheCount           int                `json:"cache_count"`
	Authentication       FlowAuthentication `json:"authentication"`
	BackgroundThemedURLs *ThemedURLs        `json:"background_themed_urls"` // nil when the server sends null
	// BackgroundFile is the background as stored, what FlowRequest.Background
	// writes: a file name or a URL ("background"; authentik 2025.12 and newer).
	// The URL to show is Background ("background_url"), which every release
	// sends (before 2025.12 as "background"), so BackgroundFile is empty from
	// older releases.
	BackgroundFile string `json:"background"`
}

// PartialUser is a user as other objects embed it (PartialUser).
type PartialUser struct {
	PK         int            `json:"pk"`
	Username   string         `json:"username"`
	Name       string         `json:"name"`
	IsActive   bool           `json:"is_active"`
	LastLogin  *time.Time     `json:"last_login"` // nil: never logged in
	Email      string         `json:"email"`
	Attributes map[string]any `json:"attributes"`
	UID        string         `json:"uid"`
}

// Invitation lets someone enrol through an invitation stage
// (authentik_stages_invitation.invitation).
type Invitation struct {
	PK      string     `json:"pk"`
	Name    string     `json:"name"`
	Expires *time.Time `json:"expires"` // nil: never expires
	// FixedData are prompt values the enrollment flow fills in.
	FixedData map[string]any `json:"fixed_data"`
	CreatedBy PartialUser    `json:"created_by"`
	SingleUse bool           `json:"single_use"` // deleted after one use
	// Flow is the UUID of the only flow that may use the invitation; "" when
	// any enrollment flow may.
	Flow    string `json:"flow"`
	FlowObj *Flow  `json:"flow_obj"` // nil when the server sends null
}
