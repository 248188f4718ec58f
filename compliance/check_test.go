package compliance

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/internal/golden"
)

// TestCheckBadInput checks that input which is not Terraform JSON gives a
// clear error.
func TestCheckBadInput(t *testing.T) {
	tests := []struct {
		name    string
		stack   string
		wantErr string
	}{
		{name: "empty", stack: ``, wantErr: "decode stack: EOF"},
		{name: "not JSON", stack: `resource "aws_vpc" "main" {}`, wantErr: "decode stack"},
		{name: "truncated", stack: `{"resource": {`, wantErr: "decode stack"},
		{name: "array", stack: `[]`, wantErr: "decode stack"},
		{name: "null", stack: `null`, wantErr: "document is null"},
		{name: "two documents", stack: `{} {}`, wantErr: "trailing data"},
		{
			name:    "resource is a list",
			stack:   `{"resource": []}`,
			wantErr: "read resources: want an object of types, got array",
		},
		{
			name:    "type is a string",
			stack:   `{"resource": {"aws_vpc": "main"}}`,
			wantErr: "aws_vpc: want an object of names, got string",
		},
		{
			name:    "resource body is a number",
			stack:   `{"data": {"aws_iam_policy_document": {"doc": 1}}}`,
			wantErr: "read data sources: aws_iam_policy_document.doc: want an object, got number",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Check([]byte(tc.stack), nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// TestCheckEmptyStack checks that a stack without resources passes, with
// every rule not applicable.
func TestCheckEmptyStack(t *testing.T) {
	report, err := Check([]byte(`{"terraform": {}}`), nil)
	require.NoError(t, err)

	assert.False(t, report.Failed())
	assert.Empty(t, report.Findings)
	require.Len(t, report.Rules, len(Rules()))
	for _, result := range report.Rules {
		assert.Equal(t, StatusNotApplicable, result.Status, result.ID)
	}
}

// TestCheckMissingMetadata checks that a resource without construct
// metadata is reported under its address.
func TestCheckMissingMetadata(t *testing.T) {
	stack := `{"resource": {"aws_kms_key": {"key": {"description": "bare"}}}}`
	report, err := Check([]byte(stack), nil)
	require.NoError(t, err)

	require.Len(t, report.Findings, 1)
	assert.Equal(t, "aws_kms_key.key", report.Findings[0].Path)
	assert.Equal(t, "aws_kms_key.key", report.Findings[0].Address)
}

// TestReportGolden renders the report of a realistic stack, with one
// suppressed finding, one failing finding and one stale suppression, as
// JSON and as a table.
func TestReportGolden(t *testing.T) {
	// Check the stack with its suppressions.
	stack, err := os.ReadFile("testdata/stack.json")
	require.NoError(t, err)
	file, err := os.Open("testdata/suppressions.json")
	require.NoError(t, err)
	defer file.Close()
	suppressions, err := LoadSuppressions(file)
	require.NoError(t, err)
	report, err := Check(stack, suppressions)
	require.NoError(t, err)
	assert.True(t, report.Failed())

	// Compare both renderings with their golden files.
	tests := []struct {
		golden string
		write  func(*bytes.Buffer) error
	}{
		{
			golden: "testdata/report.golden.json",
			write:  func(b *bytes.Buffer) error { return report.WriteJSON(b) },
		},
		{
			golden: "testdata/report.golden.txt",
			write:  func(b *bytes.Buffer) error { return report.WriteTable(b) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, tc.write(&out))
			golden.Assert(t, tc.golden, out.Bytes())
		})
	}
}

// TestReportDeterministic checks that two runs give identical JSON, since
// map iteration order must not leak into the report.
func TestReportDeterministic(t *testing.T) {
	stack, err := os.ReadFile("testdata/stack.json")
	require.NoError(t, err)

	var first, second bytes.Buffer
	for _, out := range []*bytes.Buffer{&first, &second} {
		report, err := Check(stack, nil)
		require.NoError(t, err)
		require.NoError(t, report.WriteJSON(out))
	}
	assert.Equal(t, first.String(), second.String())
}
