package authentik

// The models are generated (zz_*.go) from the schemas of every supported
// release; what is here is what the schema cannot say.

// EmailTemplate is an email template an email stage can use (the schema's
// TypeCreate, as stages/email/templates/ fills it).
type EmailTemplate struct {
	Name        string `json:"name"`        // the template's path: the value of EmailStage.Template
	Description string `json:"description"` // its label
}
