//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// acceptedDifference is a planned change after a deploy that comes from
// the emulator, not from the stack: one attribute of one resource that the
// emulator reads back empty. A value it reads back wrong is still drift.
type acceptedDifference struct {
	// address is the resource's Terraform address, its type and logical
	// name, such as aws_vpc_security_group_egress_rule.compute_https-to-s3_704FF786.
	address string
	// attribute is the top-level attribute that differs.
	attribute string
	// reason says why the emulator, and not the stack, causes it.
	reason string
}

// referencingRuleDescription is why the description of a rule that names a
// security group or a prefix list, rather than a CIDR block, comes back
// empty.
const referencingRuleDescription = "moto 5.2 keeps no description for a " +
	"rule that references a security group or a prefix list, so the provider " +
	"reads none back; the rules with a CIDR block keep theirs"

// acceptedDifferences lists every difference that the re-plan may show,
// rule by rule. Anything else fails the test.
var acceptedDifferences = []acceptedDifference{
	{
		// The instance admits the app port from the load balancer's group.
		address:   "aws_vpc_security_group_ingress_rule.compute_app-port-from-load-balancer_11CD6B58",
		attribute: "description",
		reason:    referencingRuleDescription,
	},
	{
		// The load balancer sends to the instance's group.
		address:   "aws_vpc_security_group_egress_rule.ingress_app-port-to-instance_D0942254",
		attribute: "description",
		reason:    referencingRuleDescription,
	},
	{
		// The instance sends to S3 by its managed prefix list.
		address:   "aws_vpc_security_group_egress_rule.compute_https-to-s3_704FF786",
		attribute: "description",
		reason:    referencingRuleDescription,
	},
}

// planFile is the part of `terraform show -json` that the test reads.
type planFile struct {
	ResourceChanges []struct {
		Address string `json:"address"`
		Change  struct {
			Actions      []string       `json:"actions"`
			Before       map[string]any `json:"before"`
			After        map[string]any `json:"after"`
			AfterUnknown map[string]any `json:"after_unknown"`
		} `json:"change"`
	} `json:"resource_changes"`
	OutputChanges map[string]struct {
		Actions []string `json:"actions"`
	} `json:"output_changes"`
}

// replan plans the deployed stack again and returns the changes that are
// not in acceptedDifferences, each as "address: what", and how long the
// plan took.
func (w *workspace) replan(t *testing.T) ([]string, time.Duration) {
	t.Helper()

	// Plan into a file, so that the changes can be read as JSON.
	planPath := filepath.Join(w.dir, "replan.tfplan")
	elapsed := w.terraform(t, 5*time.Minute, "plan", "-input=false", "-no-color",
		"-lock-timeout=30s", "-out="+planPath)
	showLog := filepath.Join(w.dir, "terraform-show.log")
	w.terraform(t, time.Minute, "show", "-json", "-no-color", planPath)
	content, err := os.ReadFile(showLog)
	require.NoError(t, err)
	var plan planFile
	require.NoError(t, json.Unmarshal(content, &plan), "decode the plan in %s", showLog)

	// Every change to a resource must be an update of accepted attributes.
	var unexpected []string
	for _, change := range plan.ResourceChanges {
		actions := change.Change.Actions
		if slices.Equal(actions, []string{"no-op"}) || slices.Equal(actions, []string{"read"}) {
			continue
		}
		if !slices.Equal(actions, []string{"update"}) {
			unexpected = append(unexpected, fmt.Sprintf("%s: %v", change.Address, actions))
			continue
		}
		before := change.Change.Before
		for _, attribute := range changedAttributes(before, change.Change.After,
			change.Change.AfterUnknown) {
			if reason, ok := accepted(change.Address, attribute, before[attribute]); ok {
				t.Logf("accepted emulator difference %s.%s: %s", change.Address, attribute, reason)
				continue
			}
			unexpected = append(unexpected, fmt.Sprintf("%s: %s changes", change.Address, attribute))
		}
	}

	// Outputs must not change either.
	for name, change := range plan.OutputChanges {
		if !slices.Equal(change.Actions, []string{"no-op"}) {
			unexpected = append(unexpected, fmt.Sprintf("output %s: %v", name, change.Actions))
		}
	}
	sort.Strings(unexpected)
	return unexpected, elapsed
}

// changedAttributes lists the top-level attributes whose planned value
// differs from the current one or is not known until apply.
func changedAttributes(before, after, unknown map[string]any) []string {
	var changed []string
	for name := range after {
		if !reflect.DeepEqual(before[name], after[name]) || isUnknown(unknown[name]) {
			changed = append(changed, name)
		}
	}
	sort.Strings(changed)
	return changed
}

// isUnknown reports whether an after_unknown entry marks any part of a
// value as unknown.
func isUnknown(marker any) bool {
	switch value := marker.(type) {
	case bool:
		return value
	case []any:
		return slices.ContainsFunc(value, isUnknown)
	case map[string]any:
		for _, inner := range value {
			if isUnknown(inner) {
				return true
			}
		}
	}
	return false
}

// accepted returns the reason a difference is accepted, if it is: the
// attribute is one of acceptedDifferences and its current value is empty.
func accepted(address, attribute string, current any) (string, bool) {
	if current != nil && current != "" {
		return "", false
	}
	for _, difference := range acceptedDifferences {
		if difference.address == address && difference.attribute == attribute {
			return difference.reason, true
		}
	}
	return "", false
}
