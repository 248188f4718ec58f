package compliance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadPolicy covers the three forms a policy argument can take and the
// ones the engine must refuse.
func TestLoadPolicy(t *testing.T) {
	// The data source that the reference cases point at.
	s, err := parseStack(synth(t, `{"data": {"aws_iam_policy_document": {
		"doc": {"statement": [
			{"actions": ["s3:GetObject"], "resources": ["*"],
			 "principals": [{"type": "Service", "identifiers": ["ec2.amazonaws.com"]}]},
			{"effect": "Deny", "not_actions": ["s3:GetObject"], "resources": ["*"],
			 "condition": {"test": "Bool", "variable": "aws:SecureTransport",
				"values": ["false"]}}
		]},
		"merged": {
			"source_policy_documents": ["${data.aws_iam_policy_document.doc.json}"],
			"statement": {"actions": ["kms:Decrypt"], "resources": ["*"]}
		}
	}}}`))
	require.NoError(t, err)

	tests := []struct {
		name    string
		value   any
		want    []statement
		wantErr string
	}{
		{
			name:  "data source",
			value: "${data.aws_iam_policy_document.doc.json}",
			want: []statement{
				{
					allow:      true,
					actions:    []string{"s3:GetObject"},
					resources:  []string{"*"},
					principals: []string{"Service:ec2.amazonaws.com"},
				},
				{
					notActions: []string{"s3:GetObject"},
					resources:  []string{"*"},
					conditions: []condition{
						{test: "Bool", variable: "aws:SecureTransport", values: []string{"false"}},
					},
				},
			},
		},
		{
			name:  "data source merging another",
			value: "${data.aws_iam_policy_document.merged.json}",
			want: []statement{
				{
					allow:      true,
					actions:    []string{"s3:GetObject"},
					resources:  []string{"*"},
					principals: []string{"Service:ec2.amazonaws.com"},
				},
				{
					notActions: []string{"s3:GetObject"},
					resources:  []string{"*"},
					conditions: []condition{
						{test: "Bool", variable: "aws:SecureTransport", values: []string{"false"}},
					},
				},
				{allow: true, actions: []string{"kms:Decrypt"}, resources: []string{"*"}},
			},
		},
		{
			name: "JSON string",
			value: `{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
				"Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
				"Condition": {"Bool": {"aws:SecureTransport": false}}}]}`,
			want: []statement{{
				actions:    []string{"s3:*"},
				resources:  []string{"arn:aws:s3:::b", "arn:aws:s3:::b/*"},
				principals: []string{"*"},
				conditions: []condition{
					{test: "Bool", variable: "aws:SecureTransport", values: []string{"false"}},
				},
			}},
		},
		{
			name: "jsonencode with references and templates",
			value: "${jsonencode({\"Statement\" = [{\"Action\" = [\"logs:PutLogEvents\"], " +
				"\"Effect\" = \"Allow\", \"Principal\" = {AWS = \"*\"}, " +
				"\"Resource\" = [aws_cloudwatch_log_group.app.arn, " +
				"\"${aws_cloudwatch_log_group.app.arn}:*\"]}], \"Version\" = \"2012-10-17\"})}",
			want: []statement{{
				allow:   true,
				actions: []string{"logs:PutLogEvents"},
				resources: []string{
					"${aws_cloudwatch_log_group.app.arn}",
					"${aws_cloudwatch_log_group.app.arn}:*",
				},
				principals: []string{"*"},
			}},
		},
		{
			name: "jsonencode across lines without commas",
			value: "${jsonencode({\n  Version = \"2012-10-17\"\n  Statement = [{\n" +
				"    Effect = \"Allow\"\n    Action = \"s3:GetObject\"\n" +
				"    Resource = \"*\"\n  }]\n})}",
			want: []statement{{
				allow:     true,
				actions:   []string{"s3:GetObject"},
				resources: []string{"*"},
			}},
		},
		{name: "not set", value: nil, wantErr: "no policy is set"},
		{name: "empty", value: "  ", wantErr: "no policy is set"},
		{name: "not a string", value: map[string]any{}, wantErr: "want a string"},
		{
			name:    "missing data source",
			value:   "${data.aws_iam_policy_document.gone.json}",
			wantErr: "data.aws_iam_policy_document.gone, which is not in the stack",
		},
		{
			name:    "other expression",
			value:   "${var.policy}",
			wantErr: "cannot be evaluated at synth time",
		},
		{
			name:    "function call inside jsonencode",
			value:   "${jsonencode({Statement = concat(local.a, local.b)})}",
			wantErr: "function call concat(...) is not supported",
		},
		{
			name:    "conditional inside jsonencode",
			value:   "${jsonencode({Statement = var.admin ? local.a : local.b})}",
			wantErr: "want , or } after the value of \"Statement\"",
		},
		{
			name:    "action from a variable",
			value:   "${jsonencode({Statement = [{Effect = \"Allow\", Action = var.actions}]})}",
			wantErr: `statement 1: action "${var.actions}" cannot be evaluated`,
		},
		{
			name: "resource from a variable",
			value: `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
				"Resource": "${var.bucket_arn}"}]}`,
			wantErr: `value "${var.bucket_arn}" cannot be evaluated`,
		},
		{name: "bad JSON", value: `{"Statement": [`, wantErr: "decode JSON document"},
		{name: "no statement", value: `{"Version": "2012-10-17"}`, wantErr: "no Statement"},
		{
			name:    "effect from an expression",
			value:   `{"Statement": [{"Effect": "${var.effect}", "Action": "s3:*"}]}`,
			wantErr: "neither Allow nor Deny",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.loadPolicy(tc.value)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestLoadPolicyCycle checks that documents merging each other in a loop
// give an error instead of running forever.
func TestLoadPolicyCycle(t *testing.T) {
	s, err := parseStack(synth(t, `{"data": {"aws_iam_policy_document": {"loop": {
		"source_policy_documents": ["${data.aws_iam_policy_document.loop.json}"]
	}}}}`))
	require.NoError(t, err)

	_, err = s.loadPolicy("${data.aws_iam_policy_document.loop.json}")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "too deeply")
}

// TestParseHCLValue covers the literal forms of the jsonencode parser.
func TestParseHCLValue(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    any
		wantErr string
	}{
		{name: "booleans and null", src: `[true, false, null]`, want: []any{true, false, nil}},
		{
			name: "number and escapes",
			src:  `{"n" = 42, "s" = "a\"b\\c\n"}`,
			want: map[string]any{"n": jsonNumber("42"), "s": "a\"b\\c\n"},
		},
		{
			name: "nested template keeps its quotes",
			src:  `{k: "${aws_s3_bucket.b["x"].arn}/*"}`,
			want: map[string]any{"k": `${aws_s3_bucket.b["x"].arn}/*`},
		},
		{name: "trailing comma", src: `{a = [1,], }`, want: map[string]any{
			"a": []any{jsonNumber("1")},
		}},
		{
			name: "indexed reference before a literal",
			src:  `[aws_s3_bucket.b[0].arn, null]`,
			want: []any{"${aws_s3_bucket.b[0].arn}", nil},
		},
		{name: "unterminated string", src: `{a = "x}`, wantErr: "unterminated string"},
		{name: "unterminated index", src: `{a = local.a[0}`, wantErr: "unterminated index"},
		{name: "missing separator", src: `{a "x"}`, wantErr: "want = or :"},
		{name: "trailing text", src: `{} x`, wantErr: "after the value"},
		{name: "operator", src: `[1 + 2]`, wantErr: "want , or ] in a list"},
		{name: "empty", src: ``, wantErr: "unexpected end"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseHCLValue(tc.src)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
