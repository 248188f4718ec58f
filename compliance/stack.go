package compliance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// resource is one resource or data source block of a synthesized stack.
type resource struct {
	// kind is the Terraform type, such as aws_instance.
	kind string
	// name is the logical name that CDKTF derived from the construct ID.
	name string
	// data is true for a data source.
	data bool
	// path is the construct path from the "//" metadata, or empty.
	path string
	// attrs holds the block's arguments, without the metadata.
	attrs map[string]any
}

// address returns the Terraform address of r, such as aws_vpc.network or
// data.aws_iam_policy_document.read.
func (r *resource) address() string {
	if r.data {
		return "data." + r.kind + "." + r.name
	}
	return r.kind + "." + r.name
}

// stack is the parsed form of a cdk.tf.json file.
type stack struct {
	// resources holds every resource, sorted by address.
	resources []*resource
	// data holds every data source, sorted by address.
	data []*resource
}

// parseStack decodes a synthesized Terraform JSON document.
func parseStack(doc []byte) (*stack, error) {
	// Decode numbers as json.Number so that ports and days stay exact.
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("decode stack: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decode stack: trailing data after the JSON object")
	}
	if top == nil {
		return nil, errors.New("decode stack: document is null, want a JSON object")
	}

	// Read the resource and data blocks, which share one layout.
	resources, err := parseBlocks(top["resource"], false)
	if err != nil {
		return nil, fmt.Errorf("read resources: %w", err)
	}
	data, err := parseBlocks(top["data"], true)
	if err != nil {
		return nil, fmt.Errorf("read data sources: %w", err)
	}
	return &stack{resources: resources, data: data}, nil
}

// parseBlocks reads a {type: {name: {attrs}}} object into sorted resources.
func parseBlocks(value any, data bool) ([]*resource, error) {
	if value == nil {
		return nil, nil
	}
	byType, ok := value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want an object of types, got %s", jsonKind(value))
	}

	// Visit every type and name, keeping the metadata path apart.
	var out []*resource
	for kind, named := range byType {
		byName, ok := named.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: want an object of names, got %s", kind, jsonKind(named))
		}
		for name, body := range byName {
			attrs, ok := body.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s.%s: want an object, got %s", kind, name, jsonKind(body))
			}
			r := &resource{kind: kind, name: name, data: data, attrs: attrs}
			r.path = metadataPath(attrs)
			out = append(out, r)
		}
	}

	// Sort by address so that every report comes out in the same order.
	sort.Slice(out, func(i, j int) bool { return out[i].address() < out[j].address() })
	return out, nil
}

// metadataPath returns the construct path that CDKTF writes under "//".
func metadataPath(attrs map[string]any) string {
	meta, _ := attrs["//"].(map[string]any)
	inner, _ := meta["metadata"].(map[string]any)
	path, _ := inner["path"].(string)
	return path
}

// jsonKind names the JSON type of a decoded value for error messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	default:
		return "number"
	}
}

// ofType returns the resources of the given Terraform types, by address.
func (s *stack) ofType(kinds ...string) []*resource {
	var out []*resource
	for _, r := range s.resources {
		for _, kind := range kinds {
			if r.kind == kind {
				out = append(out, r)
			}
		}
	}
	return out
}

// referencing returns the resources of the given type whose attribute key
// refers to target, by address.
func (s *stack) referencing(kind, key string, target *resource) []*resource {
	var out []*resource
	for _, r := range s.ofType(kind) {
		if refersTo(r.attrs[key], target) {
			out = append(out, r)
		}
	}
	return out
}

// dataSource returns the data source with the given type and name, or nil.
func (s *stack) dataSource(kind, name string) *resource {
	for _, d := range s.data {
		if d.kind == kind && d.name == name {
			return d
		}
	}
	return nil
}

// reference is one traversal found inside a ${...} interpolation.
type reference struct {
	// data is true when the traversal starts with "data.".
	data bool
	// kind and name identify the referenced block.
	kind, name string
}

// interpolation matches one ${...} sequence without nested braces.
var interpolation = regexp.MustCompile(`\$\{([^{}]*)\}`)

// traversal matches a resource or data source traversal in an expression.
var traversal = regexp.MustCompile(
	`(?:^|[^A-Za-z0-9_.])(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)`,
)

// references returns every resource traversal inside interpolations of s.
func references(s string) []reference {
	var out []reference
	for _, m := range interpolation.FindAllStringSubmatch(s, -1) {
		for _, t := range traversal.FindAllStringSubmatch(m[1], -1) {
			out = append(out, reference{data: t[1] != "", kind: t[2], name: t[3]})
		}
	}
	return out
}

// refersTo reports whether value, a string or a list, refers to target.
func refersTo(value any, target *resource) bool {
	for _, s := range stringList(value) {
		for _, ref := range references(s) {
			if ref.data == target.data && ref.kind == target.kind && ref.name == target.name {
				return true
			}
		}
	}
	return false
}

// isExpression reports whether s holds a Terraform interpolation.
func isExpression(s string) bool {
	return strings.Contains(s, "${")
}

// blocks returns a nested block, written either as one object or as a list
// of objects, as a list of objects.
func blocks(value any) []map[string]any {
	switch v := value.(type) {
	case map[string]any:
		return []map[string]any{v}
	case []any:
		var out []map[string]any
		for _, item := range v {
			if m, ok := item.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	default:
		return nil
	}
}

// stringList returns a string or a list of strings as a list.
func stringList(value any) []string {
	switch v := value.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, item := range v {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
		return out
	default:
		return nil
	}
}

// stringAttr returns the string value of key, or "" when it is not a string.
func stringAttr(attrs map[string]any, key string) string {
	s, _ := attrs[key].(string)
	return s
}

// isTrue reports whether key holds the literal true, written as a boolean
// or as the string "true".
func isTrue(attrs map[string]any, key string) bool {
	switch v := attrs[key].(type) {
	case bool:
		return v
	case string:
		return v == "true"
	default:
		return false
	}
}

// intAttr returns the integer value of key, written as a number or a
// numeric string, and whether it was one.
func intAttr(attrs map[string]any, key string) (int64, bool) {
	var text string
	switch v := attrs[key].(type) {
	case json.Number:
		text = v.String()
	case string:
		text = v
	case float64:
		text = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return 0, false
	}
	n, err := strconv.ParseInt(text, 10, 64)
	return n, err == nil
}

// describe renders an attribute value for a finding message.
func describe(attrs map[string]any, key string) string {
	v, ok := attrs[key]
	if !ok || v == nil {
		return key + " is not set"
	}
	if s, ok := v.(string); ok && isExpression(s) {
		return fmt.Sprintf("%s is the expression %q, which cannot be evaluated at synth time",
			key, s)
	}
	text, err := json.Marshal(v)
	if err != nil {
		return key + " has an unreadable value"
	}
	return fmt.Sprintf("%s is %s", key, text)
}
