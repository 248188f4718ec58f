package compliance

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Suppression accepts the findings of one rule on one resource, for a
// written reason.
type Suppression struct {
	// RuleID is the ID of the rule whose findings are accepted.
	RuleID string `json:"rule_id"`
	// Resource is the construct path (such as stack/alb/Sg) or the Terraform
	// address (such as aws_security_group.alb_sg_1A2B) of the resource.
	Resource string `json:"resource"`
	// Reason explains why the finding is accepted; it must not be empty.
	Reason string `json:"reason"`
}

// suppressionFile is the layout of a suppressions file.
type suppressionFile struct {
	Suppressions []Suppression `json:"suppressions"`
}

// LoadSuppressions reads a suppressions file, a JSON object whose
// "suppressions" list holds objects with rule_id, resource and reason, and
// validates every entry.
func LoadSuppressions(r io.Reader) ([]Suppression, error) {
	// Decode strictly, so that a misspelt field is not silently ignored.
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var file suppressionFile
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("decode suppressions: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decode suppressions: trailing data after the JSON object")
	}

	// Validate the entries before anyone relies on them.
	if err := validateSuppressions(file.Suppressions); err != nil {
		return nil, err
	}
	return file.Suppressions, nil
}

// validateSuppressions requires a known rule, a resource and a reason in
// every entry, and reports every bad entry at once.
func validateSuppressions(suppressions []Suppression) error {
	var errs []error
	for i, s := range suppressions {
		label := fmt.Sprintf("suppression %d (%s on %s)", i+1, s.RuleID, s.Resource)
		if _, ok := ruleByID(s.RuleID); !ok {
			errs = append(errs, fmt.Errorf("%s: rule_id %q is not a known rule", label, s.RuleID))
		}
		if strings.TrimSpace(s.Resource) == "" {
			errs = append(errs, fmt.Errorf("%s: resource is empty", label))
		}
		if strings.TrimSpace(s.Reason) == "" {
			errs = append(errs, fmt.Errorf("%s: reason is empty, and a suppression "+
				"needs a written reason", label))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid suppressions: %w", errors.Join(errs...))
	}
	return nil
}

// matches reports whether s accepts a finding.
func (s Suppression) matches(f Finding) bool {
	return s.RuleID == f.RuleID && (s.Resource == f.Path || s.Resource == f.Address)
}
