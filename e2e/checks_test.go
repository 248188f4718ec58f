//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/chatstack"
	"github.com/bedrock-chat/stack/config"
)

// sessionManagerPolicyARN is the AWS-managed policy the instance role needs
// for Session Manager.
const sessionManagerPolicyARN = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"

// deployment is a deployed scenario as the AWS SDK sees it, with the
// configuration it was built from and its stack outputs.
type deployment struct {
	ctx     context.Context
	cfg     config.Config
	outputs map[string]any

	acm     *acm.Client
	ec2     *ec2.Client
	elb     *elb.Client
	iam     *iam.Client
	kms     *kms.Client
	logs    *cloudwatchlogs.Client
	route53 *route53.Client
	s3      *s3.Client
	ssm     *ssm.Client
	waf     *wafv2.Client
}

// emulatorConfig returns the SDK configuration for the emulator at
// endpoint, with test credentials and no shared AWS configuration.
func emulatorConfig(endpoint, region string) aws.Config {
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// newDeployment returns SDK clients for the emulator that awsConfig points
// at. S3 is addressed by path, since the emulator has no bucket host names.
func newDeployment(ctx context.Context, awsConfig aws.Config, cfg config.Config,
	outputs map[string]any) *deployment {
	return &deployment{
		ctx:     ctx,
		cfg:     cfg,
		outputs: outputs,
		acm:     acm.NewFromConfig(awsConfig),
		ec2:     ec2.NewFromConfig(awsConfig),
		elb:     elb.NewFromConfig(awsConfig),
		iam:     iam.NewFromConfig(awsConfig),
		kms:     kms.NewFromConfig(awsConfig),
		logs:    cloudwatchlogs.NewFromConfig(awsConfig),
		route53: route53.NewFromConfig(awsConfig),
		s3:      s3.NewFromConfig(awsConfig, func(o *s3.Options) { o.UsePathStyle = true }),
		ssm:     ssm.NewFromConfig(awsConfig),
		waf:     wafv2.NewFromConfig(awsConfig),
	}
}

// check is one named look at a deployment; it reports through t.
type check struct {
	// name names the subtest.
	name string
	// run looks at the deployment.
	run func(t *testing.T, d *deployment)
}

// commonChecks are the checks every scenario gets; listeners are the
// scenario's own.
func commonChecks(listeners []wantListener) []check {
	return []check{
		{name: "network", run: checkNetwork},
		{name: "endpoints", run: checkEndpoints},
		{name: "load-balancer", run: checkLoadBalancer},
		{name: "deletion-protection", run: checkDeletionProtection},
		{name: "listeners", run: checkListeners(listeners)},
		{name: "security-groups", run: checkSecurityGroups(listeners)},
		{name: "instance", run: checkInstance},
		{name: "outputs", run: checkOutputs},
	}
}

// wantListener is a listener the load balancer must have.
type wantListener struct {
	// port is the listener's port, such as 80.
	port int32
	// protocol is HTTP or HTTPS.
	protocol elbtypes.ProtocolEnum
	// action is the default action's type: forward to the target group, or
	// redirect.
	action elbtypes.ActionTypeEnum
}

// output returns a string output, failing when it is missing.
func (d *deployment) output(t *testing.T, name string) string {
	t.Helper()
	value, ok := d.outputs[name].(string)
	require.True(t, ok, "output %s is missing or not a string: %v", name, d.outputs[name])
	require.NotEmpty(t, value, "output %s", name)
	return value
}

// outputList returns a list-of-strings output, failing when it is missing.
func (d *deployment) outputList(t *testing.T, name string) []string {
	t.Helper()
	values, ok := d.outputs[name].([]any)
	require.True(t, ok, "output %s is missing or not a list: %v", name, d.outputs[name])
	var list []string
	for _, value := range values {
		list = append(list, fmt.Sprint(value))
	}
	return list
}

// loadBalancer returns the load balancer whose DNS name the stack output.
func (d *deployment) loadBalancer(t *testing.T) elbtypes.LoadBalancer {
	t.Helper()
	dnsName := d.output(t, chatstack.OutputLoadBalancerDNSName)
	found, err := d.elb.DescribeLoadBalancers(d.ctx, &elb.DescribeLoadBalancersInput{})
	require.NoError(t, err, "describe load balancers")
	for _, balancer := range found.LoadBalancers {
		if aws.ToString(balancer.DNSName) == dnsName {
			return balancer
		}
	}
	require.FailNow(t, "no load balancer named "+dnsName)
	return elbtypes.LoadBalancer{}
}

// targetGroup returns the load balancer's one target group.
func (d *deployment) targetGroup(t *testing.T, balancerARN *string) elbtypes.TargetGroup {
	t.Helper()
	found, err := d.elb.DescribeTargetGroups(d.ctx, &elb.DescribeTargetGroupsInput{
		LoadBalancerArn: balancerARN,
	})
	require.NoError(t, err, "describe target groups")
	require.Len(t, found.TargetGroups, 1)
	return found.TargetGroups[0]
}

// instance returns the instance the stack output.
func (d *deployment) instance(t *testing.T) ec2types.Instance {
	t.Helper()
	id := d.output(t, chatstack.OutputInstanceID)
	found, err := d.ec2.DescribeInstances(d.ctx, &ec2.DescribeInstancesInput{
		InstanceIds: []string{id},
	})
	require.NoError(t, err, "describe instance %s", id)
	require.Len(t, found.Reservations, 1)
	require.Len(t, found.Reservations[0].Instances, 1)
	return found.Reservations[0].Instances[0]
}

// routeTableOf returns the route table associated with a subnet.
func (d *deployment) routeTableOf(t *testing.T, subnetID string) ec2types.RouteTable {
	t.Helper()
	found, err := d.ec2.DescribeRouteTables(d.ctx, &ec2.DescribeRouteTablesInput{
		Filters: []ec2types.Filter{filter("association.subnet-id", subnetID)},
	})
	require.NoError(t, err, "describe route tables")
	require.Len(t, found.RouteTables, 1, "route tables of subnet %s", subnetID)
	return found.RouteTables[0]
}

// checkNetwork looks at the VPC, its subnets and their route tables.
func checkNetwork(t *testing.T, d *deployment) {
	vpcID := d.output(t, chatstack.OutputVPCID)
	public := d.outputList(t, chatstack.OutputPublicSubnetIDs)
	private := d.outputList(t, chatstack.OutputPrivateSubnetIDs)

	// The VPC has the configured block and resolves private DNS names.
	vpcs, err := d.ec2.DescribeVpcs(d.ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}})
	require.NoError(t, err, "describe vpc")
	require.Len(t, vpcs.Vpcs, 1)
	assert.Equal(t, d.cfg.VPCCIDR, aws.ToString(vpcs.Vpcs[0].CidrBlock))
	for _, attribute := range []ec2types.VpcAttributeName{
		ec2types.VpcAttributeNameEnableDnsSupport,
		ec2types.VpcAttributeNameEnableDnsHostnames,
	} {
		value, err := d.ec2.DescribeVpcAttribute(d.ctx, &ec2.DescribeVpcAttributeInput{
			VpcId:     aws.String(vpcID),
			Attribute: attribute,
		})
		require.NoError(t, err, "describe vpc attribute %s", attribute)
		enabled := value.EnableDnsSupport
		if attribute == ec2types.VpcAttributeNameEnableDnsHostnames {
			enabled = value.EnableDnsHostnames
		}
		assert.True(t, aws.ToBool(enabled.Value), "%s", attribute)
	}

	// Subnets follow the configured blocks and zones, in order.
	checkSubnets(t, d, vpcID, public, d.cfg.PublicSubnetCIDRs)
	checkSubnets(t, d, vpcID, private, d.cfg.PrivateSubnetCIDRs)

	// Public subnets route to the internet gateway, private ones to the NAT
	// gateway, which sits in the first public subnet.
	var privateTableID string
	for _, subnetID := range public {
		table := d.routeTableOf(t, subnetID)
		assert.True(t, strings.HasPrefix(defaultRoute(table).gateway, "igw-"),
			"subnet %s: default route %+v", subnetID, defaultRoute(table))
	}
	for _, subnetID := range private {
		table := d.routeTableOf(t, subnetID)
		privateTableID = aws.ToString(table.RouteTableId)
		nat := defaultRoute(table).nat
		require.NotEmpty(t, nat, "subnet %s has no default route to a NAT gateway", subnetID)
		gateways, err := d.ec2.DescribeNatGateways(d.ctx, &ec2.DescribeNatGatewaysInput{
			NatGatewayIds: []string{nat},
		})
		require.NoError(t, err, "describe nat gateway")
		require.Len(t, gateways.NatGateways, 1)
		assert.Equal(t, public[0], aws.ToString(gateways.NatGateways[0].SubnetId))
	}

	// The S3 Gateway endpoint is on the private table and no other.
	endpoints := d.endpoints(t, vpcID)
	s3 := endpoints["s3"]
	assert.Equal(t, ec2types.VpcEndpointTypeGateway, s3.VpcEndpointType)
	assert.Equal(t, []string{privateTableID}, s3.RouteTableIds)
	assert.Equal(t, d.output(t, chatstack.OutputS3EndpointID), aws.ToString(s3.VpcEndpointId))
}

// checkSubnets checks that the subnets with ids have the configured blocks
// and zones, in order, and that none maps public IPs on launch. The stack
// sets map_public_ip_on_launch to false on public subnets too: the load
// balancer and the NAT gateway get their public addresses without it, and
// nothing else should have one.
func checkSubnets(t *testing.T, d *deployment, vpcID string, ids, blocks []string) {
	t.Helper()
	require.Len(t, ids, len(blocks))
	found, err := d.ec2.DescribeSubnets(d.ctx, &ec2.DescribeSubnetsInput{SubnetIds: ids})
	require.NoError(t, err, "describe subnets")
	byID := map[string]ec2types.Subnet{}
	for _, subnet := range found.Subnets {
		byID[aws.ToString(subnet.SubnetId)] = subnet
	}
	for i, id := range ids {
		subnet, ok := byID[id]
		require.True(t, ok, "subnet %s", id)
		assert.Equal(t, vpcID, aws.ToString(subnet.VpcId), id)
		assert.Equal(t, blocks[i], aws.ToString(subnet.CidrBlock), id)
		assert.Equal(t, d.cfg.AvailabilityZones[i], aws.ToString(subnet.AvailabilityZone), id)
		assert.False(t, aws.ToBool(subnet.MapPublicIpOnLaunch),
			"subnet %s maps public IPs on launch", id)
	}
}

// route is where a table's default route leads.
type route struct {
	gateway string
	nat     string
}

// defaultRoute returns the target of a table's 0.0.0.0/0 route.
func defaultRoute(table ec2types.RouteTable) route {
	for _, r := range table.Routes {
		if aws.ToString(r.DestinationCidrBlock) == "0.0.0.0/0" {
			return route{gateway: aws.ToString(r.GatewayId), nat: aws.ToString(r.NatGatewayId)}
		}
	}
	return route{}
}

// endpoints returns the VPC's endpoints by the last part of their service
// name, such as "s3" or "ssm".
func (d *deployment) endpoints(t *testing.T, vpcID string) map[string]ec2types.VpcEndpoint {
	t.Helper()
	found, err := d.ec2.DescribeVpcEndpoints(d.ctx, &ec2.DescribeVpcEndpointsInput{
		Filters: []ec2types.Filter{filter("vpc-id", vpcID)},
	})
	require.NoError(t, err, "describe vpc endpoints")
	byService := map[string]ec2types.VpcEndpoint{}
	prefix := "com.amazonaws." + d.cfg.Region + "."
	for _, endpoint := range found.VpcEndpoints {
		name := aws.ToString(endpoint.ServiceName)
		require.True(t, strings.HasPrefix(name, prefix), "endpoint service %s", name)
		byService[strings.TrimPrefix(name, prefix)] = endpoint
	}
	return byService
}

// checkEndpoints looks at the Interface endpoints: one per configured
// service, with private DNS, in the private subnets, behind a group that
// admits HTTPS from the VPC alone.
func checkEndpoints(t *testing.T, d *deployment) {
	vpcID := d.output(t, chatstack.OutputVPCID)
	private := d.outputList(t, chatstack.OutputPrivateSubnetIDs)
	endpoints := d.endpoints(t, vpcID)
	outputIDs, ok := d.outputs[chatstack.OutputInterfaceEndpointIDs].(map[string]any)
	require.True(t, ok, "output %s: %v", chatstack.OutputInterfaceEndpointIDs,
		d.outputs[chatstack.OutputInterfaceEndpointIDs])

	// Exactly the configured services, plus S3, have endpoints.
	want := append([]string{"s3"}, d.cfg.InterfaceEndpoints...)
	var got []string
	for service := range endpoints {
		got = append(got, service)
	}
	assert.ElementsMatch(t, want, got)

	// Each Interface endpoint is private, in every private subnet.
	for _, service := range d.cfg.InterfaceEndpoints {
		endpoint, ok := endpoints[service]
		if !assert.True(t, ok, "no endpoint for %s", service) {
			continue
		}
		assert.Equal(t, ec2types.VpcEndpointTypeInterface, endpoint.VpcEndpointType, service)
		assert.True(t, aws.ToBool(endpoint.PrivateDnsEnabled), service)
		assert.ElementsMatch(t, private, endpoint.SubnetIds, service)
		assert.Equal(t, aws.ToString(endpoint.VpcEndpointId), outputIDs[service], service)

		// Its group admits TCP 443 from the VPC's block and nothing else.
		require.Len(t, endpoint.Groups, 1, service)
		ingress := d.rules(t, aws.ToString(endpoint.Groups[0].GroupId), false)
		require.Len(t, ingress, 1, service)
		assert.Equal(t, "tcp", aws.ToString(ingress[0].IpProtocol))
		assert.Equal(t, int32(443), aws.ToInt32(ingress[0].FromPort))
		assert.Equal(t, int32(443), aws.ToInt32(ingress[0].ToPort))
		assert.Equal(t, d.cfg.VPCCIDR, aws.ToString(ingress[0].CidrIpv4))
	}
}

// rules returns a security group's ingress rules, or its egress rules.
func (d *deployment) rules(t *testing.T, groupID string,
	egress bool) []ec2types.SecurityGroupRule {
	t.Helper()
	found, err := d.ec2.DescribeSecurityGroupRules(d.ctx, &ec2.DescribeSecurityGroupRulesInput{
		Filters: []ec2types.Filter{filter("group-id", groupID)},
	})
	require.NoError(t, err, "describe rules of %s", groupID)
	var rules []ec2types.SecurityGroupRule
	for _, rule := range found.SecurityGroupRules {
		if aws.ToBool(rule.IsEgress) == egress {
			rules = append(rules, rule)
		}
	}
	return rules
}

// checkLoadBalancer looks at the load balancer, its target group and the
// instance attached to it.
func checkLoadBalancer(t *testing.T, d *deployment) {
	balancer := d.loadBalancer(t)
	port := int32(d.cfg.AppPort)

	// Internet-facing, in every public subnet. The provider names no
	// scheme for an internet-facing balancer, and moto then reports none
	// where AWS reports internet-facing.
	assert.NotEqual(t, elbtypes.LoadBalancerSchemeEnumInternal, balancer.Scheme)
	assert.Equal(t, elbtypes.LoadBalancerTypeEnumApplication, balancer.Type)
	var zones []string
	for _, zone := range balancer.AvailabilityZones {
		zones = append(zones, aws.ToString(zone.SubnetId))
	}
	assert.ElementsMatch(t, d.outputList(t, chatstack.OutputPublicSubnetIDs), zones)

	// Instance targets over HTTP on the app port, checked at "/".
	group := d.targetGroup(t, balancer.LoadBalancerArn)
	assert.Equal(t, elbtypes.TargetTypeEnumInstance, group.TargetType)
	assert.Equal(t, elbtypes.ProtocolEnumHttp, group.Protocol)
	assert.Equal(t, port, aws.ToInt32(group.Port))
	assert.Equal(t, d.output(t, chatstack.OutputVPCID), aws.ToString(group.VpcId))
	assert.Equal(t, "/", aws.ToString(group.HealthCheckPath))
	assert.Equal(t, "traffic-port", aws.ToString(group.HealthCheckPort))
	assert.Equal(t, elbtypes.ProtocolEnumHttp, group.HealthCheckProtocol)
	require.NotNil(t, group.Matcher)
	assert.Equal(t, "200", aws.ToString(group.Matcher.HttpCode))

	// The instance is the one target, on the app port.
	health, err := d.elb.DescribeTargetHealth(d.ctx, &elb.DescribeTargetHealthInput{
		TargetGroupArn: group.TargetGroupArn,
	})
	require.NoError(t, err, "describe target health")
	require.Len(t, health.TargetHealthDescriptions, 1)
	target := health.TargetHealthDescriptions[0].Target
	assert.Equal(t, d.output(t, chatstack.OutputInstanceID), aws.ToString(target.Id))
	assert.Equal(t, port, aws.ToInt32(target.Port))
}

// listeners returns the load balancer's listeners by port.
func (d *deployment) listeners(t *testing.T) map[int32]elbtypes.Listener {
	t.Helper()
	balancer := d.loadBalancer(t)
	found, err := d.elb.DescribeListeners(d.ctx, &elb.DescribeListenersInput{
		LoadBalancerArn: balancer.LoadBalancerArn,
	})
	require.NoError(t, err, "describe listeners")
	byPort := map[int32]elbtypes.Listener{}
	for _, listener := range found.Listeners {
		byPort[aws.ToInt32(listener.Port)] = listener
	}
	require.Len(t, byPort, len(found.Listeners), "two listeners share a port")
	return byPort
}

// checkListeners returns a check that the load balancer has exactly the
// listeners in want, forwarding to its target group or redirecting.
func checkListeners(want []wantListener) func(t *testing.T, d *deployment) {
	return func(t *testing.T, d *deployment) {
		balancer := d.loadBalancer(t)
		group := d.targetGroup(t, balancer.LoadBalancerArn)

		var got []wantListener
		for _, listener := range d.listeners(t) {
			require.Len(t, listener.DefaultActions, 1, "listener on %d", *listener.Port)
			action := listener.DefaultActions[0]
			got = append(got, wantListener{
				port:     aws.ToInt32(listener.Port),
				protocol: listener.Protocol,
				action:   action.Type,
			})
			if action.Type == elbtypes.ActionTypeEnumForward {
				assert.Equal(t, aws.ToString(group.TargetGroupArn),
					aws.ToString(action.TargetGroupArn), "listener on %d", *listener.Port)
			}
		}
		assert.ElementsMatch(t, want, got)
	}
}

// checkSecurityGroups checks that the application port is open to the load
// balancer's group alone, that the load balancer admits nothing but its
// listeners' ports, and that nothing admits SSH.
func checkSecurityGroups(want []wantListener) func(t *testing.T, d *deployment) {
	return func(t *testing.T, d *deployment) {
		port := int32(d.cfg.AppPort)
		balancer := d.loadBalancer(t)
		server := d.instance(t)
		require.Len(t, balancer.SecurityGroups, 1)
		require.Len(t, server.SecurityGroups, 1)
		balancerGroup := balancer.SecurityGroups[0]
		serverGroup := aws.ToString(server.SecurityGroups[0].GroupId)

		// The instance admits the app port from the load balancer's group,
		// and nothing else.
		ingress := d.rules(t, serverGroup, false)
		require.Len(t, ingress, 1, "ingress rules of the instance's group")
		assert.Equal(t, "tcp", aws.ToString(ingress[0].IpProtocol))
		assert.Equal(t, port, aws.ToInt32(ingress[0].FromPort))
		assert.Equal(t, port, aws.ToInt32(ingress[0].ToPort))
		require.NotNil(t, ingress[0].ReferencedGroupInfo)
		assert.Equal(t, balancerGroup, aws.ToString(ingress[0].ReferencedGroupInfo.GroupId))
		assert.Empty(t, aws.ToString(ingress[0].CidrIpv4))

		// The load balancer admits exactly its listeners' ports, over TCP,
		// from anywhere.
		var listenerPorts, admitted []int32
		for _, listener := range want {
			listenerPorts = append(listenerPorts, listener.port)
		}
		for _, rule := range d.rules(t, balancerGroup, false) {
			ruleID := aws.ToString(rule.SecurityGroupRuleId)
			assert.Equal(t, "tcp", aws.ToString(rule.IpProtocol), ruleID)
			assert.Equal(t, aws.ToInt32(rule.FromPort), aws.ToInt32(rule.ToPort), ruleID)
			assert.Equal(t, "0.0.0.0/0", aws.ToString(rule.CidrIpv4), ruleID)
			admitted = append(admitted, aws.ToInt32(rule.FromPort))
		}
		assert.ElementsMatch(t, listenerPorts, admitted, "ports the load balancer admits")

		// No other rule in the VPC admits the app port, or SSH.
		groups, err := d.ec2.DescribeSecurityGroups(d.ctx, &ec2.DescribeSecurityGroupsInput{
			Filters: []ec2types.Filter{filter("vpc-id", d.output(t, chatstack.OutputVPCID))},
		})
		require.NoError(t, err, "describe security groups")
		for _, group := range groups.SecurityGroups {
			for _, rule := range d.rules(t, aws.ToString(group.GroupId), false) {
				if aws.ToString(rule.SecurityGroupRuleId) ==
					aws.ToString(ingress[0].SecurityGroupRuleId) {
					continue
				}
				assert.False(t, covers(rule, port), "%s admits the app port: %s",
					aws.ToString(group.GroupId), aws.ToString(rule.SecurityGroupRuleId))
				assert.False(t, covers(rule, 22), "%s admits SSH: %s",
					aws.ToString(group.GroupId), aws.ToString(rule.SecurityGroupRuleId))
			}
		}
	}
}

// covers reports whether a rule admits TCP traffic to port.
func covers(rule ec2types.SecurityGroupRule, port int32) bool {
	if aws.ToString(rule.IpProtocol) == "-1" {
		return true
	}
	return aws.ToInt32(rule.FromPort) <= port && port <= aws.ToInt32(rule.ToPort)
}

// checkInstance looks at the instance's placement, metadata options, root
// volume and IAM role.
func checkInstance(t *testing.T, d *deployment) {
	server := d.instance(t)

	// In the first private subnet, with no public address.
	private := d.outputList(t, chatstack.OutputPrivateSubnetIDs)
	assert.Equal(t, private[0], aws.ToString(server.SubnetId))
	assert.Empty(t, aws.ToString(server.PublicIpAddress))
	assert.Empty(t, aws.ToString(server.KeyName))
	assert.Equal(t, ec2types.InstanceType(d.cfg.InstanceType), server.InstanceType)

	// IMDSv2 only, one hop.
	require.NotNil(t, server.MetadataOptions)
	assert.Equal(t, ec2types.HttpTokensStateRequired, server.MetadataOptions.HttpTokens)
	assert.Equal(t, int32(1), aws.ToInt32(server.MetadataOptions.HttpPutResponseHopLimit))

	// The root volume is encrypted.
	volumes, err := d.ec2.DescribeVolumes(d.ctx, &ec2.DescribeVolumesInput{
		Filters: []ec2types.Filter{filter("attachment.instance-id", aws.ToString(server.InstanceId))},
	})
	require.NoError(t, err, "describe volumes")
	require.NotEmpty(t, volumes.Volumes)
	for _, volume := range volumes.Volumes {
		assert.True(t, aws.ToBool(volume.Encrypted), aws.ToString(volume.VolumeId))
	}

	// The profile carries a role with Session Manager's policy and one that
	// invokes the configured model alone.
	require.NotNil(t, server.IamInstanceProfile)
	profileName := lastPart(aws.ToString(server.IamInstanceProfile.Arn))
	profile, err := d.iam.GetInstanceProfile(d.ctx, &iam.GetInstanceProfileInput{
		InstanceProfileName: aws.String(profileName),
	})
	require.NoError(t, err, "get instance profile %s", profileName)
	require.Len(t, profile.InstanceProfile.Roles, 1)
	checkRole(t, d, aws.ToString(profile.InstanceProfile.Roles[0].RoleName))
}

// checkRole checks the instance role's policies: Session Manager's, which
// must exist in the emulator as in AWS, and one that allows InvokeModel on
// the configured model.
func checkRole(t *testing.T, d *deployment, roleName string) {
	t.Helper()
	attached, err := d.iam.ListAttachedRolePolicies(d.ctx, &iam.ListAttachedRolePoliciesInput{
		RoleName: aws.String(roleName),
	})
	require.NoError(t, err, "list policies of %s", roleName)
	var arns []string
	for _, policy := range attached.AttachedPolicies {
		arns = append(arns, aws.ToString(policy.PolicyArn))
	}
	assert.Contains(t, arns, sessionManagerPolicyARN)

	// Every Bedrock statement allows InvokeModel on the model's ARN alone,
	// and there is one.
	modelARN := "arn:aws:bedrock:" + d.cfg.Region + "::foundation-model/" + d.cfg.ModelID
	var bedrock []policyStatement
	for _, arn := range arns {
		if arn == sessionManagerPolicyARN {
			continue
		}
		for _, statement := range d.policyStatements(t, arn) {
			if slices.ContainsFunc(statement.actions(), isBedrockAction) {
				bedrock = append(bedrock, statement)
			}
		}
	}
	require.NotEmpty(t, bedrock, "no policy of %s mentions Bedrock", roleName)
	for _, statement := range bedrock {
		assert.Equal(t, "Allow", statement.Effect)
		assert.Equal(t, []string{"bedrock:InvokeModel"}, statement.actions())
		assert.Equal(t, []string{modelARN}, statement.resources())
	}
}

// isBedrockAction reports whether an IAM action belongs to Bedrock.
func isBedrockAction(action string) bool {
	return strings.HasPrefix(strings.ToLower(action), "bedrock:")
}

// policyStatement is one statement of an IAM policy document.
type policyStatement struct {
	Effect   string `json:"Effect"`
	Action   any    `json:"Action"`
	Resource any    `json:"Resource"`
}

// actions returns the statement's actions, which IAM allows as one string
// or a list.
func (s policyStatement) actions() []string { return stringOrList(s.Action) }

// resources returns the statement's resources, as actions does.
func (s policyStatement) resources() []string { return stringOrList(s.Resource) }

// stringOrList turns a policy field that is a string or a list of strings
// into a list.
func stringOrList(value any) []string {
	switch typed := value.(type) {
	case string:
		return []string{typed}
	case []any:
		var list []string
		for _, item := range typed {
			list = append(list, fmt.Sprint(item))
		}
		return list
	}
	return nil
}

// policyStatements returns the statements of a managed policy's default
// version.
func (d *deployment) policyStatements(t *testing.T, arn string) []policyStatement {
	t.Helper()
	policy, err := d.iam.GetPolicy(d.ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	require.NoError(t, err, "get policy %s", arn)
	version, err := d.iam.GetPolicyVersion(d.ctx, &iam.GetPolicyVersionInput{
		PolicyArn: aws.String(arn),
		VersionId: policy.Policy.DefaultVersionId,
	})
	require.NoError(t, err, "get policy version of %s", arn)
	document, err := url.QueryUnescape(aws.ToString(version.PolicyVersion.Document))
	require.NoError(t, err, "unescape policy %s", arn)
	var parsed struct {
		Statement []policyStatement `json:"Statement"`
	}
	require.NoError(t, json.Unmarshal([]byte(document), &parsed), "decode policy %s", arn)
	return parsed.Statement
}

// checkOutputs checks the outputs that the other checks do not use.
func checkOutputs(t *testing.T, d *deployment) {
	dnsName := d.output(t, chatstack.OutputLoadBalancerDNSName)
	instanceID := d.output(t, chatstack.OutputInstanceID)

	// The URL names the domain, if any, or else the load balancer, over
	// HTTPS when there is a certificate.
	address, err := url.Parse(d.output(t, chatstack.OutputLoadBalancerURL))
	require.NoError(t, err)
	wantScheme, wantHost := "http", dnsName
	if d.cfg.CertificateARN != "" || d.cfg.DomainName != "" {
		wantScheme = "https"
	}
	if d.cfg.DomainName != "" {
		wantHost = d.cfg.DomainName
	}
	assert.Equal(t, wantScheme, address.Scheme)
	assert.Equal(t, wantHost, address.Host)

	// The Session Manager command targets the instance in the region.
	assert.Equal(t, "aws ssm start-session --target "+instanceID+" --region "+d.cfg.Region,
		d.output(t, chatstack.OutputSessionManagerCommand))
}

// filter builds an EC2 filter with one value.
func filter(name, value string) ec2types.Filter {
	return ec2types.Filter{Name: aws.String(name), Values: []string{value}}
}

// lastPart returns what follows the last slash of an ARN.
func lastPart(arn string) string {
	return arn[strings.LastIndex(arn, "/")+1:]
}
