package constructs

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsiampolicydocument"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
)

// EndpointsProps configures an EndpointsConstruct.
type EndpointsProps struct {
	// NamePrefix starts every resource's name. Required.
	NamePrefix string
	// Region is the AWS region whose service endpoints are used. Required.
	Region string
	// VPCID is the VPC that the endpoints serve. Required.
	VPCID *string
	// VPCCIDR is the VPC's IPv4 block; the endpoints admit HTTPS from it.
	// Required.
	VPCCIDR string
	// PrivateSubnetIDs are the subnets that hold the Interface endpoints'
	// network interfaces. Required.
	PrivateSubnetIDs []*string
	// PrivateRouteTableIDs are the route tables that the S3 Gateway endpoint
	// is added to. Required.
	PrivateRouteTableIDs []*string
	// InterfaceServices names the services reached through Interface
	// endpoints, such as "ssm" or "bedrock-runtime". Default: none.
	InterfaceServices []string
	// AllowedRoleARN is the one IAM role whose calls the Interface endpoints
	// let through. Required.
	AllowedRoleARN *string
	// ModelARN is the Bedrock model that the bedrock-runtime endpoint lets
	// the role invoke. Required.
	ModelARN *string
}

// EndpointsConstruct keeps the instance's AWS traffic inside the VPC: a
// Gateway endpoint for S3 on the private route tables, and an Interface
// endpoint with private DNS for each configured service. Each Interface
// endpoint's policy lets through the instance's role alone, and the
// bedrock-runtime endpoint only its invocations of the configured model.
//
// NOTE: the S3 Gateway endpoint keeps the default policy, since Amazon
// Linux's package repositories are S3 buckets owned by AWS.
type EndpointsConstruct struct {
	cdkconstructs.Construct

	// S3EndpointID is the ID of the S3 Gateway endpoint.
	S3EndpointID *string
	// InterfaceEndpointIDs maps each service name to its endpoint's ID.
	InterfaceEndpointIDs map[string]*string
	// SecurityGroupID is the group of the Interface endpoints, or nil when
	// there are none.
	SecurityGroupID *string
}

// The construct IDs of the endpoints' resources.
const (
	s3EndpointID              = "s3-gateway-endpoint"
	endpointSecurityGroupID   = "endpoint-security-group"
	endpointHTTPSFromVPCID    = "https-from-vpc"
	interfaceEndpointIDPrefix = "interface-endpoint-"
	// A prefix of its own keeps a policy's ID apart from every endpoint's,
	// whatever the service names.
	endpointPolicyIDPrefix = "endpoint-policy-"
)

// NewEndpointsConstruct builds the endpoints described by props.
func NewEndpointsConstruct(
	scope cdkconstructs.Construct, id string, props EndpointsProps,
) (*EndpointsConstruct, error) {
	if err := props.validate(); err != nil {
		return nil, fmt.Errorf("endpoints %q: %w", id, err)
	}
	e := &EndpointsConstruct{
		Construct:            cdkconstructs.NewConstruct(scope, jsii.String(id)),
		InterfaceEndpointIDs: map[string]*string{},
	}

	// S3 is reached through a Gateway endpoint on the private route tables
	// only; public subnets have no business with it.
	s3 := vpcendpoint.NewVpcEndpoint(
		e.Construct, jsii.String(s3EndpointID), &vpcendpoint.VpcEndpointConfig{
			VpcId:           props.VPCID,
			ServiceName:     jsii.String(serviceName(props.Region, "s3")),
			VpcEndpointType: jsii.String("Gateway"),
			RouteTableIds:   &props.PrivateRouteTableIDs,
			Tags:            nameTags(props.NamePrefix, "s3"),
		})
	e.S3EndpointID = s3.Id()

	if len(props.InterfaceServices) == 0 {
		return e, nil
	}

	// The Interface endpoints admit HTTPS from inside the VPC and nothing
	// else.
	group := securitygroup.NewSecurityGroup(e.Construct, jsii.String(endpointSecurityGroupID),
		&securitygroup.SecurityGroupConfig{
			Name:        jsii.String(props.NamePrefix + "-endpoints"),
			Description: jsii.String("HTTPS from the VPC to the Interface VPC endpoints"),
			VpcId:       props.VPCID,
			Tags:        nameTags(props.NamePrefix, "endpoints"),
		})
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(
		e.Construct, jsii.String(endpointHTTPSFromVPCID),
		&vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId: group.Id(),
			Description:     jsii.String("HTTPS from the VPC"),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        tcpPort(443),
			ToPort:          tcpPort(443),
			CidrIpv4:        jsii.String(props.VPCCIDR),
		})
	e.SecurityGroupID = group.Id()

	// One Interface endpoint per service, with private DNS so that the
	// SDKs' default host names resolve to it.
	for _, service := range props.InterfaceServices {
		policy := e.endpointPolicy(service, props)
		endpoint := vpcendpoint.NewVpcEndpoint(
			e.Construct, jsii.String(interfaceEndpointIDPrefix+service),
			&vpcendpoint.VpcEndpointConfig{
				Policy:            policy,
				VpcId:             props.VPCID,
				ServiceName:       jsii.String(serviceName(props.Region, service)),
				VpcEndpointType:   jsii.String("Interface"),
				SubnetIds:         &props.PrivateSubnetIDs,
				SecurityGroupIds:  &[]*string{group.Id()},
				PrivateDnsEnabled: jsii.Bool(true),
				Tags:              nameTags(props.NamePrefix, service),
			})
		e.InterfaceEndpointIDs[service] = endpoint.Id()
	}

	return e, nil
}

// endpointPolicy returns the policy of one Interface endpoint: the
// instance's role may invoke the configured model through bedrock-runtime,
// and call the service's own API through any other endpoint.
func (e *EndpointsConstruct) endpointPolicy(service string, props EndpointsProps) *string {
	grant := statement{
		Sid:       jsii.String("InstanceRoleOnly"),
		Effect:    jsii.String("Allow"),
		Actions:   jsii.Strings(iamPrefix(service) + ":*"),
		Resources: jsii.Strings("*"),
		Principals: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementPrincipals{{
			Type:        jsii.String("AWS"),
			Identifiers: &[]*string{props.AllowedRoleARN},
		}},
	}
	if service == bedrockRuntimeService {
		grant.Actions = jsii.Strings("bedrock:InvokeModel")
		grant.Resources = &[]*string{props.ModelARN}
	}
	document := dataawsiampolicydocument.NewDataAwsIamPolicyDocument(e.Construct,
		jsii.String(endpointPolicyIDPrefix+service),
		&dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{Statement: []statement{grant}})
	return document.Json()
}

// bedrockRuntimeService is the endpoint service that the chat API calls.
const bedrockRuntimeService = "bedrock-runtime"

// iamPrefix returns the IAM action prefix of an endpoint service: the part
// before the first dot, so that ecr.api gives ecr.
func iamPrefix(service string) string {
	prefix, _, _ := strings.Cut(service, ".")
	return prefix
}

// serviceName returns the endpoint service name of an AWS service in a
// region, such as com.amazonaws.us-east-1.ssm.
func serviceName(region, service string) string {
	return "com.amazonaws." + region + "." + service
}

// validate checks that the props describe endpoints that can be built.
func (p EndpointsProps) validate() error {
	switch {
	case p.NamePrefix == "":
		return errors.New("name prefix is empty")
	case p.Region == "":
		return errors.New("region is empty")
	case p.VPCID == nil || p.VPCCIDR == "":
		return errors.New("VPC ID or CIDR block is missing")
	case len(p.PrivateSubnetIDs) == 0:
		return errors.New("no private subnets; the Interface endpoints need at least one")
	case len(p.PrivateRouteTableIDs) == 0:
		return errors.New("no private route tables; the S3 Gateway endpoint needs at least one")
	case p.AllowedRoleARN == nil || p.ModelARN == nil:
		return errors.New("the role or the model that the endpoint policies allow is missing")
	}
	for i, service := range p.InterfaceServices {
		if slices.Contains(p.InterfaceServices[:i], service) {
			return fmt.Errorf("interface service %q is listed twice", service)
		}
	}
	return nil
}
