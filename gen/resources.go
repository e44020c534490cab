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
	// Doc says what an object of the collection is, after "<C> is".
	Doc string
	// Nouns is what the collection holds, for the service's doc ("email stages").
	Nouns string
	// Advice says how to find out whether a create whose answer was lost was
	// applied; "" is the default: the name is unique, look it up.
	Advice string
	// Since is the release that added the route, when an older supported
	// release lacks it.
	Since string
	// Handwritten lists what is still written by hand for this resource
	// (beside the generated file): "model", "options", "request", "service".
	Handwritten []string
}

// resources is every typed resource, in the order of Client's fields.
var resources = []resource{
	{Component: "EmailStage", Path: "stages/email/", Doc: "an email stage", Nouns: "email stages",
		Handwritten: []string{"model", "options", "request", "service"}},
	{Component: "InvitationStage", Path: "stages/invitation/stages/", Doc: "an invitation stage", Nouns: "invitation stages",
		Handwritten: []string{"model", "options", "request", "service"}},
	{Component: "Invitation", Path: "stages/invitation/invitations/", Doc: "an invitation", Nouns: "invitations",
		Handwritten: []string{"model", "options", "request", "service"}},
	{Component: "Flow", Path: "flows/instances/", Key: "slug", Nouns: "flows",
		Doc:         "a flow: the stages a user goes through, in order, to log in, enrol, recover an account, ...",
		Handwritten: []string{"model"}},
	{Component: "FlowStageBinding", Path: "flows/bindings/", Nouns: "flow-stage bindings",
		Doc: "a stage's place in a flow: the flow (Target), the stage, its order, and how policies bound to it " +
			"are evaluated. A stage does nothing until a binding puts it into a flow",
		Advice: "bindings have no unique name: list the bindings of this target and stage " +
			"(FlowStageBindingListOptions{Target, Stage}) and compare the order before trying again"},
}

// goNames are the Go names of schema components that the naming rule (drop
// "Enum") would get wrong, or that existed before the rule.
var goNames = map[string]string{
	"AuthenticationEnum": "FlowAuthentication",
	"ThemedUrls":         "ThemedURLs",
}

// handwrittenTypes are components whose Go type is still written by hand
// (models.go); the generator refers to them and writes nothing for them.
var handwrittenTypes = map[string]bool{
	"FlowSet": true, "Flow": true, "EmailStage": true, "InvitationStage": true, "Invitation": true,
	"PartialUser": true, "ThemedUrls": true, "UsedBy": true, "UsedByActionEnum": true,
	"FlowDesignationEnum": true, "PolicyEngineMode": true, "FlowLayoutEnum": true, "DeniedActionEnum": true,
	"AuthenticationEnum": true,
}

// fieldNames are Go names for JSON names that splitting on "_" gets wrong.
var fieldNames = map[string]string{
	"policybindingmodel_ptr_id": "PolicyBindingModelPtrID",
	"pbm_uuid":                  "PolicyBindingModelUUID",
	"fsb_uuid":                  "FlowStageBindingUUID",
}

// initialisms are the words written in capitals in Go names.
var initialisms = map[string]string{
	"pk": "PK", "id": "ID", "uuid": "UUID", "url": "URL", "urls": "URLs", "uid": "UID", "tls": "TLS", "ssl": "SSL",
	"api": "API", "json": "JSON", "http": "HTTP", "sms": "SMS", "totp": "TOTP", "otp": "OTP", "ip": "IP", "gdtc": "GDTC",
}
