package authentik

// The zz_*.go files are generated from gen/resources.go (one declaration per
// resource) and the schemas of every supported release (contract/testdata):
//
//go:generate go -C gen run . -root ..
