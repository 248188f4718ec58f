package compliance

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/bedrock-chat/stack/internal/golden"
)

// TestRulesDocument keeps RULES.md in step with Rules(); run
// go test ./... -update after changing a rule.
func TestRulesDocument(t *testing.T) {
	golden.Assert(t, "RULES.md", rulesMarkdown())
}

// rulesMarkdown renders the rule table of RULES.md.
func rulesMarkdown() []byte {
	var b bytes.Buffer

	// Say where the document comes from.
	fmt.Fprintln(&b, "# HIPAA rule pack")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "This file is generated from `compliance.Rules()` by")
	fmt.Fprintln(&b, "`go test ./... -update`; edit the rules, not this file.")
	fmt.Fprintln(&b, "Rules named `HIPAA.Security-*` follow the cdk-nag HIPAA Security")
	fmt.Fprintln(&b, "pack rule of the same name; `HIPAA.Custom-*` rules are this project's.")
	fmt.Fprintln(&b)

	// List the safeguards that the rules serve.
	fmt.Fprintln(&b, "| Safeguard (45 CFR) | Standard |")
	fmt.Fprintln(&b, "| --- | --- |")
	for _, safeguard := range []string{
		SafeguardContingencyPlan,
		SafeguardAccessControl,
		SafeguardEncryption,
		SafeguardAuditControls,
		SafeguardIntegrity,
		SafeguardTransmission,
	} {
		fmt.Fprintf(&b, "| %s | %s |\n", safeguard, SafeguardTitle(safeguard))
	}
	fmt.Fprintln(&b)

	// Write one row per rule.
	fmt.Fprintln(&b, "| Rule | Safeguard | What it checks | Resource types | Fix |")
	fmt.Fprintln(&b, "| --- | --- | --- | --- | --- |")
	for _, rule := range Rules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n",
			rule.ID,
			rule.Safeguard,
			escapeCell(rule.Description),
			"`"+strings.Join(rule.ResourceTypes, "`, `")+"`",
			escapeCell(rule.Fix),
		)
	}
	fmt.Fprintln(&b)
	b.WriteString(rulesDocumentTail)
	return b.Bytes()
}

// rulesDocumentTail is the prose that follows the rule table.
const rulesDocumentTail = `## Suppressions

A suppressions file accepts one rule's findings on one resource, named by its
construct path or its Terraform address, for a written reason:

` + "```json" + `
{
  "suppressions": [
    {
      "rule_id": "HIPAA.Custom-NoUnrestrictedEgress",
      "resource": "bedrock-chat/compute/https-out",
      "reason": "The instance reaches the internet through the NAT gateway."
    }
  ]
}
` + "```" + `

An entry with an empty reason, an unknown rule ID or an unknown field is an
error. An entry that matches no finding is listed as a warning.

## Known limitations

- The engine reads only what synth writes. Variables, locals and function
  calls other than jsonencode cannot be evaluated; a rule that needs one
  reports a finding saying so instead of passing.
- jsonencode expressions are parsed on a best-effort basis: objects, lists,
  strings, numbers, booleans, null and bare references. Operators,
  conditionals, for expressions and function calls make the policy a
  finding.
- The statements of source_policy_documents and override_policy_documents
  are merged as a union; an override that replaces a statement by its sid is
  not modelled.
- Resources are matched by references inside the stack. Settings made
  outside it (account-wide S3 public access blocks, default EBS encryption,
  other stacks) are not seen and need a suppression with a reason.
- Launch templates, auto scaling groups, network ACLs, aws_alb_listener_rule
  and target group protocols are not checked.
- An endpoint policy may name the "*" principal when an aws:PrincipalAccount,
  aws:PrincipalOrgID, aws:PrincipalOrgPaths or aws:PrincipalArn condition
  narrows it.
`

// escapeCell keeps text from breaking a Markdown table row.
func escapeCell(text string) string {
	return strings.ReplaceAll(text, "|", `\|`)
}
