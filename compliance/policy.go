package compliance

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// statement is one IAM policy statement in a normalised form.
type statement struct {
	// allow is true for "Allow" and false for "Deny".
	allow bool
	// actions and notActions list Action and NotAction entries.
	actions, notActions []string
	// resources and notResources list Resource and NotResource entries.
	resources, notResources []string
	// principals lists "TYPE:identifier" pairs, or "*" for anyone.
	principals []string
	// notPrincipal is true when the statement uses NotPrincipal.
	notPrincipal bool
	// conditions lists every condition of the statement.
	conditions []condition
}

// condition is one test of a statement's Condition block.
type condition struct {
	// test is the operator, such as Bool or StringEquals.
	test string
	// variable is the condition key, such as aws:SecureTransport.
	variable string
	// values are the values the key is compared with.
	values []string
}

// errNoPolicy is returned by loadPolicy when no policy is set.
var errNoPolicy = errors.New("no policy is set")

// policyDocumentRef matches the whole of a reference to the rendered JSON
// of an aws_iam_policy_document data source.
var policyDocumentRef = regexp.MustCompile(
	`^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$`,
)

// loadPolicy evaluates a policy argument into statements. It understands a
// JSON string, a reference to an aws_iam_policy_document data source and,
// on a best-effort basis, a ${jsonencode({...})} expression.
func (s *stack) loadPolicy(value any) ([]statement, error) {
	statements, err := s.loadPolicyDepth(value, 0)
	if err != nil {
		return nil, err
	}

	// Refuse statements whose actions or scopes only Terraform can resolve.
	for i, st := range statements {
		if err := st.evaluable(); err != nil {
			return nil, fmt.Errorf("statement %d: %w", i+1, err)
		}
	}
	return statements, nil
}

// evaluable returns an error when an action is an expression, or when a
// resource, principal or condition value is an expression that refers to
// no resource, such as ${var.arn}, since either could stand for "*".
func (st statement) evaluable() error {
	for _, action := range slices.Concat(st.actions, st.notActions) {
		if isExpression(action) {
			return fmt.Errorf("action %q cannot be evaluated at synth time", action)
		}
	}
	values := slices.Concat(st.resources, st.notResources, st.principals)
	for _, c := range st.conditions {
		values = append(values, c.values...)
	}
	for _, value := range values {
		if isExpression(value) && len(references(value)) == 0 {
			return fmt.Errorf("value %q cannot be evaluated at synth time", value)
		}
	}
	return nil
}

// loadPolicyDepth is loadPolicy with a guard against documents that merge
// each other in a cycle.
func (s *stack) loadPolicyDepth(value any, depth int) ([]statement, error) {
	// Refuse a chain of merged documents that never ends.
	if depth > 8 {
		return nil, errors.New("policy documents merge each other too deeply")
	}

	// Accept only a non-empty string.
	if value == nil {
		return nil, errNoPolicy
	}
	text, ok := value.(string)
	if !ok {
		return nil, fmt.Errorf("policy is a JSON %s, want a string", jsonKind(value))
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, errNoPolicy
	}

	// Follow a reference to a policy document data source.
	if m := policyDocumentRef.FindStringSubmatch(text); m != nil {
		doc := s.dataSource("aws_iam_policy_document", m[1])
		if doc == nil {
			return nil, fmt.Errorf("policy refers to data.aws_iam_policy_document.%s, "+
				"which is not in the stack", m[1])
		}
		return s.policyDocumentStatements(doc, depth)
	}

	// Decode a JSON document or a jsonencode expression.
	decoded, err := decodeDocument(text)
	if err != nil {
		return nil, err
	}
	return documentStatements(decoded)
}

// decodeDocument decodes a JSON document argument, written as a JSON string
// or, on a best-effort basis, as a ${jsonencode({...})} expression.
func decodeDocument(text string) (any, error) {
	// Parse a jsonencode expression as HCL object syntax.
	text = strings.TrimSpace(text)
	if inner, ok := strings.CutPrefix(text, "${jsonencode("); ok {
		body, ok := strings.CutSuffix(inner, ")}")
		if !ok {
			return nil, fmt.Errorf("expression %q is not a single jsonencode call", text)
		}
		decoded, err := parseHCLValue(body)
		if err != nil {
			return nil, fmt.Errorf("evaluate jsonencode expression: %w", err)
		}
		return decoded, nil
	}

	// Refuse any other expression, which only Terraform can evaluate.
	if strings.HasPrefix(text, "${") {
		return nil, fmt.Errorf("the expression %q cannot be evaluated at synth time", text)
	}

	// Parse a plain JSON document, which may embed references in strings.
	var decoded any
	if err := json.Unmarshal([]byte(text), &decoded); err != nil {
		return nil, fmt.Errorf("decode JSON document: %w", err)
	}
	return decoded, nil
}

// policyDocumentStatements reads the statement blocks of an
// aws_iam_policy_document data source and of the documents it merges.
func (s *stack) policyDocumentStatements(doc *resource, depth int) ([]statement, error) {
	var out []statement

	// Merge the statements of source and override documents, since every one
	// of them can grant access.
	for _, key := range []string{"source_policy_documents", "override_policy_documents"} {
		for _, merged := range stringList(doc.attrs[key]) {
			statements, err := s.loadPolicyDepth(merged, depth+1)
			if err != nil {
				return nil, fmt.Errorf("%s of %s: %w", key, doc.address(), err)
			}
			out = append(out, statements...)
		}
	}

	// Convert each statement block, where the effect defaults to Allow.
	for _, block := range blocks(doc.attrs["statement"]) {
		st := statement{
			allow:        !strings.EqualFold(stringAttr(block, "effect"), "Deny"),
			actions:      stringList(block["actions"]),
			notActions:   stringList(block["not_actions"]),
			resources:    stringList(block["resources"]),
			notResources: stringList(block["not_resources"]),
		}
		for _, key := range []string{"principals", "not_principals"} {
			for _, p := range blocks(block[key]) {
				st.principals = append(st.principals,
					principalPairs(stringAttr(p, "type"), p["identifiers"])...)
				st.notPrincipal = st.notPrincipal || key == "not_principals"
			}
		}
		for _, c := range blocks(block["condition"]) {
			st.conditions = append(st.conditions, condition{
				test:     stringAttr(c, "test"),
				variable: stringAttr(c, "variable"),
				values:   stringList(c["values"]),
			})
		}
		out = append(out, st)
	}
	return out, nil
}

// principalPairs renders principals of one type as "TYPE:identifier", with
// the anonymous principal as "*".
func principalPairs(kind string, identifiers any) []string {
	var out []string
	for _, id := range stringList(identifiers) {
		if kind == "*" || (kind == "AWS" && id == "*") {
			out = append(out, "*")
			continue
		}
		out = append(out, kind+":"+id)
	}
	return out
}

// documentStatements reads the statements of a decoded JSON policy.
func documentStatements(decoded any) ([]statement, error) {
	doc, ok := decoded.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("policy is a JSON %s, want an object", jsonKind(decoded))
	}
	raw, ok := doc["Statement"]
	if !ok {
		return nil, errors.New("policy has no Statement")
	}

	// Accept one statement object or a list of them.
	var out []statement
	list := blocks(raw)
	if len(list) == 0 {
		return nil, errors.New("policy Statement holds no statement objects")
	}
	for _, block := range list {
		st, err := jsonStatement(block)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// jsonStatement converts one statement of a JSON policy.
func jsonStatement(block map[string]any) (statement, error) {
	// Require a literal effect, since an unknown one cannot be judged.
	effect, _ := block["Effect"].(string)
	if effect != "Allow" && effect != "Deny" {
		return statement{}, fmt.Errorf("statement effect %v is neither Allow nor Deny",
			block["Effect"])
	}
	st := statement{
		allow:        effect == "Allow",
		actions:      stringList(block["Action"]),
		notActions:   stringList(block["NotAction"]),
		resources:    stringList(block["Resource"]),
		notResources: stringList(block["NotResource"]),
	}

	// Read Principal or NotPrincipal, which is "*" or a map of types.
	for _, key := range []string{"Principal", "NotPrincipal"} {
		switch p := block[key].(type) {
		case nil:
		case string:
			st.principals = append(st.principals, principalPairs("*", p)...)
			st.notPrincipal = st.notPrincipal || key == "NotPrincipal"
		case map[string]any:
			for _, kind := range sortedKeys(p) {
				st.principals = append(st.principals, principalPairs(kind, p[kind])...)
			}
			st.notPrincipal = st.notPrincipal || key == "NotPrincipal"
		default:
			return statement{}, fmt.Errorf("statement %s is a JSON %s", key, jsonKind(p))
		}
	}

	// Read Condition, a map of operators to maps of keys to values.
	if raw, ok := block["Condition"]; ok {
		tests, ok := raw.(map[string]any)
		if !ok {
			return statement{}, fmt.Errorf("statement Condition is a JSON %s", jsonKind(raw))
		}
		for _, test := range sortedKeys(tests) {
			keys, ok := tests[test].(map[string]any)
			if !ok {
				return statement{}, fmt.Errorf("condition %s is a JSON %s", test,
					jsonKind(tests[test]))
			}
			for _, variable := range sortedKeys(keys) {
				st.conditions = append(st.conditions, condition{
					test:     test,
					variable: variable,
					values:   scalarList(keys[variable]),
				})
			}
		}
	}
	return st, nil
}

// scalarList renders a condition value, a scalar or a list, as strings.
func scalarList(value any) []string {
	items, ok := value.([]any)
	if !ok {
		items = []any{value}
	}
	var out []string
	for _, item := range items {
		switch v := item.(type) {
		case string:
			out = append(out, v)
		case bool:
			out = append(out, fmt.Sprint(v))
		case json.Number:
			out = append(out, v.String())
		case float64:
			out = append(out, fmt.Sprint(v))
		}
	}
	return out
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// isWildcardAction reports whether action grants every action of every
// service.
func isWildcardAction(action string) bool {
	return action == "*" || action == "*:*"
}

// isServiceWildcard reports whether action grants every action of one
// service, such as s3:*.
func isServiceWildcard(action string) bool {
	service, rest, ok := strings.Cut(action, ":")
	return ok && service != "" && service != "*" && rest == "*"
}

// isAnyone reports whether principal stands for every principal.
func isAnyone(principal string) bool {
	return principal == "*" || strings.HasSuffix(principal, ":*")
}
