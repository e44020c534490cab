package main

// The declarations: one per resource, what authentik's schema cannot say. The
// generator reads them with the schemas of every supported release and writes
// the rest (../zz_*.go).

// resource declares one collection of the API.
type resource struct {
	// Component is the schema component the list returns ("FlowStageBinding"):
	// the model's name, and with the naming rule every other name (C, CRequest,
	// CListOptions, CsService, Client.Cs).
	Component string
	// Plural is Cs when adding "s" to C is wrong.
	Plural string
	// Path is the collection below /api/v3/, with the trailing slash.
	Path string
	// Key is how an object is named in its path: "pk" (a UUID, the default) or
	// "slug".
	Key string
	// Nouns is what the collection holds, for the service's doc ("email stages").
	Nouns string
	// Summary is the README's line for it, when Nouns says too little.
	Summary string
	// Advice says how to find out whether a create whose answer was lost was
	// applied; "" is the default: the name is unique, look it up.
	Advice string
	// Filters are docs of list parameters, where the schema has none worth reading.
	Filters map[string]string
	// Handwritten lists what is still written by hand for this resource
	// (beside the generated file): "model", "options", "request", "service".
	Handwritten []string
	// Routes are the paths (below /api/v3) of the hand-written methods,
	// besides the collection's own: the contract checks them too.
	Routes []string
	// Fake is what authentiktest needs beyond the schema (fake.go).
	Fake fake
}

// model declares what the schema cannot say of a component's Go type.
type model struct {
	// Doc says what it is, after "<Go name> is".
	Doc string
	// Embed is a component whose Go type the model embeds, its fields
	// promoted (Flow embeds FlowSet: f.Slug).
	Embed string
	// Names are Go names for JSON names where the naming rule would mislead
	// or a name predates it.
	Names map[string]string
	// Docs are field docs by JSON name, where the schema has none worth reading.
	Docs map[string]string
	// Nullable are fields authentik sends as null although the schema does
	// not say so: they decode to a pointer.
	Nullable []string
	// Values are docs of enum values.
	Values map[string]string
}

// quirk is one difference of an older release, applied by the decoder
// (quirks.go) before the body reaches the models.
type quirk struct {
	Kind string // "rename": From became To; "minutes": an integer number of minutes became a duration string
	// Component, From, To: a rename in the component's objects; Until is the
	// last release that sends From (the generator reads its schemas with From
	// as To).
	Component, From, To, Until string
	// Marks are keys every object of the component has, which tell its
	// objects from others in a body (a rename applies to those only).
	Marks []string
	// Key is the field a "minutes" quirk converts.
	Key string
	// Why is the history, for the docs.
	Why string
}

// quirks is the one table of what older releases send differently.
var quirks = []quirk{
	{Kind: "minutes", Key: "token_expiry", Marks: []string{"from_address", "use_global_settings"},
		Why: "before 2025.4 an email stage's token_expiry was an integer number of minutes"},
	{Kind: "rename", Component: "FlowSet", From: "background", To: "background_url", Until: "2025.10.4", Marks: []string{"designation", "slug"},
		Why: "before 2025.12 a flow's background URL was \"background\"; since, that name holds the stored value"},
	{Kind: "rename", Component: "Flow", From: "background", To: "background_url", Until: "2025.10.4", Marks: []string{"designation", "slug"},
		Why: "before 2025.12 a flow's background URL was \"background\"; since, that name holds the stored value"},
}

// resources is every typed resource, in the order of Client's fields: these,
// then the stage types (stages.go).
var resources = append([]resource{
	// EmailStageRequest and InvitationStageRequest stay hand-written: their
	// field order (the serializer's, which the schema cuts do not keep) and
	// their checks predate the generator and are part of the API.
	{Component: "EmailStage", Path: "stages/email/", Nouns: "email stages", Summary: "email stages, and the templates they can use",
		Handwritten: []string{"request"}, Routes: []string{"/stages/email/templates/"},
		Fake: fake{App: "authentik_stages_email", UI: "ak-stage-email-form", Verbose: "Email Stage", VerbosePlural: "Email Stages",
			Source: "EmailStageViewSet and EmailStageSerializer (authentik/stages/email/api.py) on the EmailStage model (models.py)",
			Defaults: map[string]any{"use_global_settings": false, "host": "localhost", "port": 25, "username": "", "password": "",
				"use_tls": false, "use_ssl": false, "timeout": 10, "from_address": "system@authentik.local", "token_expiry": "minutes=30",
				"subject": "authentik", "template": "email/password_reset.html", "activate_user_on_success": false,
				"recovery_max_attempts": 5, "recovery_cache_timeout": "minutes=5"},
			// token_expiry and recovery_cache_timeout: TextField(validators=[timedelta_string_validator]);
			// EmailStageSerializer.validate_template.
			Validators: map[string][]string{"token_expiry": {"timedeltaString"}, "recovery_cache_timeout": {"timedeltaString"},
				"template": {"validateTemplate"}},
			Actions: map[string]string{"templates": "emailTemplatesAction"},
		}},
	{Component: "InvitationStage", Path: "stages/invitation/stages/", Nouns: "invitation stages",
		Filters:     map[string]string{"no_flows": "NoFlows true keeps only stages bound to no flow; false only bound ones."},
		Handwritten: []string{"request"},
		Fake: fake{App: "authentik_stages_invitation", UI: "ak-stage-invitation-form", Verbose: "Invitation Stage",
			VerbosePlural: "Invitation Stages",
			Source:        "InvitationStageViewSet and InvitationStageSerializer (authentik/stages/invitation/api.py)",
			Defaults:      map[string]any{"continue_flow_without_invitation": false},
			// InvitationStageFilter: no_flows is BooleanFilter("flow", "isnull"),
			// and a filterset_class gives BooleanFilter Django's NullBooleanSelect.
			Filters: map[string]string{
				"no_flows":                         `{param: "no_flows", kind: emptyFilter, path: []string{"flow_set"}}`,
				"continue_flow_without_invitation": `{param: "continue_flow_without_invitation", kind: nullBooleanSelect}`,
			},
		}},
	{Component: "Invitation", Path: "stages/invitation/invitations/", Nouns: "invitations",
		Summary:     "invitations, their emails and enrollment links",
		Handwritten: []string{"options", "request", "service"},
		Routes:      []string{"/stages/invitation/invitations/{invite_uuid}/send_email/"},
		Fake: fake{App: "authentik_stages_invitation",
			Source: "InvitationViewSet and InvitationSerializer (authentik/stages/invitation/api.py) on the Invitation model " +
				"(models.py): name is not unique, expires and flow are nullable, created_by is the request's user (perform_create), " +
				"flow_obj the flow's FlowSerializer",
			Defaults:   map[string]any{"fixed_data": map[string]any{}, "single_use": false},
			Validators: map[string][]string{"name": {"validateSlug"}},
			Filters:    map[string]string{"flow__slug": `{param: "flow__slug", kind: charFilter, path: []string{"flow_obj", "slug"}}`},
			// Every readable serializer field but write-only ones and source="*"
			// (OrderingFilter.get_default_valid_fields; flow_obj's source is flow).
			Ordering: []string{"pk", "name", "expires", "fixed_data", "created_by", "single_use", "flow"},
			Actions:  map[string]string{"send_email": "{detail: true, send: sendInvitationEmail}"},
			Spec: map[string]string{"order": `"-expires"`, "expiring": "true", "str": "invitationStr", "search": "invitationSearch",
				"refs": "invitationRefs", "derive": "deriveInvitation", "add": "addInvitation"},
		}},
	{Component: "Flow", Path: "flows/instances/", Key: "slug", Nouns: "flows", Summary: "flows, by slug",
		Advice: "flow slugs are unique: get the flow by its slug before trying again",
		Fake: fake{App: "authentik_flows",
			Source: "FlowViewSet and FlowSerializer (authentik/flows/api/flows.py) on the Flow model (authentik/flows/models.py), " +
				"looked up by slug, ordered by slug (ordering = [\"slug\", \"name\"]; slugs are unique)",
			Defaults: map[string]any{"background": "", "policy_engine_mode": "any", "compatibility_mode": false, "layout": "stacked",
				"denied_action": "message_continue", "authentication": "none"},
			// slug: TextField(unique=True, validators=[validate_slug]) since 2025.12.
			Validators: map[string][]string{"slug": {"validateSlug"}},
			// Every readable serializer field but SerializerMethodFields (source
			// "*") and the many-to-many stages and policies.
			Ordering: []string{"pk", "policybindingmodel_ptr_id", "name", "slug", "title", "designation", "background",
				"policy_engine_mode", "compatibility_mode", "layout", "denied_action", "authentication"},
			Search: []string{"name", "slug", "designation", "title", "denied_action"},
			Spec: map[string]string{"order": `"slug"`, "str": "flowStr", "unique": "flowUnique", "manyToMany": "flowStages",
				"computed": "flowComputed", "derive": "deriveFlow", "add": "addFlow"},
		}},
	{Component: "FlowStageBinding", Path: "flows/bindings/", Nouns: "flow-stage bindings",
		Summary: "which stage runs in which flow, in what order",
		Advice: "bindings have no unique name: list the bindings of this target and stage " +
			"(FlowStageBindingListOptions{Target, Stage}) and compare the order before trying again",
		Fake: fake{App: "authentik_flows",
			Source: "FlowStageBindingViewSet and FlowStageBindingSerializer (authentik/flows/api/bindings.py) on the " +
				"FlowStageBinding model (authentik/flows/models.py), the through model of Flow.stages",
			Defaults: map[string]any{"evaluate_on_plan": false, "re_evaluate_policies": true, "policy_engine_mode": "any",
				"invalid_response_action": "retry"},
			Refs: map[string]string{"target": "Flow cascade", "stage": "Stage cascade"},
			Filters: map[string]string{
				"pbm_uuid": `{param: "pbm_uuid", kind: uuidFilter, path: []string{"policybindingmodel_ptr_id"}}`,
				// PolicyBindingModel.policies, through PolicyBinding: the fake holds
				// no policies, so every valid value is an unknown choice.
				"policies": `{param: "policies", kind: refsFilter, ref: "Policy"}`,
			},
			Ordering: []string{"pk", "policybindingmodel_ptr_id", "target", "stage", "evaluate_on_plan", "re_evaluate_policies",
				"order", "policy_engine_mode", "invalid_response_action"},
			Search: []string{"stage_obj.name"}, // search_fields = ["stage__name"]
			Spec: map[string]string{"order": `"order"`, "meta": `"target,order"`, "str": "bindingStr", "refs": "bindingRefs",
				"unique": "bindingUnique", "derive": "deriveBinding", "check": "checkBinding"},
		}},
}, stageTypes...)

// goNames are the Go names of schema components that the naming rule (drop
// "Enum") would get wrong, or that existed before the rule.
var goNames = map[string]string{
	"AuthenticationEnum": "FlowAuthentication",
	"ThemedUrls":         "ThemedURLs",
	// The SMS stage's enums: "Provider" and "AuthType" alone would mislead.
	"ProviderEnum": "SMSProvider",
	"AuthTypeEnum": "SMSAuthType",
}

// models are the declarations of the components' Go types.
var models = map[string]model{
	"EmailStage": {Doc: "an email stage (authentik_stages_email.emailstage): it sends a verification, recovery or magic-link email with a token",
		Docs: map[string]string{
			"use_global_settings": "UseGlobalSettings means the global email settings are used and the connection fields below are ignored.",
			"host":                "The SMTP server.",
			"port":                "The SMTP port (25 by default).",
			"username":            "The SMTP login; the password is write-only (EmailStageRequest).",
			"use_tls":             "STARTTLS on a plain connection (port 587).",
			"use_ssl":             "TLS from the first byte (port 465).",
			"timeout":             "The SMTP connection timeout, in seconds.",
			"token_expiry": "How long the emailed token is valid, in authentik's duration syntax (\"minutes=30\"; see " +
				"ParseTokenExpiry). Servers before 2025.4 send an integer number of minutes, decoded as \"minutes=<n>\".",
			"recovery_cache_timeout": "Same syntax as TokenExpiry.",
		}},
	"InvitationStage": {Doc: "an invitation stage (authentik_stages_invitation.invitationstage): it lets a flow continue only with a valid invitation"},
	"Invitation": {Doc: "an invitation to enrol through an invitation stage (authentik_stages_invitation.invitation)",
		Nullable: []string{"flow_obj"}, // InvitationSerializer.flow_obj: FlowSerializer(required=False) of a nullable flow
		Docs: map[string]string{
			"expires":    "When it stops working; nil: never.",
			"fixed_data": "Prompt values the enrollment flow fills in.",
			"single_use": "Deleted after one use.",
			"flow":       "The UUID of the only flow that may use it; \"\" when any enrollment flow may.",
			"flow_obj":   "The flow; nil when the server sends null (an invitation bound to no flow).",
		}},
	"FlowSet": {Doc: "a flow as the stage serializers embed it (\"Stripped down flow serializer\")",
		Names: map[string]string{"background_url": "Background"},
		Docs: map[string]string{"background_url": "The URL of the background image (\"background_url\"; before 2025.12 " +
			"\"background\", which fills it too)."}},
	"Flow": {Doc: "a flow, the stages a user goes through to log in, enrol, recover an account...: FlowSet's fields (reach them as f.Slug, f.Designation, ...) and what only the full serializer sends",
		Embed: "FlowSet",
		Names: map[string]string{"background": "BackgroundFile"},
		Docs: map[string]string{
			"background": "The background as stored, what FlowRequest.Background writes: a file name or a URL " +
				"(\"background\", authentik 2025.12 and newer; before, that name held the URL, now Background).",
			"stages":   "The UUIDs of the stages bound to it.",
			"policies": "The UUIDs of the policies bound to it.",
		}},
	"PartialUser": {Doc: "a user as other objects embed it"},
	"Stage": {Doc: "a stage of any type as StageSerializer shows it: its name, type (Component, MetaModelName) and flows; " +
		"a binding's StageObj, and what Client.Stages lists"},
	"UsedBy":     {Doc: "an object that refers to the one asked about: what deleting that object would do to it"},
	"ThemedUrls": {Doc: "a flow's background images for the light and dark themes"},
	"FlowStageBinding": {Doc: "a stage's place in a flow: the flow (Target), the stage, its order, and how policies bound to it " +
		"are evaluated. A stage does nothing until a binding puts it into a flow",
		Docs: map[string]string{"target": "The flow's UUID.", "stage": "The stage's UUID.",
			"order": "Where the stage comes in the flow: bindings run from the lowest order up."}},
	"AuthenticationEnum": {Doc: "the authentication a flow requires"},
	"UsedByActionEnum": {Doc: "what deleting an object does to an object that refers to it, from the reference's on_delete",
		Values: map[string]string{"cascade": "deleted with it", "cascade_many": "deleted with it, through a many-to-many",
			"set_null": "its reference is set to null", "set_default": "its reference is set to the default",
			"left_dangling": "left pointing at nothing"}},
}

// fieldNames are Go names for JSON names that splitting on "_" gets wrong.
var fieldNames = map[string]string{
	"policybindingmodel_ptr_id": "PolicyBindingModelPtrID",
	"pbm_uuid":                  "PolicyBindingModelUUID",
	"fsb_uuid":                  "FlowStageBindingUUID",
	"aaguid":                    "AAGUID",
}

// initialisms are the words written in capitals in Go names.
var initialisms = map[string]string{
	"pk": "PK", "id": "ID", "uuid": "UUID", "url": "URL", "urls": "URLs", "uid": "UID", "tls": "TLS", "ssl": "SSL",
	"api": "API", "json": "JSON", "http": "HTTP", "sms": "SMS", "totp": "TOTP", "otp": "OTP", "ip": "IP", "gdtc": "GDTC",
}

// alsoTypes are components the services return that no model refers to.
var alsoTypes = []string{"UsedBy", "TypeCreate"}
