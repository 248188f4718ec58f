package compliance

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRules runs every case of ruleCases and checks that the rule under
// test flags the violating stacks and passes the compliant ones.
func TestRules(t *testing.T) {
	for _, tc := range ruleCases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			// Check the stack and keep the findings of the rule under test.
			report, err := Check(synth(t, tc.stack), nil)
			require.NoError(t, err)
			var messages []string
			for _, f := range report.Findings {
				if f.RuleID == tc.rule {
					messages = append(messages, f.Message)
				}
			}

			// Compare with what the case expects.
			if !tc.violates {
				assert.Empty(t, messages, "a compliant stack was flagged")
				return
			}
			require.NotEmpty(t, messages, "a violating stack was not flagged")
			assert.Contains(t, strings.Join(messages, "\n"), tc.message)
		})
	}
}

// TestEveryRuleHasCases keeps a rule from shipping without a violating and
// a compliant test stack, and keeps the cases pointed at real rules.
func TestEveryRuleHasCases(t *testing.T) {
	// Count the cases of each kind per rule.
	violating := map[string]int{}
	compliant := map[string]int{}
	for _, tc := range ruleCases {
		_, known := ruleByID(tc.rule)
		assert.True(t, known, "case %q names unknown rule %s", tc.name, tc.rule)
		if tc.violates {
			violating[tc.rule]++
		} else {
			compliant[tc.rule]++
		}
	}

	// Require both kinds for every rule.
	for _, rule := range Rules() {
		t.Run(rule.ID, func(t *testing.T) {
			assert.Positive(t, violating[rule.ID], "no violating stack in ruleCases")
			assert.Positive(t, compliant[rule.ID], "no compliant stack in ruleCases")
		})
	}
}

// TestRuleMetadata checks that every rule is complete and uniquely named.
func TestRuleMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, rule := range Rules() {
		t.Run(rule.ID, func(t *testing.T) {
			assert.False(t, seen[rule.ID], "duplicate rule ID")
			seen[rule.ID] = true
			assert.Regexp(t, `^HIPAA\.(Security|Custom)-[A-Za-z0-9]+$`, rule.ID)
			assert.NotEmpty(t, SafeguardTitle(rule.Safeguard), "unknown safeguard")
			assert.NotEmpty(t, rule.Description)
			assert.NotEmpty(t, rule.Fix)
			assert.NotEmpty(t, rule.ResourceTypes)
			assert.NotNil(t, rule.check)
		})
	}
}
