// Package schemacut cuts operations out of an OpenAPI document: the paths
// chosen by prefix or by name, with every component they reference
// (transitively) and the security schemes. cmd/cutschema writes the cuts the
// contract tests load; the release table narrows a cut to the SDK's own paths
// with it.
package schemacut

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Selection says which paths (below /api/v3) go into a cut.
type Selection struct {
	// Prefixes: every path that starts with one of them. Each must match a
	// path of the document, or the cut fails (a typo would cut nothing).
	Prefixes []string
	// Required: paths that must be in the document (and are cut), unless
	// MissingOK; a release older than the SDK may lack some.
	Required  []string
	MissingOK bool
}

// Cut returns the document's selected paths with every component they
// reference, transitively, and full's security schemes and top-level fields.
func Cut(full *openapi3.T, sel Selection) (*openapi3.T, error) {
	out := &openapi3.T{OpenAPI: full.OpenAPI, Info: full.Info, Servers: full.Servers, Security: full.Security,
		Paths: openapi3.NewPaths(), Components: &openapi3.Components{Schemas: openapi3.Schemas{},
			Parameters: openapi3.ParametersMap{}, Responses: openapi3.ResponseBodies{}}}
	if full.Components != nil {
		out.Components.SecuritySchemes = full.Components.SecuritySchemes
	}
	all := full.Paths.Map()
	for _, prefix := range sel.Prefixes {
		n := 0
		for p, item := range all {
			if strings.HasPrefix(p, prefix) {
				out.Paths.Set(p, item)
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("the schema has no path under %s", prefix)
		}
	}
	var missing []string
	for _, p := range sel.Required {
		item := all[p]
		if item == nil {
			missing = append(missing, p)
			continue
		}
		out.Paths.Set(p, item)
	}
	if len(missing) > 0 && !sel.MissingOK {
		return nil, fmt.Errorf("the schema has no path %s", strings.Join(missing, ", "))
	}

	c := &closure{full: full, out: out, need: map[string]bool{}, seen: map[*openapi3.Schema]bool{}}
	for _, item := range out.Paths.Map() {
		c.pathItem(item)
	}
	names := make([]string, 0, len(c.need))
	for n := range c.need {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := componentSchema(full, n)
		if s == nil {
			return nil, fmt.Errorf("missing component %s", n)
		}
		out.Components.Schemas[n] = s
	}
	if c.err != nil {
		return nil, c.err
	}
	return out, nil
}

func componentSchema(doc *openapi3.T, name string) *openapi3.SchemaRef {
	if doc.Components == nil {
		return nil
	}
	return doc.Components.Schemas[name]
}

// closure collects the components that the cut's operations reference.
type closure struct {
	full *openapi3.T
	out  *openapi3.T
	need map[string]bool // schema components by name
	seen map[*openapi3.Schema]bool
	err  error
}

func (c *closure) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf(format, args...)
	}
}

// componentName is the name a local $ref points to, checking its kind.
func (c *closure) componentName(ref, kind string) string {
	prefix := "#/components/" + kind + "/"
	if !strings.HasPrefix(ref, prefix) {
		c.fail("unsupported $ref %s (want %s...)", ref, prefix)
	}
	return path.Base(ref)
}

func (c *closure) pathItem(item *openapi3.PathItem) {
	c.parameters(item.Parameters)
	for _, op := range item.Operations() {
		c.parameters(op.Parameters)
		if rb := op.RequestBody; rb != nil {
			if rb.Ref != "" {
				name := c.componentName(rb.Ref, "requestBodies")
				if c.out.Components.RequestBodies == nil {
					c.out.Components.RequestBodies = openapi3.RequestBodies{}
				}
				c.out.Components.RequestBodies[name] = c.full.Components.RequestBodies[name]
			}
			if rb.Value != nil {
				c.content(rb.Value.Content)
			}
		}
		if op.Responses != nil {
			for _, resp := range op.Responses.Map() {
				if resp.Ref != "" {
					name := c.componentName(resp.Ref, "responses")
					c.out.Components.Responses[name] = c.full.Components.Responses[name]
				}
				if resp.Value != nil {
					c.content(resp.Value.Content)
					for _, h := range resp.Value.Headers {
						if h.Ref != "" {
							c.fail("unsupported header $ref %s", h.Ref)
						}
						if h.Value != nil {
							c.schema(h.Value.Schema)
							c.content(h.Value.Content)
						}
					}
				}
			}
		}
		if len(op.Callbacks) > 0 {
			c.fail("operation %s has callbacks, which the cut does not follow", op.OperationID)
		}
	}
}

func (c *closure) parameters(ps openapi3.Parameters) {
	for _, p := range ps {
		if p.Ref != "" {
			name := c.componentName(p.Ref, "parameters")
			c.out.Components.Parameters[name] = c.full.Components.Parameters[name]
		}
		if p.Value != nil {
			c.schema(p.Value.Schema)
			c.content(p.Value.Content)
		}
	}
}

func (c *closure) content(content openapi3.Content) {
	for _, mt := range content {
		if mt != nil {
			c.schema(mt.Schema)
		}
	}
}

func (c *closure) schema(r *openapi3.SchemaRef) {
	if r == nil {
		return
	}
	s := r.Value
	if r.Ref != "" {
		name := c.componentName(r.Ref, "schemas")
		c.need[name] = true
		if s == nil { // an unresolved reference (a discriminator's mapping may be one)
			if ref := componentSchema(c.full, name); ref != nil {
				s = ref.Value
			}
		}
	}
	if s == nil || c.seen[s] {
		return
	}
	c.seen[s] = true
	for _, p := range s.Properties {
		c.schema(p)
	}
	c.schema(s.Items)
	c.schema(s.AdditionalProperties.Schema)
	for _, l := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf, s.PrefixItems} {
		for _, x := range l {
			c.schema(x)
		}
	}
	for _, x := range []*openapi3.SchemaRef{s.Not, s.Contains, s.PropertyNames, s.If, s.Then, s.Else} {
		c.schema(x)
	}
	for _, m := range []openapi3.Schemas{s.PatternProperties, s.DependentSchemas} {
		for _, x := range m {
			c.schema(x)
		}
	}
	if s.Discriminator != nil {
		for _, m := range s.Discriminator.Mapping {
			ref := openapi3.SchemaRef(m)
			c.schema(&ref)
		}
	}
}
