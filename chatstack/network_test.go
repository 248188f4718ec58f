package chatstack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNetworkVPC(t *testing.T) {
	doc := parse(t, "default")
	network := doc.resource(t, "aws_vpc", "network/vpc")

	assert.Equal(t, "10.0.0.0/16", network.attrs["cidr_block"])
	assert.Equal(t, true, network.attrs["enable_dns_support"])
	assert.Equal(t, true, network.attrs["enable_dns_hostnames"])
	assert.Len(t, doc.resources("aws_vpc"), 1)
}

func TestNetworkSubnets(t *testing.T) {
	tests := []struct {
		scenario string
		zones    []string
		public   []string
		private  []string
	}{
		{
			scenario: "default",
			zones:    []string{"us-east-1a", "us-east-1b"},
			public:   []string{"10.0.1.0/24", "10.0.4.0/24"},
			private:  []string{"10.0.2.0/24"},
		},
		{
			scenario: "three-zones",
			zones:    []string{"us-east-1a", "us-east-1b", "us-east-1c"},
			public:   []string{"10.0.1.0/24", "10.0.4.0/24", "10.0.7.0/24"},
			private:  []string{"10.0.2.0/24", "10.0.5.0/24", "10.0.8.0/24"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			doc := parse(t, tt.scenario)
			network := doc.resource(t, "aws_vpc", "network/vpc")
			subnets := doc.resources("aws_subnet")
			public := withPrefix(subnets, "aws_subnet.network_public-subnet-")
			private := withPrefix(subnets, "aws_subnet.network_private-subnet-")
			require.Len(t, subnets, len(tt.public)+len(tt.private))

			// One public subnet per zone, in zone order.
			require.Len(t, public, len(tt.public))
			for i, subnet := range public {
				assert.Equal(t, tt.public[i], subnet.attrs["cidr_block"])
				assert.Equal(t, tt.zones[i], subnet.attrs["availability_zone"])
				assert.Equal(t, network.ref("id"), subnet.attrs["vpc_id"])
			}

			// Private subnets follow the zones and never map public IPs.
			require.Len(t, private, len(tt.private))
			for i, subnet := range private {
				assert.Equal(t, tt.private[i], subnet.attrs["cidr_block"])
				assert.Equal(t, tt.zones[i], subnet.attrs["availability_zone"])
				assert.Equal(t, network.ref("id"), subnet.attrs["vpc_id"])
				assert.Equal(t, false, subnet.attrs["map_public_ip_on_launch"])
			}
		})
	}
}

func TestNetworkGateways(t *testing.T) {
	doc := parse(t, "default")
	network := doc.resource(t, "aws_vpc", "network/vpc")
	gateway := doc.resource(t, "aws_internet_gateway", "network/internet-gateway")
	address := doc.resource(t, "aws_eip", "network/nat-elastic-ip")
	nat := doc.resource(t, "aws_nat_gateway", "network/nat-gateway")
	firstPublic := doc.resource(t, "aws_subnet", "network/public-subnet-1")

	// The internet gateway belongs to the VPC.
	assert.Equal(t, network.ref("id"), gateway.attrs["vpc_id"])

	// The NAT gateway sits in a public subnet with its own Elastic IP.
	assert.Equal(t, "vpc", address.attrs["domain"])
	assert.Equal(t, address.ref("allocation_id"), nat.attrs["allocation_id"])
	assert.Equal(t, firstPublic.ref("id"), nat.attrs["subnet_id"])
	assert.Len(t, doc.resources("aws_nat_gateway"), 1)
}

func TestNetworkRouteTables(t *testing.T) {
	for _, scenario := range []string{"default", "three-zones"} {
		t.Run(scenario, func(t *testing.T) {
			doc := parse(t, scenario)
			gateway := doc.resource(t, "aws_internet_gateway", "network/internet-gateway")
			nat := doc.resource(t, "aws_nat_gateway", "network/nat-gateway")
			publicTable := doc.resource(t, "aws_route_table", "network/public-route-table")
			privateTable := doc.resource(t, "aws_route_table", "network/private-route-table")
			subnets := doc.resources("aws_subnet")
			public := withPrefix(subnets, "aws_subnet.network_public-subnet-")
			private := withPrefix(subnets, "aws_subnet.network_private-subnet-")

			// Exactly two default routes: public to the internet gateway,
			// private to the NAT gateway.
			routes := doc.resources("aws_route")
			require.Len(t, routes, 2)
			publicRoute := doc.resource(t, "aws_route", "network/public-default-route")
			assert.Equal(t, publicTable.ref("id"), publicRoute.attrs["route_table_id"])
			assert.Equal(t, "0.0.0.0/0", publicRoute.attrs["destination_cidr_block"])
			assert.Equal(t, gateway.ref("id"), publicRoute.attrs["gateway_id"])
			assert.NotContains(t, publicRoute.attrs, "nat_gateway_id")
			privateRoute := doc.resource(t, "aws_route", "network/private-default-route")
			assert.Equal(t, privateTable.ref("id"), privateRoute.attrs["route_table_id"])
			assert.Equal(t, "0.0.0.0/0", privateRoute.attrs["destination_cidr_block"])
			assert.Equal(t, nat.ref("id"), privateRoute.attrs["nat_gateway_id"])
			assert.NotContains(t, privateRoute.attrs, "gateway_id")

			// Every subnet is associated with the table of its kind, and no
			// other.
			associated := map[string][]string{}
			for _, association := range doc.resources("aws_route_table_association") {
				table := association.str(t, "route_table_id")
				associated[table] = append(associated[table], association.str(t, "subnet_id"))
			}
			assert.ElementsMatch(t, refs(public, "id"), associated[publicTable.ref("id")])
			assert.ElementsMatch(t, refs(private, "id"), associated[privateTable.ref("id")])
			assert.Len(t, associated, 2)
		})
	}
}

func TestNetworkDefaultSecurityGroupIsClosed(t *testing.T) {
	doc := parse(t, "default")
	network := doc.resource(t, "aws_vpc", "network/vpc")
	closed := doc.resource(t, "aws_default_security_group", "network/default-security-group")

	assert.Equal(t, network.ref("id"), closed.attrs["vpc_id"])
	assert.NotContains(t, closed.attrs, "ingress")
	assert.NotContains(t, closed.attrs, "egress")
}

func TestNetworkFlowLog(t *testing.T) {
	doc := parse(t, "default")
	network := doc.resource(t, "aws_vpc", "network/vpc")
	flow := doc.resource(t, "aws_flow_log", "network/flow-log")
	group := doc.resource(t, "aws_cloudwatch_log_group", "network/flow-log-group")
	role := doc.resource(t, "aws_iam_role", "network/flow-log-role")
	trust := doc.dataSource(t, "aws_iam_policy_document", "network/flow-log-role-assume-policy")
	delivery := doc.dataSource(t, "aws_iam_policy_document",
		"network/flow-log-delivery-policy-document")
	key := doc.resource(t, "aws_kms_key", "encryption/key")

	// All traffic of the VPC goes to an encrypted group with a retention.
	assert.Equal(t, network.ref("id"), flow.attrs["vpc_id"])
	assert.Equal(t, "ALL", flow.attrs["traffic_type"])
	assert.Equal(t, "cloud-watch-logs", flow.attrs["log_destination_type"])
	assert.Equal(t, group.ref("arn"), flow.attrs["log_destination"])
	assert.Equal(t, role.ref("arn"), flow.attrs["iam_role_arn"])
	assert.Equal(t, key.ref("arn"), group.attrs["kms_key_id"])
	assert.Equal(t, 365.0, group.attrs["retention_in_days"])

	// The delivery role belongs to the flow log service and writes to that
	// group alone.
	assert.Contains(t, toJSON(t, trust.attrs["statement"]), `"vpc-flow-logs.amazonaws.com"`)
	assert.JSONEq(t, `[{"sid":"WriteFlowLogGroup","effect":"Allow",
		"actions":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogGroups",
			"logs:DescribeLogStreams"],
		"resources":["`+group.ref("arn")+`","`+group.ref("arn")+`:*"]}]`,
		toJSON(t, delivery.attrs["statement"]))
}
