package constructs

import (
	"errors"
	"fmt"

	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroupattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
)

// IngressProps configures an IngressConstruct.
type IngressProps struct {
	// NamePrefix starts every resource's name. Required.
	NamePrefix string
	// VPCID is the VPC of the load balancer and its target group. Required.
	VPCID *string
	// PublicSubnetIDs are the subnets the load balancer spans: at least two,
	// in different zones. Required.
	PublicSubnetIDs []*string
	// InstanceID is the target that receives the traffic. Required.
	InstanceID *string
	// InstanceSecurityGroupID is the target's security group; the load
	// balancer sends to it alone. Required.
	InstanceSecurityGroupID *string
	// AppPort is the port the target listens on. Required.
	AppPort int
}

// IngressConstruct is the public entrance: an internet-facing Application
// Load Balancer that forwards HTTP to the instance's application port.
type IngressConstruct struct {
	cdkconstructs.Construct

	// LoadBalancerDNSName is the load balancer's public DNS name.
	LoadBalancerDNSName *string
	// LoadBalancerARN is the load balancer's ARN.
	LoadBalancerARN *string
	// SecurityGroupID is the load balancer's security group.
	SecurityGroupID *string
	// TargetGroupARN is the ARN of the instance's target group.
	TargetGroupARN *string
}

// The construct IDs of the ingress resources.
const (
	loadBalancerSecurityGroupID = "load-balancer-security-group"
	httpFromInternetID          = "http-from-internet"
	appPortToInstanceID         = "app-port-to-instance"
	loadBalancerID              = "load-balancer"
	targetGroupID               = "target-group"
	targetAttachmentID          = "instance-attachment"
	httpListenerID              = "http-listener"
)

// healthCheckPath is the chat API's health endpoint.
const healthCheckPath = "/"

// NewIngressConstruct builds the load balancer described by props.
func NewIngressConstruct(scope cdkconstructs.Construct, id string, props IngressProps) (*IngressConstruct, error) {
	if err := props.validate(); err != nil {
		return nil, fmt.Errorf("ingress %q: %w", id, err)
	}
	in := &IngressConstruct{Construct: cdkconstructs.NewConstruct(scope, jsii.String(id))}

	// The load balancer's group admits HTTP from anywhere and sends only to
	// the instance's application port.
	group := securitygroup.NewSecurityGroup(in.Construct, jsii.String(loadBalancerSecurityGroupID),
		&securitygroup.SecurityGroupConfig{
			Name:        jsii.String(props.NamePrefix + "-load-balancer"),
			Description: jsii.String("Chat API load balancer: HTTP in, the app port out"),
			VpcId:       props.VPCID,
			Tags:        nameTags(props.NamePrefix, "load-balancer"),
		})
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(in.Construct, jsii.String(httpFromInternetID),
		&vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId: group.Id(),
			Description:     jsii.String("HTTP from the internet"),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        tcpPort(80),
			ToPort:          tcpPort(80),
			CidrIpv4:        jsii.String(anywhereIPv4),
		})
	vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(in.Construct, jsii.String(appPortToInstanceID),
		&vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId:           group.Id(),
			Description:               jsii.String("Chat API port on the instance"),
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  tcpPort(props.AppPort),
			ToPort:                    tcpPort(props.AppPort),
			ReferencedSecurityGroupId: props.InstanceSecurityGroupID,
		})
	in.SecurityGroupID = group.Id()

	// The load balancer spans every public subnet and drops requests with
	// malformed headers.
	balancer := lb.NewLb(in.Construct, jsii.String(loadBalancerID), &lb.LbConfig{
		Name:                    jsii.String(props.NamePrefix + "-alb"),
		Internal:                jsii.Bool(false),
		LoadBalancerType:        jsii.String("application"),
		Subnets:                 &props.PublicSubnetIDs,
		SecurityGroups:          &[]*string{group.Id()},
		DropInvalidHeaderFields: jsii.Bool(true),
		Tags:                    nameTags(props.NamePrefix, "alb"),
	})
	in.LoadBalancerDNSName = balancer.DnsName()
	in.LoadBalancerARN = balancer.Arn()

	// The target group checks the chat API's health endpoint.
	targets := lbtargetgroup.NewLbTargetGroup(in.Construct, jsii.String(targetGroupID),
		&lbtargetgroup.LbTargetGroupConfig{
			Name:       jsii.String(props.NamePrefix + "-app"),
			TargetType: jsii.String("instance"),
			Protocol:   jsii.String("HTTP"),
			Port:       tcpPort(props.AppPort),
			VpcId:      props.VPCID,
			HealthCheck: &lbtargetgroup.LbTargetGroupHealthCheck{
				Enabled:            jsii.Bool(true),
				Protocol:           jsii.String("HTTP"),
				Path:               jsii.String(healthCheckPath),
				Port:               jsii.String("traffic-port"),
				Matcher:            jsii.String("200"),
				Interval:           jsii.Number(15),
				Timeout:            jsii.Number(5),
				HealthyThreshold:   jsii.Number(2),
				UnhealthyThreshold: jsii.Number(3),
			},
			Tags: nameTags(props.NamePrefix, "app"),
		})
	in.TargetGroupARN = targets.Arn()
	lbtargetgroupattachment.NewLbTargetGroupAttachment(in.Construct, jsii.String(targetAttachmentID),
		&lbtargetgroupattachment.LbTargetGroupAttachmentConfig{
			TargetGroupArn: targets.Arn(),
			TargetId:       props.InstanceID,
			Port:           tcpPort(props.AppPort),
		})

	// The listener forwards HTTP on port 80 to the target group.
	lblistener.NewLbListener(in.Construct, jsii.String(httpListenerID), &lblistener.LbListenerConfig{
		LoadBalancerArn: balancer.Arn(),
		Port:            tcpPort(80),
		Protocol:        jsii.String("HTTP"),
		DefaultAction: []lblistener.LbListenerDefaultAction{{
			Type:           jsii.String("forward"),
			TargetGroupArn: targets.Arn(),
		}},
		Tags: nameTags(props.NamePrefix, "http"),
	})

	return in, nil
}

// validate checks that the props describe a load balancer that can be built.
func (p IngressProps) validate() error {
	switch {
	case p.NamePrefix == "":
		return errors.New("name prefix is empty")
	case p.VPCID == nil || p.InstanceID == nil || p.InstanceSecurityGroupID == nil:
		return errors.New("VPC, instance or instance security group is missing")
	case len(p.PublicSubnetIDs) < 2:
		return fmt.Errorf("got %d public subnets; an Application Load Balancer needs two",
			len(p.PublicSubnetIDs))
	case p.AppPort < 1 || p.AppPort > 65535:
		return fmt.Errorf("app port %d is outside 1-65535", p.AppPort)
	}
	return nil
}
