package chatstack_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/chatstack"
)

func TestStackProviderAndBackend(t *testing.T) {
	doc := parse(t, "default")

	// One AWS provider, in the configured region, tagging everything.
	require.Len(t, doc.Provider["aws"], 1)
	aws := doc.Provider["aws"][0]
	assert.Equal(t, "us-east-1", aws["region"])
	assert.JSONEq(t, `[{"tags":{"ManagedBy":"cdktf","Project":"bedrock-chat"}}]`,
		toJSON(t, aws["default_tags"]))

	// Any 5.x provider from 5.99 on, and state at a relative path.
	assert.JSONEq(t, `{"aws":{"source":"aws","version":"~> 5.99"}}`,
		toJSON(t, doc.Terraform["required_providers"]))
	assert.JSONEq(t, `{"local":{"path":"../../../terraform.bedrock-chat.tfstate"}}`,
		toJSON(t, doc.Terraform["backend"]))
}

func TestStackOutputs(t *testing.T) {
	doc := parse(t, "default")
	balancer := doc.resource(t, "aws_lb", "ingress/load-balancer")
	network := doc.resource(t, "aws_vpc", "network/vpc")
	server := doc.resource(t, "aws_instance", "compute/instance")
	s3 := doc.resource(t, "aws_vpc_endpoint", "endpoints/s3-gateway-endpoint")
	subnets := doc.resources("aws_subnet")
	key := doc.resource(t, "aws_kms_key", "encryption/key")
	bucket := doc.resource(t, "aws_s3_bucket", "ingress/access-logs/bucket")
	acl := doc.resource(t, "aws_wafv2_web_acl", "ingress/web-acl/acl")
	flowLogs := doc.resource(t, "aws_cloudwatch_log_group", "network/flow-log-group")
	sessionLogs := doc.resource(t, "aws_cloudwatch_log_group", "compute/session-log-group")

	tests := []struct {
		name string
		want any
	}{
		{chatstack.OutputLoadBalancerDNSName, balancer.ref("dns_name")},
		{chatstack.OutputLoadBalancerURL, "http://" + balancer.ref("dns_name")},
		{chatstack.OutputVPCID, network.ref("id")},
		{chatstack.OutputPublicSubnetIDs, anyList(refs(withPrefix(subnets,
			"aws_subnet.network_public-subnet-"), "id"))},
		{chatstack.OutputPrivateSubnetIDs, anyList(refs(withPrefix(subnets,
			"aws_subnet.network_private-subnet-"), "id"))},
		{chatstack.OutputInstanceID, server.ref("id")},
		{chatstack.OutputS3EndpointID, s3.ref("id")},
		{chatstack.OutputSessionManagerCommand,
			"aws ssm start-session --target " + server.ref("id") + " --region us-east-1"},
		{chatstack.OutputKMSKeyARN, key.ref("arn")},
		{chatstack.OutputAccessLogBucket, bucket.ref("id")},
		{chatstack.OutputWebACLARN, acl.ref("arn")},
		{chatstack.OutputFlowLogGroup, flowLogs.ref("name")},
		{chatstack.OutputSessionLogGroup, sessionLogs.ref("name")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, doc.Output, tt.name)
			assert.Equal(t, tt.want, doc.Output[tt.name]["value"])
			assert.NotEmpty(t, doc.Output[tt.name]["description"])
		})
	}

	// The Interface endpoints by service name.
	endpoints, ok := doc.Output[chatstack.OutputInterfaceEndpointIDs]["value"].(map[string]any)
	require.True(t, ok)
	for _, service := range []string{"ssm", "ec2messages", "ssmmessages", "bedrock-runtime", "logs"} {
		endpoint := doc.resource(t, "aws_vpc_endpoint", "endpoints/interface-endpoint-"+service)
		assert.Equal(t, endpoint.ref("id"), endpoints[service])
	}
	assert.Len(t, endpoints, 5)
	assert.Len(t, doc.Output, len(tests)+1)

	// Without session logging there is no session log group to name.
	assert.NotContains(t, parse(t, "locked-down").Output, chatstack.OutputSessionLogGroup)
}

func TestStackSynthIsDeterministic(t *testing.T) {
	again, err := synthesize(synthesized["default"].cfg)
	require.NoError(t, err)
	assert.Equal(t, synthesized["default"].json, again.json)
	assert.Equal(t, synthesized["default"].withPaths, again.withPaths)
}

func TestStackOutputHasNoMachinePaths(t *testing.T) {
	first := synthesizeToFolder(t, "default")
	second := synthesizeToFolder(t, "default")
	workingDir, err := os.Getwd()
	require.NoError(t, err)
	home, err := os.UserHomeDir()
	require.NoError(t, err)

	// Every written file is the same in two output folders, and names
	// neither folder nor any other path of this machine.
	files := 0
	err = filepath.WalkDir(first, func(path string, entry os.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		relative, err := filepath.Rel(first, path)
		require.NoError(t, err)
		content, err := os.ReadFile(path)
		require.NoError(t, err)
		twin, err := os.ReadFile(filepath.Join(second, relative))
		require.NoError(t, err, "second synth lacks %s", relative)

		assert.Equal(t, string(content), string(twin), "%s differs between synths", relative)
		for _, machinePath := range []string{first, second, workingDir, home} {
			assert.NotContains(t, string(content), machinePath, "%s names a machine path", relative)
		}
		files++
		return nil
	})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, files, 2, "want at least the manifest and the stack")
}

// synthesizeToFolder runs a full synth of a scenario's stack, as the CLI
// does, into a new temporary folder and returns it.
func synthesizeToFolder(t *testing.T, scenario string) string {
	t.Helper()
	folder := t.TempDir()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(folder)})
	_, err := chatstack.New(app, chatstack.ID, synthesized[scenario].cfg)
	require.NoError(t, err)
	app.Synth()
	require.FileExists(t, filepath.Join(folder, "stacks", chatstack.ID, "cdk.tf.json"))
	return folder
}

// synthesizeHCL renders a scenario's stack as HCL, the form a synth writes
// with SYNTH_HCL_OUTPUT=true, into cdk.tf in a new temporary folder, and
// returns the folder.
func synthesizeHCL(t *testing.T, scenario string) string {
	t.Helper()
	app := cdktf.Testing_App(nil)
	built, err := chatstack.New(app, chatstack.ID, synthesized[scenario].cfg)
	require.NoError(t, err)
	hcl, ok := cdktf.Testing_SynthHcl(built.TerraformStack, jsii.Bool(true), jsii.Bool(false)).(string)
	require.True(t, ok, "the HCL synth returned no text")

	folder := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(folder, "cdk.tf"), []byte(hcl), 0o644))
	return folder
}

// anyList converts strings into the form that JSON decoding produces.
func anyList(values []string) []any {
	converted := make([]any, len(values))
	for i, value := range values {
		converted[i] = value
	}
	return converted
}

func TestStackHasNoStrayResourceTypes(t *testing.T) {
	doc := parse(t, "domain")
	var kinds []string
	for kind := range doc.Resource {
		kinds = append(kinds, kind)
	}
	assert.ElementsMatch(t, []string{
		"aws_acm_certificate", "aws_acm_certificate_validation", "aws_cloudwatch_log_group",
		"aws_default_security_group", "aws_eip", "aws_flow_log", "aws_iam_instance_profile",
		"aws_iam_policy", "aws_iam_role", "aws_iam_role_policy_attachment", "aws_instance",
		"aws_internet_gateway", "aws_kms_alias", "aws_kms_key", "aws_lb", "aws_lb_listener",
		"aws_lb_target_group", "aws_lb_target_group_attachment", "aws_nat_gateway", "aws_route",
		"aws_route53_record", "aws_route_table", "aws_route_table_association", "aws_s3_bucket",
		"aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_ownership_controls",
		"aws_s3_bucket_policy", "aws_s3_bucket_public_access_block",
		"aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning",
		"aws_security_group", "aws_ssm_document", "aws_subnet", "aws_vpc", "aws_vpc_endpoint",
		"aws_vpc_security_group_egress_rule", "aws_vpc_security_group_ingress_rule",
		"aws_wafv2_web_acl", "aws_wafv2_web_acl_association",
		"aws_wafv2_web_acl_logging_configuration",
	}, kinds, "a new resource type needs property tests: %s", strings.Join(kinds, ", "))
}
