package constructs_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/constructs"
	// Accepts -update, so that go test ./... -update runs this package too.
	_ "github.com/bedrock-chat/stack/internal/golden"
)

// newTestStack returns an empty stack, with an AWS provider, in an app of
// its own.
func newTestStack() cdktf.TerraformStack {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("test"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region: jsii.String("us-east-1"),
	})
	return stack
}

// synthesized is a stack's Terraform JSON, decoded.
type synthesized struct {
	Resource map[string]map[string]map[string]any `json:"resource"`
	Data     map[string]map[string]map[string]any `json:"data"`
	Output   map[string]map[string]any            `json:"output"`
}

// synthesize returns the stack's Terraform JSON, with validations run.
func synthesize(t *testing.T, stack cdktf.TerraformStack) synthesized {
	t.Helper()
	var doc synthesized
	out := cdktf.Testing_Synth(stack, jsii.Bool(true))
	require.NoError(t, json.Unmarshal([]byte(*out), &doc))
	return doc
}

// terraformBlock is one resource or data source of a synthesized stack.
type terraformBlock struct {
	// address is the Terraform address, such as aws_s3_bucket.logs_bucket_1A
	// or data.aws_caller_identity.logs_caller-identity_2B.
	address string
	attrs   map[string]any
}

// resource returns the one resource of a kind at a construct path, such as
// "access-logs/bucket"; CDKTF names it after the path and a hash.
func (d synthesized) resource(t *testing.T, kind, path string) terraformBlock {
	t.Helper()
	return onlyBlock(t, kind, path, d.Resource[kind])
}

// dataSource returns the one data source of a kind at a construct path.
func (d synthesized) dataSource(t *testing.T, kind, path string) terraformBlock {
	t.Helper()
	return onlyBlock(t, "data."+kind, path, d.Data[kind])
}

// onlyBlock picks the one block whose name is the path plus a hash. Like
// CDKTF, it leaves out a path component that ends its predecessor, so
// that web-acl/acl is named web-acl and a hash.
func onlyBlock(t *testing.T, kind, path string, named map[string]map[string]any) terraformBlock {
	t.Helper()
	var components []string
	for _, component := range strings.Split(path, "/") {
		if n := len(components); n == 0 || !strings.HasSuffix(components[n-1], component) {
			components = append(components, component)
		}
	}
	prefix := strings.Join(components, "_") + "_"
	var found []terraformBlock
	for name, attrs := range named {
		if strings.HasPrefix(name, prefix) {
			found = append(found, terraformBlock{address: kind + "." + name, attrs: attrs})
		}
	}
	require.Len(t, found, 1, "want one %s at %s", kind, path)
	return found[0]
}

// ref is the interpolation that reads an attribute of the block.
func (b terraformBlock) ref(attr string) string {
	return "${" + b.address + "." + attr + "}"
}

// asJSON returns an attribute as JSON, for comparison with assert.JSONEq.
func (b terraformBlock) asJSON(t *testing.T, attr string) string {
	t.Helper()
	require.Contains(t, b.attrs, attr, "%s has no %s", b.address, attr)
	encoded, err := json.Marshal(b.attrs[attr])
	require.NoError(t, err)
	return string(encoded)
}

// decode converts an attribute into target through JSON.
func (b terraformBlock) decode(t *testing.T, attr string, target any) {
	t.Helper()
	require.NoError(t, json.Unmarshal([]byte(b.asJSON(t, attr)), target))
}

// policyStatement is a statement block of an aws_iam_policy_document.
type policyStatement struct {
	Sid        string   `json:"sid"`
	Effect     string   `json:"effect"`
	Actions    []string `json:"actions"`
	Resources  []string `json:"resources"`
	Principals []struct {
		Type        string   `json:"type"`
		Identifiers []string `json:"identifiers"`
	} `json:"principals"`
	Condition []struct {
		Test     string   `json:"test"`
		Variable string   `json:"variable"`
		Values   []string `json:"values"`
	} `json:"condition"`
}

func TestAccessLogsSynthesis(t *testing.T) {
	tests := []struct {
		name  string
		props constructs.AccessLogsProps
	}{
		{"kept a year", constructs.AccessLogsProps{NamePrefix: "chat", ExpirationDays: 365}},
		{"destroyable", constructs.AccessLogsProps{
			NamePrefix:     "chat",
			ExpirationDays: 30,
			ForceDestroy:   true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := newTestStack()
			logs, err := constructs.NewAccessLogsConstruct(stack, "access-logs", tt.props)
			require.NoError(t, err)
			cdktf.NewTerraformOutput(stack, jsii.String("bucket-name"),
				&cdktf.TerraformOutputConfig{Value: logs.BucketName})
			cdktf.NewTerraformOutput(stack, jsii.String("bucket-arn"),
				&cdktf.TerraformOutputConfig{Value: logs.BucketARN})
			cdktf.NewTerraformOutput(stack, jsii.String("after-policy"), &cdktf.TerraformOutputConfig{
				Value:     jsii.String("ready"),
				DependsOn: &[]cdktf.ITerraformDependable{logs.PolicyDependable},
			})
			doc := synthesize(t, stack)
			assertAccessLogs(t, doc, tt.props)
		})
	}
}

// assertAccessLogs checks every resource of an access log bucket built
// from props.
func assertAccessLogs(t *testing.T, doc synthesized, props constructs.AccessLogsProps) {
	bucket := doc.resource(t, "aws_s3_bucket", "access-logs/bucket")
	bucketID := bucket.ref("id")
	days := props.ExpirationDays

	// A prefixed, generated name; force_destroy as configured.
	assert.Equal(t, "chat-alb-logs-", bucket.attrs["bucket_prefix"])
	assert.NotContains(t, bucket.attrs, "bucket")
	assert.Equal(t, props.ForceDestroy, bucket.attrs["force_destroy"])

	// The owner owns every object.
	ownership := doc.resource(t, "aws_s3_bucket_ownership_controls", "access-logs/bucket-ownership")
	assert.Equal(t, bucketID, ownership.attrs["bucket"])
	assert.JSONEq(t, `{"object_ownership": "BucketOwnerEnforced"}`, ownership.asJSON(t, "rule"))

	// All four public access blocks are on.
	public := doc.resource(t, "aws_s3_bucket_public_access_block",
		"access-logs/bucket-public-access-block")
	assert.Equal(t, bucketID, public.attrs["bucket"])
	for _, flag := range []string{
		"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets",
	} {
		assert.Equal(t, true, public.attrs[flag], flag)
	}

	// SSE-S3, with no KMS key.
	encryption := doc.resource(t, "aws_s3_bucket_server_side_encryption_configuration",
		"access-logs/bucket-encryption")
	assert.Equal(t, bucketID, encryption.attrs["bucket"])
	assert.JSONEq(t, `[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]`,
		encryption.asJSON(t, "rule"))

	// Versioning is on.
	versioning := doc.resource(t, "aws_s3_bucket_versioning", "access-logs/bucket-versioning")
	assert.Equal(t, bucketID, versioning.attrs["bucket"])
	assert.JSONEq(t, `{"status": "Enabled"}`, versioning.asJSON(t, "versioning_configuration"))

	// One rule, on every object, expires current and noncurrent versions
	// after the configured days and stale uploads after seven; it waits
	// for versioning.
	lifecycle := doc.resource(t, "aws_s3_bucket_lifecycle_configuration",
		"access-logs/bucket-lifecycle")
	assert.Equal(t, bucketID, lifecycle.attrs["bucket"])
	assert.JSONEq(t, fmt.Sprintf(`[{
		"id": "expire-access-logs",
		"status": "Enabled",
		"filter": [{"prefix": ""}],
		"expiration": [{"days": %d}],
		"noncurrent_version_expiration": [{"noncurrent_days": %d}],
		"abort_incomplete_multipart_upload": [{"days_after_initiation": 7}]
	}]`, days, days), lifecycle.asJSON(t, "rule"))
	assert.JSONEq(t, fmt.Sprintf(`[%q]`, versioning.address), lifecycle.asJSON(t, "depends_on"))

	// The policy comes from the policy document, after the public access
	// block.
	policy := doc.resource(t, "aws_s3_bucket_policy", "access-logs/bucket-policy")
	document := doc.dataSource(t, "aws_iam_policy_document", "access-logs/bucket-policy-document")
	assert.Equal(t, bucketID, policy.attrs["bucket"])
	assert.Equal(t, document.ref("json"), policy.attrs["policy"])
	assert.JSONEq(t, fmt.Sprintf(`[%q]`, public.address), policy.asJSON(t, "depends_on"))

	// The statements: no plain HTTP for anyone, and PutObject under this
	// account's log prefix for both identities of log delivery.
	var statements []policyStatement
	document.decode(t, "statement", &statements)
	require.Len(t, statements, 3)
	account := doc.dataSource(t, "aws_caller_identity", "access-logs/caller-identity")
	elbAccount := doc.dataSource(t, "aws_elb_service_account", "access-logs/elb-service-account")
	logPrefix := bucket.ref("arn") + "/AWSLogs/" + account.ref("account_id") + "/*"

	deny := statements[0]
	assert.Equal(t, "Deny", deny.Effect)
	assert.Equal(t, []string{"s3:*"}, deny.Actions)
	assert.Equal(t, []string{bucket.ref("arn"), bucket.ref("arn") + "/*"}, deny.Resources)
	require.Len(t, deny.Principals, 1)
	assert.Equal(t, "*", deny.Principals[0].Type)
	assert.Equal(t, []string{"*"}, deny.Principals[0].Identifiers)
	require.Len(t, deny.Condition, 1)
	assert.Equal(t, "Bool", deny.Condition[0].Test)
	assert.Equal(t, "aws:SecureTransport", deny.Condition[0].Variable)
	assert.Equal(t, []string{"false"}, deny.Condition[0].Values)

	principals := map[string][]string{}
	for _, allow := range statements[1:] {
		assert.Equal(t, "Allow", allow.Effect, allow.Sid)
		assert.Equal(t, []string{"s3:PutObject"}, allow.Actions, allow.Sid)
		assert.Equal(t, []string{logPrefix}, allow.Resources, allow.Sid)
		assert.Empty(t, allow.Condition, allow.Sid)
		require.Len(t, allow.Principals, 1, allow.Sid)
		principals[allow.Principals[0].Type] = allow.Principals[0].Identifiers
	}
	assert.Equal(t, map[string][]string{
		"AWS":     {elbAccount.ref("arn")},
		"Service": {"logdelivery.elasticloadbalancing.amazonaws.com"},
	}, principals)

	// The outputs name the bucket and let the load balancer wait for the
	// policy.
	assert.Equal(t, bucketID, doc.Output["bucket-name"]["value"])
	assert.Equal(t, bucket.ref("arn"), doc.Output["bucket-arn"]["value"])
	assert.Equal(t, []any{"${" + policy.address + "}"}, doc.Output["after-policy"]["depends_on"])
}

func TestAccessLogsSynthesizeAsHCL(t *testing.T) {
	stack := newTestStack()
	_, err := constructs.NewAccessLogsConstruct(stack, "access-logs", constructs.AccessLogsProps{
		NamePrefix:     "chat",
		ExpirationDays: 365,
	})
	require.NoError(t, err)

	// Every block is typed, so the HCL renderer writes each one as a block.
	hcl, ok := cdktf.Testing_SynthHcl(stack, jsii.Bool(true), jsii.Bool(false)).(string)
	require.True(t, ok, "Testing_SynthHcl returned no string")
	assert.NotContains(t, hcl, "[object Object]")
	assert.Equal(t, 3, strings.Count(hcl, "\nstatement {"), "policy statements as blocks")
	assert.Contains(t, hcl, "filter {\nprefix = \"\"\n}")
}

func TestWebACLSynthesizesAsHCL(t *testing.T) {
	stack := newTestStack()
	_, err := constructs.NewWebACLConstruct(stack, "web-acl", constructs.WebACLProps{
		NamePrefix:       "chat",
		LoadBalancerARN:  jsii.String("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/a/b"),
		RateLimit:        1000,
		LogKeyARN:        jsii.String("arn:aws:kms:us-east-1:1:key/k"),
		LogRetentionDays: 365,
	})
	require.NoError(t, err)

	// The rules are one jsonencode expression, which HCL writes as it is.
	hcl, ok := cdktf.Testing_SynthHcl(stack, jsii.Bool(true), jsii.Bool(false)).(string)
	require.True(t, ok, "Testing_SynthHcl returned no string")
	assert.NotContains(t, hcl, "[object Object]")
	assert.Contains(t, hcl, `rule_json = "${jsonencode([`)
}

// webACLRule is a rule of an aws_wafv2_web_acl, in the WAF API's JSON.
type webACLRule struct {
	Name             string
	Priority         int
	Action           json.RawMessage
	OverrideAction   json.RawMessage
	Statement        json.RawMessage
	VisibilityConfig struct {
		CloudWatchMetricsEnabled bool
		MetricName               string
		SampledRequestsEnabled   bool
	}
}

// decodeJSONEncode reads a "${jsonencode(...)}" expression whose argument
// holds only literals, by turning its HCL object syntax into JSON.
func decodeJSONEncode(t *testing.T, expression string, into any) {
	t.Helper()
	inner, found := strings.CutPrefix(expression, "${jsonencode(")
	require.True(t, found, "not a jsonencode expression: %s", expression)
	inner, found = strings.CutSuffix(inner, ")}")
	require.True(t, found, "not a jsonencode expression: %s", expression)
	require.NoError(t, json.Unmarshal([]byte(strings.ReplaceAll(inner, `" = `, `": `)), into))
}

func TestWebACLSynthesis(t *testing.T) {
	tests := []struct {
		name      string
		rateLimit int
		retention int
	}{
		{"defaults of a small deployment", 2000, 365},
		{"lowest limit, longest retention", 100, 3653},
		{"highest limit, shortest retention", 2_000_000_000, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := newTestStack()
			props := constructs.WebACLProps{
				NamePrefix:       "chat",
				LoadBalancerARN:  jsii.String("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/a/b"),
				RateLimit:        tt.rateLimit,
				LogKeyARN:        jsii.String("arn:aws:kms:us-east-1:1:key/k"),
				LogRetentionDays: tt.retention,
			}
			acl, err := constructs.NewWebACLConstruct(stack, "web-acl", props)
			require.NoError(t, err)
			cdktf.NewTerraformOutput(stack, jsii.String("web-acl-arn"),
				&cdktf.TerraformOutputConfig{Value: acl.WebACLARN})
			cdktf.NewTerraformOutput(stack, jsii.String("log-group-name"),
				&cdktf.TerraformOutputConfig{Value: acl.LogGroupName})
			doc := synthesize(t, stack)
			assertWebACL(t, doc, props)
		})
	}
}

// assertWebACL checks every resource of a web ACL built from props.
func assertWebACL(t *testing.T, doc synthesized, props constructs.WebACLProps) {
	acl := doc.resource(t, "aws_wafv2_web_acl", "web-acl/acl")

	// A regional web ACL that allows what no rule blocks, with metrics and
	// samples.
	assert.Equal(t, "chat-alb", acl.attrs["name"])
	assert.Equal(t, "REGIONAL", acl.attrs["scope"])
	assert.JSONEq(t, `{"allow": {}}`, acl.asJSON(t, "default_action"))
	assert.JSONEq(t, `{
		"cloudwatch_metrics_enabled": true,
		"metric_name": "chat-alb",
		"sampled_requests_enabled": true
	}`, acl.asJSON(t, "visibility_config"))

	// The rules in priority order: the rate limit, then three AWS managed
	// rule groups.
	var rules []webACLRule
	ruleJSON, ok := acl.attrs["rule_json"].(string)
	require.True(t, ok, "rule_json is %T", acl.attrs["rule_json"])
	decodeJSONEncode(t, ruleJSON, &rules)
	require.Len(t, rules, 4)
	wantNames := []string{
		"rate-limit-per-ip",
		"AWSManagedRulesAmazonIpReputationList",
		"AWSManagedRulesCommonRuleSet",
		"AWSManagedRulesKnownBadInputsRuleSet",
	}
	metrics := map[string]bool{}
	for i, rule := range rules {
		assert.Equal(t, wantNames[i], rule.Name)
		assert.Equal(t, i, rule.Priority, rule.Name)
		assert.True(t, rule.VisibilityConfig.CloudWatchMetricsEnabled, rule.Name)
		assert.True(t, rule.VisibilityConfig.SampledRequestsEnabled, rule.Name)
		assert.Equal(t, "chat-"+rule.Name, rule.VisibilityConfig.MetricName)
		metrics[rule.VisibilityConfig.MetricName] = true
	}
	assert.Len(t, metrics, len(rules), "metric names are unique")

	// The rate-based rule blocks a client IP over the limit.
	rate := rules[0]
	assert.JSONEq(t, `{"Block": {}}`, string(rate.Action))
	assert.Nil(t, rate.OverrideAction)
	assert.JSONEq(t, fmt.Sprintf(`{"RateBasedStatement": {
		"Limit": %d,
		"AggregateKeyType": "IP"
	}}`, props.RateLimit), string(rate.Statement))

	// The managed rule groups keep their own actions.
	for _, rule := range rules[1:] {
		assert.Nil(t, rule.Action, rule.Name)
		assert.JSONEq(t, `{"None": {}}`, string(rule.OverrideAction), rule.Name)
		assert.JSONEq(t, fmt.Sprintf(`{"ManagedRuleGroupStatement": {
			"Name": %q,
			"VendorName": "AWS"
		}}`, rule.Name), string(rule.Statement), rule.Name)
	}

	// The association puts the web ACL in front of the load balancer.
	association := doc.resource(t, "aws_wafv2_web_acl_association", "web-acl/association")
	assert.Equal(t, *props.LoadBalancerARN, association.attrs["resource_arn"])
	assert.Equal(t, acl.ref("arn"), association.attrs["web_acl_arn"])

	// The log group is named as WAF requires and encrypted with the key.
	logGroup := doc.resource(t, "aws_cloudwatch_log_group", "web-acl/log-group")
	assert.Equal(t, "aws-waf-logs-chat", logGroup.attrs["name"])
	assert.Equal(t, *props.LogKeyARN, logGroup.attrs["kms_key_id"])
	assert.Equal(t, float64(props.LogRetentionDays), logGroup.attrs["retention_in_days"])

	// The web ACL logs there, without credentials or session cookies.
	logging := doc.resource(t, "aws_wafv2_web_acl_logging_configuration",
		"web-acl/logging-configuration")
	assert.Equal(t, acl.ref("arn"), logging.attrs["resource_arn"])
	assert.JSONEq(t, fmt.Sprintf(`[%q]`, logGroup.ref("arn")),
		logging.asJSON(t, "log_destination_configs"))
	assert.JSONEq(t, `[
		{"single_header": {"name": "authorization"}},
		{"single_header": {"name": "cookie"}}
	]`, logging.asJSON(t, "redacted_fields"))

	// The outputs read the web ACL's ARN and the log group's name.
	assert.Equal(t, acl.ref("arn"), doc.Output["web-acl-arn"]["value"])
	assert.Equal(t, logGroup.ref("name"), doc.Output["log-group-name"]["value"])
}
