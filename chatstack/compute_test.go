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
	assume := doc.dataSource(t, "aws_iam_policy_document", "compute/assume-role-policy")
	invoke := doc.dataSource(t, "aws_iam_policy_document", "compute/bedrock-invoke-policy-document")
	policy := doc.resource(t, "aws_iam_policy", "compute/bedrock-invoke-policy")
	partition := doc.dataSource(t, "aws_partition", "compute/partition")

	// Only EC2 assumes the role, and the profile carries it.
	assert.Equal(t, assume.dataRef("json"), role.attrs["assume_role_policy"])
	assert.JSONEq(t, `[{"actions":["sts:AssumeRole"],"effect":"Allow",
		"principals":[{"identifiers":["ec2.amazonaws.com"],"type":"Service"}]}]`,
		toJSON(t, assume.attrs["statement"]))
	assert.Equal(t, role.ref("name"), profile.attrs["role"])

	// Two managed policies: Session Manager's and our own Bedrock policy.
	var attached []string
	for _, attachment := range doc.resources("aws_iam_role_policy_attachment") {
		assert.Equal(t, role.ref("name"), attachment.attrs["role"])
		attached = append(attached, attachment.str(t, "policy_arn"))
	}
	assert.ElementsMatch(t, []string{
		"arn:" + partition.dataRef("partition") + ":iam::aws:policy/AmazonSSMManagedInstanceCore",
		policy.ref("arn"),
	}, attached)

	// Bedrock: InvokeModel on the configured model's ARN, nothing wider.
	assert.Equal(t, invoke.dataRef("json"), policy.attrs["policy"])
	assert.JSONEq(t, `[{"actions":["bedrock:InvokeModel"],"effect":"Allow",
		"resources":["arn:`+partition.dataRef("partition")+
		`:bedrock:us-east-1::foundation-model/mistral.mistral-large-2402-v1:0"],
		"sid":"InvokeConfiguredModel"}]`, toJSON(t, invoke.attrs["statement"]))

	// No inline policies, no wildcard resources, no full-access policies.
	whole := synthesized["default"].json
	assert.NotContains(t, whole, "FullAccess")
	assert.NotContains(t, whole, "inline_policy")
	assert.NotContains(t, whole, `"*"`)
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

	assert.Contains(t, out, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64")
	assert.NotContains(t, out, "kernel-default-x86_64")
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
