package chatstack_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/compliance"
)

// projectSuppressions reads the suppressions that synth uses by default.
func projectSuppressions(t *testing.T) []compliance.Suppression {
	t.Helper()
	file, err := os.Open(filepath.Join("..", "hipaa-suppressions.json"))
	require.NoError(t, err)
	defer file.Close()
	suppressions, err := compliance.LoadSuppressions(file)
	require.NoError(t, err)
	return suppressions
}

// failedRules lists the rules of the findings that are not suppressed.
func failedRules(report compliance.Report) []string {
	var rules []string
	for _, finding := range report.Findings {
		if !finding.Suppressed {
			rules = append(rules, finding.RuleID+" "+finding.Path)
		}
	}
	return rules
}

func TestComplianceWithACertificatePassesStrictMode(t *testing.T) {
	for _, scenario := range []string{"certificate", "domain"} {
		t.Run(scenario, func(t *testing.T) {
			report, err := compliance.Check(synthesized[scenario].withPaths, projectSuppressions(t))
			require.NoError(t, err)

			// Nothing fails, and the one finding is the justified exception.
			assert.False(t, report.Failed(), "unsuppressed: %v", failedRules(report))
			require.Len(t, report.Findings, 1)
			assert.Equal(t, "HIPAA.Custom-NoUnrestrictedEgress", report.Findings[0].RuleID)
			assert.Equal(t, "bedrock-chat/compute/https-to-internet", report.Findings[0].Path)
			assert.True(t, report.Findings[0].Suppressed)
			assert.NotEmpty(t, report.Findings[0].SuppressionReason)
			assert.Empty(t, report.UnmatchedSuppressions)
		})
	}
}

func TestComplianceWithoutACertificateSaysWhatIsMissing(t *testing.T) {
	report, err := compliance.Check(synthesized["default"].withPaths, projectSuppressions(t))
	require.NoError(t, err)

	assert.True(t, report.Failed())
	assert.ElementsMatch(t, []string{
		"HIPAA.Security-ALBHttpToHttpsRedirection bedrock-chat/ingress/http-listener",
		"HIPAA.Security-ELBv2ACMCertificateRequired bedrock-chat/ingress/load-balancer",
	}, failedRules(report))
}

func TestComplianceReportsWhatASwitchTurnsOff(t *testing.T) {
	report, err := compliance.Check(synthesized["locked-down"].withPaths, projectSuppressions(t))
	require.NoError(t, err)

	// Without the preferences document, session logging is reported, and
	// so is a load balancer that may be deleted; without internet egress
	// the exception is left over.
	assert.ElementsMatch(t, []string{
		"HIPAA.Custom-SSMSessionLogging bedrock-chat/compute/instance",
		"HIPAA.Security-ELBDeletionProtectionEnabled bedrock-chat/ingress/load-balancer",
	}, failedRules(report))
	require.Len(t, report.UnmatchedSuppressions, 1)
	assert.Equal(t, "bedrock-chat/compute/https-to-internet", report.UnmatchedSuppressions[0].Resource)
}
