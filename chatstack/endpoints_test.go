package chatstack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEndpointsS3GatewayOnPrivateTablesOnly(t *testing.T) {
	doc := parse(t, "default")
	s3 := doc.resource(t, "aws_vpc_endpoint", "endpoints/s3-gateway-endpoint")
	network := doc.resource(t, "aws_vpc", "network/vpc")
	publicTable := doc.resource(t, "aws_route_table", "network/public-route-table")
	privateTable := doc.resource(t, "aws_route_table", "network/private-route-table")

	assert.Equal(t, "com.amazonaws.us-east-1.s3", s3.attrs["service_name"])
	assert.Equal(t, "Gateway", s3.attrs["vpc_endpoint_type"])
	assert.Equal(t, network.ref("id"), s3.attrs["vpc_id"])
	assert.Equal(t, []string{privateTable.ref("id")}, s3.list(t, "route_table_ids"))
	assert.NotContains(t, s3.list(t, "route_table_ids"), publicTable.ref("id"))
}

func TestEndpointsInterfaces(t *testing.T) {
	tests := []struct {
		scenario string
		services []string
	}{
		{"default", []string{"ssm", "ec2messages", "ssmmessages", "bedrock-runtime", "logs"}},
		{"three-zones", []string{"ssm", "ec2messages", "ssmmessages", "bedrock-runtime", "logs"}},
		{"endpoints-subset", []string{"ssm", "bedrock-runtime"}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			doc := parse(t, tt.scenario)
			group := doc.resource(t, "aws_security_group", "endpoints/endpoint-security-group")
			private := withPrefix(doc.resources("aws_subnet"), "aws_subnet.network_private-subnet-")
			interfaces := withPrefix(doc.resources("aws_vpc_endpoint"),
				"aws_vpc_endpoint.endpoints_interface-endpoint-")
			require.Len(t, interfaces, len(tt.services))

			// Each configured service has a private-DNS Interface endpoint in
			// every private subnet, behind the endpoints' group.
			for _, service := range tt.services {
				endpoint := doc.resource(t, "aws_vpc_endpoint", "endpoints/interface-endpoint-"+service)
				assert.Equal(t, "com.amazonaws.us-east-1."+service, endpoint.attrs["service_name"])
				assert.Equal(t, "Interface", endpoint.attrs["vpc_endpoint_type"])
				assert.Equal(t, true, endpoint.attrs["private_dns_enabled"])
				assert.Equal(t, refs(private, "id"), endpoint.list(t, "subnet_ids"))
				assert.Equal(t, []string{group.ref("id")}, endpoint.list(t, "security_group_ids"))
			}
		})
	}
}

func TestEndpointsSecurityGroupAdmitsHTTPSFromVPCOnly(t *testing.T) {
	doc := parse(t, "default")
	group := doc.resource(t, "aws_security_group", "endpoints/endpoint-security-group")

	// No inline rules: every rule is a resource of its own.
	assert.NotContains(t, group.attrs, "ingress")
	assert.NotContains(t, group.attrs, "egress")

	// One ingress rule: TCP 443 from the VPC's block.
	rules := rulesOf(doc, "aws_vpc_security_group_ingress_rule", group)
	require.Len(t, rules, 1)
	assert.Equal(t, "tcp", rules[0].attrs["ip_protocol"])
	assert.Equal(t, 443.0, rules[0].attrs["from_port"])
	assert.Equal(t, 443.0, rules[0].attrs["to_port"])
	assert.Equal(t, "10.0.0.0/16", rules[0].attrs["cidr_ipv4"])
	assert.Empty(t, rulesOf(doc, "aws_vpc_security_group_egress_rule", group))
}

func TestEndpointsPoliciesLetTheInstanceRoleAloneThrough(t *testing.T) {
	doc := parse(t, "default")
	role := doc.resource(t, "aws_iam_role", "compute/instance-role")
	partition := doc.dataSource(t, "aws_partition", "compute/partition")
	modelARN := "arn:" + partition.dataRef("partition") +
		":bedrock:us-east-1::foundation-model/mistral.mistral-large-2402-v1:0"

	tests := []struct {
		service   string
		actions   string
		resources string
	}{
		{"bedrock-runtime", `["bedrock:InvokeModel"]`, `["` + modelARN + `"]`},
		{"ssm", `["ssm:*"]`, `["*"]`},
		{"ec2messages", `["ec2messages:*"]`, `["*"]`},
		{"ssmmessages", `["ssmmessages:*"]`, `["*"]`},
		{"logs", `["logs:*"]`, `["*"]`},
	}
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			endpoint := doc.resource(t, "aws_vpc_endpoint", "endpoints/interface-endpoint-"+tt.service)
			policy := doc.dataSource(t, "aws_iam_policy_document",
				"endpoints/endpoint-policy-"+tt.service)

			assert.Equal(t, policy.dataRef("json"), endpoint.attrs["policy"])
			assert.JSONEq(t, `[{"sid":"InstanceRoleOnly","effect":"Allow",
				"actions":`+tt.actions+`,"resources":`+tt.resources+`,
				"principals":[{"type":"AWS","identifiers":["`+role.ref("arn")+`"]}]}]`,
				toJSON(t, policy.attrs["statement"]))
		})
	}
}

// rulesOf returns the rules of a kind that belong to a security group.
func rulesOf(doc document, kind string, group block) []block {
	var rules []block
	for _, rule := range doc.resources(kind) {
		if rule.attrs["security_group_id"] == group.ref("id") {
			rules = append(rules, rule)
		}
	}
	return rules
}
