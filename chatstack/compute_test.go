package chatstack_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestComputeInstanceIsPrivate(t *testing.T) {
	doc := parse(t, "default")
	server := doc.resource(t, "aws_instance", "compute/instance")
	image := doc.dataSource(t, "aws_ssm_parameter", "compute/ami-parameter")
	profile := doc.resource(t, "aws_iam_instance_profile", "compute/instance-profile")
	group := doc.resource(t, "aws_security_group", "compute/instance-security-group")
	firstPrivate := doc.resource(t, "aws_subnet", "network/private-subnet-1")

	// Amazon Linux 2023 from AWS's public parameter, not a fixed AMI.
	assert.Equal(t, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
		image.attrs["name"])
	assert.Equal(t, image.dataRef("value"), server.attrs["ami"])

	// In the private subnet, with no public address and no key pair.
	assert.Equal(t, firstPrivate.ref("id"), server.attrs["subnet_id"])
	assert.Equal(t, false, server.attrs["associate_public_ip_address"])
	assert.NotContains(t, server.attrs, "key_name")
	assert.Equal(t, []string{group.ref("id")}, server.list(t, "vpc_security_group_ids"))

	// The instance profile, IMDSv2 and user-data.
	assert.Equal(t, profile.ref("name"), server.attrs["iam_instance_profile"])
	metadata := server.object(t, "metadata_options")
	assert.Equal(t, "required", metadata["http_tokens"])
	assert.Equal(t, 1.0, metadata["http_put_response_hop_limit"])
	assert.NotEmpty(t, server.str(t, "user_data_base64"))
	assert.Equal(t, true, server.attrs["user_data_replace_on_change"])
}

func TestComputeRoleMayUseSessionManagerAndOneModel(t *testing.T) {
	doc := parse(t, "default")
	role := doc.resource(t, "aws_iam_role", "compute/instance-role")
	profile := doc.resource(t, "aws_iam_instance_profile", "compute/instance-profile")
	assume := doc.dataSource(t, "aws_iam_policy_document", "compute/instance-role-assume-policy")
	invoke := doc.dataSource(t, "aws_iam_policy_document", "compute/bedrock-invoke-policy-document")
	policy := doc.resource(t, "aws_iam_policy", "compute/bedrock-invoke-policy")
	sessions := doc.resource(t, "aws_iam_policy", "compute/session-logging-policy")
	partition := doc.dataSource(t, "aws_partition", "compute/partition")

	// Only EC2 assumes the role, and the profile carries it.
	assert.Equal(t, assume.dataRef("json"), role.attrs["assume_role_policy"])
	assert.JSONEq(t, `[{"actions":["sts:AssumeRole"],"effect":"Allow",
		"principals":[{"identifiers":["ec2.amazonaws.com"],"type":"Service"}]}]`,
		toJSON(t, assume.attrs["statement"]))
	assert.Equal(t, role.ref("name"), profile.attrs["role"])

	// Three managed policies: Session Manager's, and our own for Bedrock
	// and for session logging.
	var attached []string
	for _, attachment := range doc.resources("aws_iam_role_policy_attachment") {
		if attachment.attrs["role"] == role.ref("name") {
			attached = append(attached, attachment.str(t, "policy_arn"))
		}
	}
	assert.ElementsMatch(t, []string{
		"arn:" + partition.dataRef("partition") + ":iam::aws:policy/AmazonSSMManagedInstanceCore",
		policy.ref("arn"),
		sessions.ref("arn"),
	}, attached)

	// Bedrock: InvokeModel on the configured model's ARN, nothing wider.
	assert.Equal(t, invoke.dataRef("json"), policy.attrs["policy"])
	assert.JSONEq(t, `[{"actions":["bedrock:InvokeModel"],"effect":"Allow",
		"resources":["arn:`+partition.dataRef("partition")+
		`:bedrock:us-east-1::foundation-model/mistral.mistral-large-2402-v1:0"],
		"sid":"InvokeConfiguredModel"}]`, toJSON(t, invoke.attrs["statement"]))

	// No inline policies and no full-access policies anywhere.
	whole := synthesized["default"].json
	assert.NotContains(t, whole, "FullAccess")
	assert.NotContains(t, whole, "inline_policy")
	assert.Empty(t, doc.resources("aws_iam_role_policy"))
}

func TestComputeSessionsAreLogged(t *testing.T) {
	doc := parse(t, "default")
	group := doc.resource(t, "aws_cloudwatch_log_group", "compute/session-log-group")
	preferences := doc.resource(t, "aws_ssm_document", "compute/session-manager-preferences")
	logging := doc.dataSource(t, "aws_iam_policy_document", "compute/session-logging-policy-document")
	key := doc.resource(t, "aws_kms_key", "encryption/key")

	// The region's Session Manager preferences log every session to an
	// encrypted group.
	assert.Equal(t, "/bedrock-chat/ssm-sessions", group.attrs["name"])
	assert.Equal(t, key.ref("arn"), group.attrs["kms_key_id"])
	assert.Equal(t, 365.0, group.attrs["retention_in_days"])
	assert.Equal(t, "SSM-SessionManagerRunShell", preferences.attrs["name"])
	assert.Equal(t, "Session", preferences.attrs["document_type"])
	content := preferences.str(t, "content")
	bareName := strings.TrimSuffix(strings.TrimPrefix(group.ref("name"), "${"), "}")
	assert.True(t, strings.HasPrefix(content, "${jsonencode("), content)
	assert.Contains(t, content, `"cloudWatchLogGroupName" = `+bareName)
	assert.Contains(t, content, `"cloudWatchEncryptionEnabled" = true`)

	// The agent may write to that group alone, and look up log groups to
	// check their encryption.
	assert.JSONEq(t, `[
		{"sid":"WriteSessionLogGroup","effect":"Allow",
		 "actions":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogStreams"],
		 "resources":["`+group.ref("arn")+`","`+group.ref("arn")+`:*"]},
		{"sid":"CheckLogGroupEncryption","effect":"Allow",
		 "actions":["logs:DescribeLogGroups"],"resources":["*"]}]`,
		toJSON(t, logging.attrs["statement"]))

	// Without the preferences, neither the group nor the document exists.
	lockedDown := parse(t, "locked-down")
	assert.Empty(t, lockedDown.resources("aws_ssm_document"))
	assert.Empty(t, withPrefix(lockedDown.resources("aws_cloudwatch_log_group"),
		"aws_cloudwatch_log_group.compute_"))
}

func TestComputeVolumeAndMonitoring(t *testing.T) {
	doc := parse(t, "default")
	server := doc.resource(t, "aws_instance", "compute/instance")
	key := doc.resource(t, "aws_kms_key", "encryption/key")

	root := server.object(t, "root_block_device")
	assert.Equal(t, true, root["encrypted"])
	assert.Equal(t, key.ref("arn"), root["kms_key_id"])
	assert.Equal(t, true, server.attrs["monitoring"])
	assert.Equal(t, true, server.attrs["ebs_optimized"])
}

func TestComputeEgressIsHTTPSOnly(t *testing.T) {
	tests := []struct {
		scenario string
		internet bool
	}{
		{"default", true},
		{"locked-down", false},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			doc := parse(t, tt.scenario)
			group := doc.resource(t, "aws_security_group", "compute/instance-security-group")
			prefixList := doc.dataSource(t, "aws_ec2_managed_prefix_list", "compute/s3-prefix-list")
			assert.Equal(t, "com.amazonaws.us-east-1.s3", prefixList.attrs["name"])

			// Every egress rule is TCP 443: to the VPC's endpoints, to S3,
			// and to the internet only while the build needs it.
			destinations := map[string]bool{}
			for _, rule := range rulesOf(doc, "aws_vpc_security_group_egress_rule", group) {
				assert.Equal(t, "tcp", rule.attrs["ip_protocol"])
				assert.Equal(t, 443.0, rule.attrs["from_port"])
				assert.Equal(t, 443.0, rule.attrs["to_port"])
				if cidr, ok := rule.attrs["cidr_ipv4"].(string); ok {
					destinations[cidr] = true
				} else {
					destinations[rule.str(t, "prefix_list_id")] = true
				}
			}
			want := map[string]bool{"10.0.0.0/16": true, prefixList.dataRef("id"): true}
			if tt.internet {
				want["0.0.0.0/0"] = true
			}
			assert.Equal(t, want, destinations)
		})
	}
}

func TestComputeOnlyTheLoadBalancerReachesTheAppPort(t *testing.T) {
	for _, scenario := range []string{"default", "three-zones", "endpoints-subset"} {
		t.Run(scenario, func(t *testing.T) {
			doc := parse(t, scenario)
			port := float64(synthesized[scenario].cfg.AppPort)
			instanceGroup := doc.resource(t, "aws_security_group", "compute/instance-security-group")
			balancerGroup := doc.resource(t, "aws_security_group",
				"ingress/load-balancer-security-group")

			// The instance's group has one ingress rule: the app port from
			// the load balancer's group.
			rules := rulesOf(doc, "aws_vpc_security_group_ingress_rule", instanceGroup)
			require.Len(t, rules, 1)
			assert.Equal(t, "tcp", rules[0].attrs["ip_protocol"])
			assert.Equal(t, port, rules[0].attrs["from_port"])
			assert.Equal(t, port, rules[0].attrs["to_port"])
			assert.Equal(t, balancerGroup.ref("id"), rules[0].attrs["referenced_security_group_id"])
			assert.NotContains(t, rules[0].attrs, "cidr_ipv4")

			// No rule anywhere else admits the app port, and no group has
			// inline rules that could.
			for _, rule := range doc.resources("aws_vpc_security_group_ingress_rule") {
				if rule.address == rules[0].address {
					continue
				}
				assert.False(t, coversPort(rule, port), "%s admits the app port", rule.address)
			}
			for _, group := range doc.resources("aws_security_group") {
				assert.NotContains(t, group.attrs, "ingress", group.address)
			}
		})
	}
}

func TestComputeNoSSH(t *testing.T) {
	doc := parse(t, "default")
	for _, rule := range doc.resources("aws_vpc_security_group_ingress_rule") {
		assert.False(t, coversPort(rule, 22), "%s admits SSH", rule.address)
	}
	assert.Empty(t, doc.resources("aws_key_pair"))
}

func TestComputeGravitonUsesArmImage(t *testing.T) {
	cfg := synthesized["default"].cfg
	cfg.InstanceType = "t4g.small"
	out, err := synthesize(cfg)
	require.NoError(t, err)

	assert.Contains(t, out.json, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64")
	assert.NotContains(t, out.json, "kernel-default-x86_64")
}

// coversPort reports whether a TCP rule's port range includes port.
func coversPort(rule block, port float64) bool {
	if rule.attrs["ip_protocol"] == "-1" {
		return true
	}
	from, _ := rule.attrs["from_port"].(float64)
	to, _ := rule.attrs["to_port"].(float64)
	return from <= port && port <= to
}

// toJSON renders a decoded value as JSON, for comparison with JSONEq.
func toJSON(t *testing.T, value any) string {
	t.Helper()
	encoded, err := json.Marshal(value)
	require.NoError(t, err)
	return strings.TrimSpace(string(encoded))
}
