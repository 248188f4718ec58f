package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	// Accepts -update, so that go test ./... -update runs this package too.
	_ "github.com/bedrock-chat/stack/internal/golden"
)

// TestRun covers the flags, the outcomes and the bad inputs of the command.
func TestRun(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantErr    error
		wantErrMsg string
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{
			name: "clean stack",
			args: []string{"-strict", "testdata/clean.json"},
			wantStdout: []string{
				"HIPAA.Security-KMSBackingKeyRotationEnabled", "PASS", "strict mode would pass",
			},
		},
		{
			name:       "findings without strict mode",
			args:       []string{"testdata/findings.json"},
			wantStdout: []string{"demo/logs/key", "FAIL", "enable_key_rotation is false"},
		},
		{
			name:       "findings in strict mode",
			args:       []string{"-strict", "testdata/findings.json"},
			wantErr:    errStrictFailure,
			wantCode:   1,
			wantStdout: []string{"FAIL", "strict mode would fail"},
		},
		{
			name: "suppressed findings in strict mode",
			args: []string{
				"-strict", "-suppressions", "testdata/suppressions.json", "testdata/findings.json",
			},
			wantStdout: []string{"SUPPRESSED", "rotated by hand"},
		},
		{
			name: "suppression that matches nothing",
			args: []string{"-suppressions", "testdata/suppressions.json", "testdata/clean.json"},
			wantStdout: []string{
				"warning: suppression of HIPAA.Security-KMSBackingKeyRotationEnabled " +
					"on demo/logs/key matched no finding",
			},
		},
		{
			name: "suppression without a reason",
			args: []string{
				"-suppressions", "testdata/no-reason.json", "testdata/findings.json",
			},
			wantErrMsg: "reason is empty",
			wantCode:   2,
		},
		{
			name:       "missing suppressions file",
			args:       []string{"-suppressions", "testdata/absent.json", "testdata/clean.json"},
			wantErrMsg: "read suppressions",
			wantCode:   2,
		},
		{
			name:       "missing stack",
			args:       []string{"testdata/absent.json"},
			wantErrMsg: "read stack: open testdata/absent.json",
			wantCode:   2,
		},
		{
			name:       "truncated JSON",
			args:       []string{"testdata/truncated.json"},
			wantErrMsg: "check testdata/truncated.json: check stack: decode stack",
			wantCode:   2,
		},
		{
			name:       "no stack argument",
			args:       []string{"-strict"},
			wantErrMsg: "want one stack file, got 0 arguments",
			wantCode:   2,
			wantStderr: "usage: hipaa-check",
		},
		{
			name:       "unknown flag",
			args:       []string{"-lenient", "testdata/clean.json"},
			wantErrMsg: "flag provided but not defined: -lenient",
			wantCode:   2,
		},
		{
			name:       "help",
			args:       []string{"-h"},
			wantErr:    flag.ErrHelp,
			wantStderr: "-suppressions file",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tc.args, &stdout, &stderr)

			// Check the error and the exit status it maps to.
			switch {
			case tc.wantErr != nil:
				assert.ErrorIs(t, err, tc.wantErr)
			case tc.wantErrMsg != "":
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErrMsg)
			default:
				require.NoError(t, err)
			}
			assert.Equal(t, tc.wantCode, exitCode(err, &bytes.Buffer{}))

			// Check what the command printed.
			for _, want := range tc.wantStdout {
				assert.Contains(t, stdout.String(), want)
			}
			assert.Contains(t, stderr.String(), tc.wantStderr)
		})
	}
}

// TestRunWritesJSON checks that -json writes a report that decodes.
func TestRunWritesJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.json")

	// Run the command with a finding and strict mode off.
	var stdout, stderr bytes.Buffer
	err := run([]string{"-json", path, "testdata/findings.json"}, &stdout, &stderr)
	require.NoError(t, err)

	// Decode the report and look at its summary and finding.
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var report struct {
		Summary struct {
			Failed       int  `json:"failed"`
			StrictFailed bool `json:"strict_failed"`
		} `json:"summary"`
		Findings []struct {
			RuleID string `json:"rule_id"`
			Path   string `json:"path"`
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal(data, &report))
	assert.Equal(t, 1, report.Summary.Failed)
	assert.True(t, report.Summary.StrictFailed)
	require.Len(t, report.Findings, 1)
	assert.Equal(t, "HIPAA.Security-KMSBackingKeyRotationEnabled", report.Findings[0].RuleID)
	assert.Equal(t, "demo/logs/key", report.Findings[0].Path)
}

// TestRunJSONUnwritable checks that an unwritable -json path is an error.
func TestRunJSONUnwritable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing-dir", "report.json")
	err := run([]string{"-json", path, "testdata/clean.json"}, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "create JSON report")
	assert.Equal(t, 2, exitCode(err, &bytes.Buffer{}))
}

// TestExitCodeReports checks that a failing run names itself on stderr.
func TestExitCodeReports(t *testing.T) {
	var stderr bytes.Buffer
	code := exitCode(errors.New("read stack: boom"), &stderr)
	assert.Equal(t, 2, code)
	assert.Equal(t, "hipaa-check: read stack: boom\n", stderr.String())
}
