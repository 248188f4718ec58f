// Package compliance checks a synthesized CDK for Terraform stack against
// HIPAA Security Rule safeguards before anything is deployed.
//
// Check reads the cdk.tf.json file that cdktf synth writes, runs every rule
// of Rules on it and returns a Report. Rules carry the names of their
// counterparts in cdk-nag's HIPAA.Security pack where one exists, and each
// names the 45 CFR paragraph it serves, mostly of 164.312. A Suppression
// accepts one rule's findings on one resource for a written reason.
//
// NOTE: the engine reads only what synth writes. Values that Terraform
// computes at plan time, such as variables, function calls other than
// jsonencode, or attributes of other resources, cannot be evaluated; a rule
// that needs one reports a finding rather than passing.
package compliance

import (
	"fmt"
	"slices"
	"strings"
)

// Finding is one failure of a rule on one resource.
type Finding struct {
	// RuleID is the ID of the rule that failed.
	RuleID string `json:"rule_id"`
	// Safeguard is the 45 CFR paragraph that the rule serves.
	Safeguard string `json:"safeguard"`
	// Address is the Terraform address, such as aws_lb.alb_alb_1A2B3C.
	Address string `json:"address"`
	// Path is the construct path from the resource's metadata, or the
	// address when the metadata has none.
	Path string `json:"path"`
	// Message says what is wrong.
	Message string `json:"message"`
	// Fix says how to make the resource pass.
	Fix string `json:"fix"`
	// Suppressed is true when a suppression accepts the finding.
	Suppressed bool `json:"suppressed"`
	// SuppressionReason is the reason of that suppression.
	SuppressionReason string `json:"suppression_reason,omitempty"`
}

// The statuses that a rule or a finding can have in a report.
const (
	// StatusPass means the rule found nothing wrong.
	StatusPass = "PASS"
	// StatusFail means at least one finding is not suppressed.
	StatusFail = "FAIL"
	// StatusSuppressed means every finding of the rule is suppressed.
	StatusSuppressed = "SUPPRESSED"
	// StatusNotApplicable means the stack has nothing the rule evaluates.
	StatusNotApplicable = "N/A"
)

// RuleResult is the outcome of one rule on the whole stack.
type RuleResult struct {
	// ID is the rule's ID.
	ID string `json:"rule_id"`
	// Safeguard is the 45 CFR paragraph that the rule serves.
	Safeguard string `json:"safeguard"`
	// Status is one of StatusPass, StatusFail, StatusSuppressed and
	// StatusNotApplicable.
	Status string `json:"status"`
	// Checked counts the resources of the rule's ResourceTypes.
	Checked int `json:"resources_checked"`
	// Failed counts the findings that are not suppressed.
	Failed int `json:"failed"`
	// Suppressed counts the findings that are suppressed.
	Suppressed int `json:"suppressed"`
}

// Report is the outcome of Check.
type Report struct {
	// Rules holds one result per rule, sorted by ID.
	Rules []RuleResult `json:"rules"`
	// Findings holds every finding, suppressed or not, sorted by rule ID,
	// address and message.
	Findings []Finding `json:"findings"`
	// UnmatchedSuppressions lists the suppressions that matched no finding,
	// in the order they were given.
	UnmatchedSuppressions []Suppression `json:"unmatched_suppressions"`
}

// Failed reports whether strict mode fails: whether any finding is not
// suppressed.
func (r Report) Failed() bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return !f.Suppressed })
}

// Check runs every rule on a synthesized stack, the contents of a
// cdk.tf.json file, and applies the suppressions. It returns an error for a
// document that is not Terraform JSON and for an invalid suppression.
func Check(stackJSON []byte, suppressions []Suppression) (Report, error) {
	// Refuse suppressions without a known rule, a resource or a reason.
	if err := validateSuppressions(suppressions); err != nil {
		return Report{}, err
	}

	// Parse the stack.
	s, err := parseStack(stackJSON)
	if err != nil {
		return Report{}, fmt.Errorf("check stack: %w", err)
	}

	// Run each rule and apply the suppressions to its findings.
	report := Report{Rules: []RuleResult{}, Findings: []Finding{}}
	used := make([]bool, len(suppressions))
	for _, rule := range Rules() {
		findings := ruleFindings(rule, s)
		result := RuleResult{
			ID:        rule.ID,
			Safeguard: rule.Safeguard,
			Checked:   len(s.ofType(rule.ResourceTypes...)),
		}
		for i := range findings {
			for j, sup := range suppressions {
				if !findings[i].Suppressed && sup.matches(findings[i]) {
					findings[i].Suppressed = true
					findings[i].SuppressionReason = strings.TrimSpace(sup.Reason)
					used[j] = true
				}
			}
			if findings[i].Suppressed {
				result.Suppressed++
			} else {
				result.Failed++
			}
		}
		result.Status = ruleStatus(result)
		report.Rules = append(report.Rules, result)
		report.Findings = append(report.Findings, findings...)
	}

	// List the suppressions that accepted nothing.
	report.UnmatchedSuppressions = []Suppression{}
	for j, sup := range suppressions {
		if !used[j] {
			report.UnmatchedSuppressions = append(report.UnmatchedSuppressions, sup)
		}
	}
	return report, nil
}

// ruleFindings runs one rule and turns its violations into sorted,
// distinct findings.
func ruleFindings(rule Rule, s *stack) []Finding {
	// Convert each violation, adding the rule's metadata.
	var findings []Finding
	for _, v := range rule.check(s) {
		path := v.resource.path
		if path == "" {
			path = v.resource.address()
		}
		findings = append(findings, Finding{
			RuleID:    rule.ID,
			Safeguard: rule.Safeguard,
			Address:   v.resource.address(),
			Path:      path,
			Message:   v.message,
			Fix:       rule.Fix,
		})
	}

	// Sort and drop repeats, such as two identical inline rules.
	slices.SortFunc(findings, func(a, b Finding) int {
		return strings.Compare(a.Address+"\x00"+a.Message, b.Address+"\x00"+b.Message)
	})
	return slices.Compact(findings)
}

// ruleStatus derives a rule's status from its counts.
func ruleStatus(r RuleResult) string {
	switch {
	case r.Failed > 0:
		return StatusFail
	case r.Suppressed > 0:
		return StatusSuppressed
	case r.Checked == 0:
		return StatusNotApplicable
	default:
		return StatusPass
	}
}
