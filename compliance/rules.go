package compliance

import (
	"fmt"
	"sort"
)

// The HIPAA Security Rule safeguards that the rules serve: the technical
// safeguards of 45 CFR 164.312 and one administrative safeguard of 164.308.
const (
	// SafeguardContingencyPlan is 164.308(a)(7)(i), contingency plan.
	SafeguardContingencyPlan = "164.308(a)(7)(i)"
	// SafeguardAccessControl is 164.312(a)(1), access control.
	SafeguardAccessControl = "164.312(a)(1)"
	// SafeguardEncryption is 164.312(a)(2)(iv), encryption and decryption.
	SafeguardEncryption = "164.312(a)(2)(iv)"
	// SafeguardAuditControls is 164.312(b), audit controls.
	SafeguardAuditControls = "164.312(b)"
	// SafeguardIntegrity is 164.312(c)(1), integrity.
	SafeguardIntegrity = "164.312(c)(1)"
	// SafeguardTransmission is 164.312(e)(1), transmission security.
	SafeguardTransmission = "164.312(e)(1)"
)

// SafeguardTitle returns the heading of a 45 CFR paragraph, or "" for a
// paragraph that no rule uses.
func SafeguardTitle(safeguard string) string {
	switch safeguard {
	case SafeguardContingencyPlan:
		return "Contingency plan"
	case SafeguardAccessControl:
		return "Access control"
	case SafeguardEncryption:
		return "Encryption and decryption"
	case SafeguardAuditControls:
		return "Audit controls"
	case SafeguardIntegrity:
		return "Integrity"
	case SafeguardTransmission:
		return "Transmission security"
	default:
		return ""
	}
}

// Rule is one check that a synthesized stack must pass.
type Rule struct {
	// ID is the stable identifier that suppressions and reports use. Rules
	// modelled on cdk-nag's HIPAA.Security pack carry its name; the others
	// start with HIPAA.Custom.
	ID string
	// Safeguard is the 45 CFR paragraph that the rule serves.
	Safeguard string
	// Description says what the rule checks, in one sentence.
	Description string
	// Fix says how to make a failing resource pass.
	Fix string
	// ResourceTypes lists the Terraform types whose resources the rule
	// evaluates; a rule with none of them in the stack does not apply.
	ResourceTypes []string

	// check returns the violations that the rule finds in a stack.
	check func(s *stack) []violation
}

// violation is one failure of a rule, before the report adds the rule's
// metadata and the suppressions.
type violation struct {
	// resource is the resource at fault.
	resource *resource
	// message says what is wrong.
	message string
}

// fail returns a violation of r with a formatted message.
func fail(r *resource, format string, args ...any) violation {
	return violation{resource: r, message: fmt.Sprintf(format, args...)}
}

// Rules returns every rule, sorted by ID.
func Rules() []Rule {
	// Collect the rules of each area of the stack.
	var all []Rule
	all = append(all, networkRules()...)
	all = append(all, computeRules()...)
	all = append(all, loadBalancerRules()...)
	all = append(all, identityRules()...)
	all = append(all, storageRules()...)
	all = append(all, loggingRules()...)

	// Sort them so that reports and documents keep one order.
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// ruleByID returns the rule with the given ID and whether it exists.
func ruleByID(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
