//go:build e2e

package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/chatstack"
)

// defaultSecurityGroup is the name of the group that every VPC gets and
// that goes with the VPC.
const defaultSecurityGroup = "default"

// leftovers lists what the emulator still holds of a destroyed scenario;
// an empty list means that nothing is left.
func (d *deployment) leftovers(t *testing.T) []string {
	t.Helper()
	var left []string

	// The network: VPC, gateways, endpoints, security groups, flow log.
	left = append(left, d.networkLeftovers(t)...)

	// Instances that are not terminated.
	reservations, err := d.ec2.DescribeInstances(d.ctx, &ec2.DescribeInstancesInput{})
	require.NoError(t, err, "describe instances")
	for _, reservation := range reservations.Reservations {
		for _, server := range reservation.Instances {
			if server.State.Name != ec2types.InstanceStateNameTerminated {
				left = append(left, "instance "+aws.ToString(server.InstanceId))
			}
		}
	}

	// Load balancing.
	balancers, err := d.elb.DescribeLoadBalancers(d.ctx, &elb.DescribeLoadBalancersInput{})
	require.NoError(t, err, "describe load balancers")
	for _, balancer := range balancers.LoadBalancers {
		left = append(left, "load balancer "+aws.ToString(balancer.LoadBalancerName))
	}
	groups, err := d.elb.DescribeTargetGroups(d.ctx, &elb.DescribeTargetGroupsInput{})
	require.NoError(t, err, "describe target groups")
	for _, group := range groups.TargetGroups {
		left = append(left, "target group "+aws.ToString(group.TargetGroupName))
	}

	// IAM, which the emulator fills with AWS's own managed policies.
	left = append(left, d.iamLeftovers(t)...)

	// The safeguards: bucket, web ACL, log groups, key and preferences.
	left = append(left, d.hardeningLeftovers(t)...)

	// The certificate and records of a domain, if any.
	left = append(left, d.domainLeftovers(t)...)
	return left
}

// networkLeftovers lists the VPCs other than the emulator's default one,
// every elastic IP, NAT gateway and VPC endpoint not deleted, and the
// internet gateways, security groups other than "default" and flow logs
// that belong to the stack: attached to its VPC or named with its prefix.
// NOTE: moto deletes a VPC that still has these three, so a VPC gone is no
// proof that they went with it.
func (d *deployment) networkLeftovers(t *testing.T) []string {
	t.Helper()
	var left []string
	vpcID := d.output(t, chatstack.OutputVPCID)
	ours := func(vpc *string, tags []ec2types.Tag) bool {
		return aws.ToString(vpc) == vpcID || strings.HasPrefix(nameTag(tags), d.cfg.NamePrefix)
	}

	// VPCs, without the emulator's default one.
	vpcs, err := d.ec2.DescribeVpcs(d.ctx, &ec2.DescribeVpcsInput{
		Filters: []ec2types.Filter{filter("is-default", "false")},
	})
	require.NoError(t, err, "describe vpcs")
	for _, vpc := range vpcs.Vpcs {
		left = append(left, "vpc "+aws.ToString(vpc.VpcId))
	}

	// Elastic IPs and NAT gateways, which the emulator starts without.
	addresses, err := d.ec2.DescribeAddresses(d.ctx, &ec2.DescribeAddressesInput{})
	require.NoError(t, err, "describe addresses")
	for _, address := range addresses.Addresses {
		left = append(left, "elastic ip "+aws.ToString(address.AllocationId))
	}
	nats, err := d.ec2.DescribeNatGateways(d.ctx, &ec2.DescribeNatGatewaysInput{})
	require.NoError(t, err, "describe nat gateways")
	for _, nat := range nats.NatGateways {
		if nat.State != ec2types.NatGatewayStateDeleted {
			left = append(left, "nat gateway "+aws.ToString(nat.NatGatewayId))
		}
	}

	// VPC endpoints that are not deleted.
	endpoints, err := d.ec2.DescribeVpcEndpoints(d.ctx, &ec2.DescribeVpcEndpointsInput{})
	require.NoError(t, err, "describe vpc endpoints")
	for _, endpoint := range endpoints.VpcEndpoints {
		if !strings.EqualFold(string(endpoint.State), "deleted") {
			left = append(left, "vpc endpoint "+aws.ToString(endpoint.VpcEndpointId))
		}
	}

	// Internet gateways attached to the VPC or named as the stack names
	// them; a detached one keeps its name.
	gateways, err := d.ec2.DescribeInternetGateways(d.ctx, &ec2.DescribeInternetGatewaysInput{})
	require.NoError(t, err, "describe internet gateways")
	for _, gateway := range gateways.InternetGateways {
		attachedToOurs := slices.ContainsFunc(gateway.Attachments,
			func(attachment ec2types.InternetGatewayAttachment) bool {
				return ours(attachment.VpcId, nil)
			})
		if attachedToOurs || ours(nil, gateway.Tags) {
			left = append(left, "internet gateway "+aws.ToString(gateway.InternetGatewayId))
		}
	}

	// Security groups, and so their rules, but not the VPC's own default.
	groups, err := d.ec2.DescribeSecurityGroups(d.ctx, &ec2.DescribeSecurityGroupsInput{})
	require.NoError(t, err, "describe security groups")
	for _, group := range groups.SecurityGroups {
		if aws.ToString(group.GroupName) != defaultSecurityGroup && ours(group.VpcId, group.Tags) {
			left = append(left, "security group "+aws.ToString(group.GroupId)+" "+
				aws.ToString(group.GroupName))
		}
	}

	// Flow logs of the VPC, or named as the stack names them.
	flowLogs, err := d.ec2.DescribeFlowLogs(d.ctx, &ec2.DescribeFlowLogsInput{})
	require.NoError(t, err, "describe flow logs")
	for _, flowLog := range flowLogs.FlowLogs {
		if ours(flowLog.ResourceId, flowLog.Tags) {
			left = append(left, "flow log "+aws.ToString(flowLog.FlowLogId))
		}
	}
	return left
}

// nameTag returns the value of the Name tag, or "" when there is none.
func nameTag(tags []ec2types.Tag) string {
	for _, tag := range tags {
		if aws.ToString(tag.Key) == "Name" {
			return aws.ToString(tag.Value)
		}
	}
	return ""
}

// iamLeftovers lists the roles, instance profiles and customer-managed
// policies that carry the stack's name prefix.
func (d *deployment) iamLeftovers(t *testing.T) []string {
	t.Helper()
	var left []string
	ours := func(name *string) bool { return strings.HasPrefix(aws.ToString(name), d.cfg.NamePrefix) }

	roles, err := d.iam.ListRoles(d.ctx, &iam.ListRolesInput{})
	require.NoError(t, err, "list roles")
	for _, role := range roles.Roles {
		if ours(role.RoleName) {
			left = append(left, "iam role "+aws.ToString(role.RoleName))
		}
	}
	profiles, err := d.iam.ListInstanceProfiles(d.ctx, &iam.ListInstanceProfilesInput{})
	require.NoError(t, err, "list instance profiles")
	for _, profile := range profiles.InstanceProfiles {
		if ours(profile.InstanceProfileName) {
			left = append(left, "iam instance profile "+aws.ToString(profile.InstanceProfileName))
		}
	}
	policies, err := d.iam.ListPolicies(d.ctx, &iam.ListPoliciesInput{
		Scope: iamtypes.PolicyScopeTypeLocal,
	})
	require.NoError(t, err, "list policies")
	for _, policy := range policies.Policies {
		if ours(policy.PolicyName) {
			left = append(left, "iam policy "+aws.ToString(policy.PolicyName))
		}
	}
	slices.Sort(left)
	return left
}
