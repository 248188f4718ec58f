package constructs

import (
	"errors"
	"fmt"

	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultsecuritygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eip"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/natgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// NetworkProps configures a NetworkConstruct.
type NetworkProps struct {
	// NamePrefix starts every resource's Name tag. Required.
	NamePrefix string
	// VPCCIDR is the VPC's IPv4 block, such as 10.0.0.0/16. Required.
	VPCCIDR string
	// AvailabilityZones lists the zones of the public subnets, in order.
	// Required: at least two.
	AvailabilityZones []string
	// PublicSubnetCIDRs holds one block per zone. Required.
	PublicSubnetCIDRs []string
	// PrivateSubnetCIDRs holds the private subnets, the i-th in the i-th
	// zone. Required: at least one.
	PrivateSubnetCIDRs []string
	// FlowLogKeyARN is the KMS key that encrypts the flow log group.
	// Required.
	FlowLogKeyARN *string
	// FlowLogRetentionDays is how long the flow log group keeps events.
	// Required.
	FlowLogRetentionDays int
}

// NetworkConstruct is a VPC with public subnets that reach the internet
// through an internet gateway and private subnets that reach it only
// outbound, through a NAT gateway in the first public subnet. Every packet's
// metadata goes to an encrypted flow log, and the VPC's default security
// group admits and sends nothing.
type NetworkConstruct struct {
	cdkconstructs.Construct

	// VPCID is the VPC's ID.
	VPCID *string
	// VPCCIDR is the VPC's IPv4 block, as given in the props.
	VPCCIDR string
	// PublicSubnetIDs are the public subnets' IDs, in zone order.
	PublicSubnetIDs []*string
	// PrivateSubnetIDs are the private subnets' IDs, in zone order.
	PrivateSubnetIDs []*string
	// PublicRouteTableID is the route table of the public subnets.
	PublicRouteTableID *string
	// PrivateRouteTableIDs are the route tables of the private subnets.
	PrivateRouteTableIDs []*string
	// NATGatewayID is the ID of the NAT gateway.
	NATGatewayID *string
	// FlowLogGroupName is the log group that receives the VPC flow log.
	FlowLogGroupName *string
}

// The construct IDs of the network's resources.
const (
	vpcID                     = "vpc"
	internetGatewayID         = "internet-gateway"
	publicSubnetID            = "public-subnet"
	privateSubnetID           = "private-subnet"
	natAddressID              = "nat-elastic-ip"
	natGatewayID              = "nat-gateway"
	publicRouteTableID        = "public-route-table"
	publicDefaultRouteID      = "public-default-route"
	publicRouteAssociationID  = "public-route-table-association"
	privateRouteTableID       = "private-route-table"
	privateDefaultRouteID     = "private-default-route"
	privateRouteAssociationID = "private-route-table-association"
	defaultSecurityGroupID    = "default-security-group"
	flowLogGroupID            = "flow-log-group"
	flowLogRoleID             = "flow-log-role"
	flowLogPolicyID           = "flow-log-delivery-policy"
	flowLogID                 = "flow-log"
)

// NewNetworkConstruct builds the network described by props.
func NewNetworkConstruct(
	scope cdkconstructs.Construct, id string, props NetworkProps,
) (*NetworkConstruct, error) {
	if err := props.validate(); err != nil {
		return nil, fmt.Errorf("network %q: %w", id, err)
	}
	n := &NetworkConstruct{
		Construct: cdkconstructs.NewConstruct(scope, jsii.String(id)),
		VPCCIDR:   props.VPCCIDR,
	}

	// The VPC resolves AWS service names, which private endpoints rely on.
	network := vpc.NewVpc(n.Construct, jsii.String(vpcID), &vpc.VpcConfig{
		CidrBlock:          jsii.String(props.VPCCIDR),
		EnableDnsSupport:   jsii.Bool(true),
		EnableDnsHostnames: jsii.Bool(true),
		Tags:               nameTags(props.NamePrefix, "vpc"),
	})
	n.VPCID = network.Id()

	// Public subnets, one per zone, give the load balancer and the NAT
	// gateway their addresses.
	for i, cidr := range props.PublicSubnetCIDRs {
		public := subnet.NewSubnet(
			n.Construct, jsii.String(indexedID(publicSubnetID, i)), &subnet.SubnetConfig{
				VpcId:               n.VPCID,
				CidrBlock:           jsii.String(cidr),
				AvailabilityZone:    jsii.String(props.AvailabilityZones[i]),
				MapPublicIpOnLaunch: jsii.Bool(false),
				Tags:                nameTags(props.NamePrefix, indexedID("public", i)),
			})
		n.PublicSubnetIDs = append(n.PublicSubnetIDs, public.Id())
	}

	// Private subnets never hand out public addresses.
	for i, cidr := range props.PrivateSubnetCIDRs {
		private := subnet.NewSubnet(
			n.Construct, jsii.String(indexedID(privateSubnetID, i)), &subnet.SubnetConfig{
				VpcId:               n.VPCID,
				CidrBlock:           jsii.String(cidr),
				AvailabilityZone:    jsii.String(props.AvailabilityZones[i]),
				MapPublicIpOnLaunch: jsii.Bool(false),
				Tags:                nameTags(props.NamePrefix, indexedID("private", i)),
			})
		n.PrivateSubnetIDs = append(n.PrivateSubnetIDs, private.Id())
	}

	// The internet gateway serves the public subnets.
	gateway := internetgateway.NewInternetGateway(n.Construct, jsii.String(internetGatewayID),
		&internetgateway.InternetGatewayConfig{
			VpcId: n.VPCID,
			Tags:  nameTags(props.NamePrefix, "igw"),
		})

	// The NAT gateway, with its Elastic IP, lets private subnets call out.
	address := eip.NewEip(n.Construct, jsii.String(natAddressID), &eip.EipConfig{
		Domain:    jsii.String("vpc"),
		Tags:      nameTags(props.NamePrefix, "nat"),
		DependsOn: &[]cdktf.ITerraformDependable{gateway},
	})
	nat := natgateway.NewNatGateway(
		n.Construct, jsii.String(natGatewayID), &natgateway.NatGatewayConfig{
			AllocationId: address.AllocationId(),
			SubnetId:     n.PublicSubnetIDs[0],
			Tags:         nameTags(props.NamePrefix, "nat"),
			DependsOn:    &[]cdktf.ITerraformDependable{gateway},
		})
	n.NATGatewayID = nat.Id()

	// The public route table sends everything else to the internet gateway.
	n.PublicRouteTableID = n.routeTable(routeTableProps{
		tableID:       publicRouteTableID,
		routeID:       publicDefaultRouteID,
		associationID: publicRouteAssociationID,
		name:          nameTags(props.NamePrefix, "public"),
		subnetIDs:     n.PublicSubnetIDs,
		route:         &route.RouteConfig{GatewayId: gateway.Id()},
	})

	// The private route table sends everything else to the NAT gateway.
	privateTable := n.routeTable(routeTableProps{
		tableID:       privateRouteTableID,
		routeID:       privateDefaultRouteID,
		associationID: privateRouteAssociationID,
		name:          nameTags(props.NamePrefix, "private"),
		subnetIDs:     n.PrivateSubnetIDs,
		route:         &route.RouteConfig{NatGatewayId: n.NATGatewayID},
	})
	n.PrivateRouteTableIDs = []*string{privateTable}

	// The default security group is taken over and left without rules, so
	// nothing placed in it by mistake can talk.
	defaultsecuritygroup.NewDefaultSecurityGroup(n.Construct, jsii.String(defaultSecurityGroupID),
		&defaultsecuritygroup.DefaultSecurityGroupConfig{
			VpcId: n.VPCID,
			Tags:  nameTags(props.NamePrefix, "default-closed"),
		})

	n.flowLog(props)
	return n, nil
}

// flowLog records all of the VPC's traffic to an encrypted log group,
// delivered by a role that may write to that group alone.
func (n *NetworkConstruct) flowLog(props NetworkProps) {
	group := encryptedLogGroup(n.Construct, flowLogGroupID, "/"+props.NamePrefix+"/vpc-flow-logs",
		props.FlowLogKeyARN, props.FlowLogRetentionDays)
	n.FlowLogGroupName = group.Name()

	// The delivery role writes to the flow log group and nothing else.
	role := serviceRole(n.Construct, flowLogRoleID, props.NamePrefix+"-flow-logs",
		"Delivers the VPC flow log to CloudWatch Logs", "vpc-flow-logs.amazonaws.com")
	attachPolicy(n.Construct, flowLogPolicyID, role, props.NamePrefix+"-flow-log-delivery",
		"Write the VPC flow log to its log group",
		allow("WriteFlowLogGroup", []string{
			"logs:CreateLogStream", "logs:PutLogEvents",
			"logs:DescribeLogGroups", "logs:DescribeLogStreams",
		}, *group.Arn(), *group.Arn()+":*"))

	flowlog.NewFlowLog(n.Construct, jsii.String(flowLogID), &flowlog.FlowLogConfig{
		VpcId:                  n.VPCID,
		TrafficType:            jsii.String("ALL"),
		LogDestinationType:     jsii.String("cloud-watch-logs"),
		LogDestination:         group.Arn(),
		IamRoleArn:             role.Arn(),
		MaxAggregationInterval: jsii.Number(60),
		Tags:                   nameTags(props.NamePrefix, "flow-log"),
	})
}

// routeTableProps describes one route table with a default route.
type routeTableProps struct {
	tableID       string
	routeID       string
	associationID string
	name          *map[string]*string
	subnetIDs     []*string
	// route names the default route's target; the table and destination
	// are filled in.
	route *route.RouteConfig
}

// routeTable creates a route table whose default route goes to the given
// target, associates it with the subnets and returns its ID.
func (n *NetworkConstruct) routeTable(props routeTableProps) *string {
	table := routetable.NewRouteTable(
		n.Construct, jsii.String(props.tableID), &routetable.RouteTableConfig{
			VpcId: n.VPCID,
			Tags:  props.name,
		})

	// The default route is a resource of its own, so that it can change
	// without replacing the table.
	props.route.RouteTableId = table.Id()
	props.route.DestinationCidrBlock = jsii.String(anywhereIPv4)
	route.NewRoute(n.Construct, jsii.String(props.routeID), props.route)

	for i, subnetID := range props.subnetIDs {
		routetableassociation.NewRouteTableAssociation(
			n.Construct, jsii.String(indexedID(props.associationID, i)),
			&routetableassociation.RouteTableAssociationConfig{
				RouteTableId: table.Id(),
				SubnetId:     subnetID,
			})
	}
	return table.Id()
}

// validate checks that the props describe a network that can be built.
func (p NetworkProps) validate() error {
	switch {
	case p.NamePrefix == "":
		return errors.New("name prefix is empty")
	case p.VPCCIDR == "":
		return errors.New("VPC CIDR block is empty")
	case len(p.AvailabilityZones) < 2:
		return fmt.Errorf("got %d availability zones; want at least two", len(p.AvailabilityZones))
	case len(p.PublicSubnetCIDRs) != len(p.AvailabilityZones):
		return fmt.Errorf("got %d public subnets for %d zones; want one per zone",
			len(p.PublicSubnetCIDRs), len(p.AvailabilityZones))
	case len(p.PrivateSubnetCIDRs) == 0 || len(p.PrivateSubnetCIDRs) > len(p.AvailabilityZones):
		return fmt.Errorf("got %d private subnets for %d zones; want from 1 to %d",
			len(p.PrivateSubnetCIDRs), len(p.AvailabilityZones), len(p.AvailabilityZones))
	case p.FlowLogKeyARN == nil:
		return errors.New("flow log key is missing")
	case p.FlowLogRetentionDays < 1:
		return fmt.Errorf("flow log retention of %d days; want at least one", p.FlowLogRetentionDays)
	}
	return nil
}
