package compliance

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openEgress is a stack with one finding of HIPAA.Custom-NoUnrestrictedEgress
// on the resource whose path is test/out.
const openEgress = `{"resource": {"aws_vpc_security_group_egress_rule": {"out": {
	"security_group_id": "sg-1", "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"
}}}}`

// TestLoadSuppressions covers a valid file and each kind of bad entry.
func TestLoadSuppressions(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		want    []Suppression
		wantErr []string
	}{
		{
			name: "valid",
			file: `{"suppressions": [{"rule_id": "HIPAA.Custom-NoUnrestrictedEgress",
				"resource": "test/out", "reason": "NAT egress for package installs"}]}`,
			want: []Suppression{{
				RuleID:   "HIPAA.Custom-NoUnrestrictedEgress",
				Resource: "test/out",
				Reason:   "NAT egress for package installs",
			}},
		},
		{
			name: "empty list",
			file: `{"suppressions": []}`,
			want: []Suppression{},
		},
		{
			name: "reason missing",
			file: `{"suppressions": [{"rule_id": "HIPAA.Custom-NoUnrestrictedEgress",
				"resource": "test/out"}]}`,
			wantErr: []string{"suppression 1", "reason is empty"},
		},
		{
			name: "reason blank and resource missing",
			file: `{"suppressions": [{"rule_id": "HIPAA.Custom-NoUnrestrictedEgress",
				"resource": " ", "reason": " \t"}]}`,
			wantErr: []string{"resource is empty", "reason is empty"},
		},
		{
			name: "unknown rule",
			file: `{"suppressions": [{"rule_id": "HIPAA.Security-Nope",
				"resource": "test/out", "reason": "typo"}]}`,
			wantErr: []string{`rule_id "HIPAA.Security-Nope" is not a known rule`},
		},
		{
			name: "misspelt field",
			file: `{"suppressions": [{"rule_id": "HIPAA.Custom-NoUnrestrictedEgress",
				"resource": "test/out", "reson": "typo"}]}`,
			wantErr: []string{`unknown field "reson"`},
		},
		{
			name:    "not JSON",
			file:    `suppressions:`,
			wantErr: []string{"decode suppressions"},
		},
		{
			name:    "two documents",
			file:    `{"suppressions": []} {}`,
			wantErr: []string{"trailing data"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LoadSuppressions(strings.NewReader(tc.file))
			if len(tc.wantErr) > 0 {
				require.Error(t, err)
				for _, want := range tc.wantErr {
					assert.Contains(t, err.Error(), want)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestCheckSuppressions covers how Check applies suppressions.
func TestCheckSuppressions(t *testing.T) {
	const rule = "HIPAA.Custom-NoUnrestrictedEgress"
	tests := []struct {
		name           string
		suppressions   []Suppression
		wantSuppressed bool
		wantReason     string
		wantUnmatched  []Suppression
		wantErr        string
	}{
		{
			name:          "none",
			wantUnmatched: []Suppression{},
		},
		{
			name: "by construct path",
			suppressions: []Suppression{
				{RuleID: rule, Resource: "test/out", Reason: " NAT egress "},
			},
			wantSuppressed: true,
			wantReason:     "NAT egress",
			wantUnmatched:  []Suppression{},
		},
		{
			name: "by address",
			suppressions: []Suppression{
				{
					RuleID:   rule,
					Resource: "aws_vpc_security_group_egress_rule.out",
					Reason:   "NAT egress",
				},
			},
			wantSuppressed: true,
			wantReason:     "NAT egress",
			wantUnmatched:  []Suppression{},
		},
		{
			name: "other rule and other resource match nothing",
			suppressions: []Suppression{
				{RuleID: "HIPAA.Security-EC2RestrictedSSH", Resource: "test/out", Reason: "r1"},
				{RuleID: rule, Resource: "test/elsewhere", Reason: "r2"},
			},
			wantUnmatched: []Suppression{
				{RuleID: "HIPAA.Security-EC2RestrictedSSH", Resource: "test/out", Reason: "r1"},
				{RuleID: rule, Resource: "test/elsewhere", Reason: "r2"},
			},
		},
		{
			name:         "without a reason",
			suppressions: []Suppression{{RuleID: rule, Resource: "test/out"}},
			wantErr:      "reason is empty",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			report, err := Check(synth(t, openEgress), tc.suppressions)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)

			// The one finding carries the suppression, and strict mode follows it.
			require.Len(t, report.Findings, 1)
			f := report.Findings[0]
			assert.Equal(t, rule, f.RuleID)
			assert.Equal(t, tc.wantSuppressed, f.Suppressed)
			assert.Equal(t, tc.wantReason, f.SuppressionReason)
			assert.Equal(t, !tc.wantSuppressed, report.Failed())
			assert.Equal(t, tc.wantUnmatched, report.UnmatchedSuppressions)
		})
	}
}
