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
	"github.com/hashicorp/terraform-cdk-go/cdktf"
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
	// CertificateARN is an ACM certificate for the HTTPS listener. Default:
	// empty, for a new certificate (DomainName) or plain HTTP.
	CertificateARN string
	// DomainName, with HostedZoneID, gets a new DNS-validated certificate
	// and an alias record for the load balancer. Default: empty.
	DomainName string
	// HostedZoneID is the Route 53 public hosted zone of DomainName.
	// Default: empty.
	HostedZoneID string
	// DeletionProtection keeps the load balancer, and the access-log bucket
	// while it holds logs, from being deleted. Default: false.
	DeletionProtection bool
	// AccessLogExpirationDays is how long access logs are kept. Required.
	AccessLogExpirationDays int
	// WAFRateLimit is the requests one client IP may make in five minutes.
	// Required.
	WAFRateLimit int
	// LogKeyARN is the KMS key of the web ACL's log group. Required.
	LogKeyARN *string
	// LogRetentionDays is how long the web ACL's log group keeps events.
	// Required.
	LogRetentionDays int
}

// IngressConstruct is the public entrance: an internet-facing Application
// Load Balancer behind a WAF web ACL that forwards to the instance's
// application port. With a certificate it serves HTTPS with a TLS 1.3
// policy and redirects HTTP there; without one it serves plain HTTP, which
// the HIPAA rule pack reports.
type IngressConstruct struct {
	cdkconstructs.Construct

	// LoadBalancerDNSName is the load balancer's public DNS name.
	LoadBalancerDNSName *string
	// LoadBalancerARN is the load balancer's ARN.
	LoadBalancerARN *string
	// URL is where clients reach the API: https:// and the domain name or
	// the load balancer's name, or http:// without a certificate.
	URL *string
	// SecurityGroupID is the load balancer's security group.
	SecurityGroupID *string
	// TargetGroupARN is the ARN of the instance's target group.
	TargetGroupARN *string
	// AccessLogBucket is the S3 bucket of the access logs.
	AccessLogBucket *string
	// WebACLARN is the ARN of the WAF web ACL.
	WebACLARN *string

	namePrefix string
}

// The construct IDs of the ingress resources.
const (
	loadBalancerSecurityGroupID = "load-balancer-security-group"
	httpFromInternetID          = "http-from-internet"
	httpsFromInternetID         = "https-from-internet"
	appPortToInstanceID         = "app-port-to-instance"
	accessLogsID                = "access-logs"
	loadBalancerID              = "load-balancer"
	webACLConstructID           = "web-acl"
	targetGroupID               = "target-group"
	targetAttachmentID          = "instance-attachment"
	httpListenerID              = "http-listener"
	httpsListenerID             = "https-listener"
)

// healthCheckPath is the chat API's health endpoint.
const healthCheckPath = "/"

// TLSPolicy is the security policy of the HTTPS listener: TLS 1.3, with
// TLS 1.2 for older clients, and forward-secret ciphers only.
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// NewIngressConstruct builds the load balancer described by props.
func NewIngressConstruct(
	scope cdkconstructs.Construct, id string, props IngressProps,
) (*IngressConstruct, error) {
	if err := props.validate(); err != nil {
		return nil, fmt.Errorf("ingress %q: %w", id, err)
	}
	in := &IngressConstruct{
		Construct:  cdkconstructs.NewConstruct(scope, jsii.String(id)),
		namePrefix: props.NamePrefix,
	}
	tls := props.CertificateARN != "" || props.DomainName != ""

	// The load balancer's group admits HTTP, and HTTPS when there is a
	// certificate, from anywhere and sends only to the application port.
	group := in.securityGroup(props, tls)

	// Access logs go to a bucket of their own, which must accept them
	// before the load balancer is created.
	logs, err := NewAccessLogsConstruct(in.Construct, accessLogsID, AccessLogsProps{
		NamePrefix:     props.NamePrefix,
		ExpirationDays: props.AccessLogExpirationDays,
		ForceDestroy:   !props.DeletionProtection,
	})
	if err != nil {
		return nil, fmt.Errorf("ingress %q: %w", id, err)
	}
	in.AccessLogBucket = logs.BucketName

	// The load balancer spans every public subnet, drops requests with
	// malformed headers and logs every request.
	balancer := lb.NewLb(in.Construct, jsii.String(loadBalancerID), &lb.LbConfig{
		Name:                     jsii.String(props.NamePrefix + "-alb"),
		Internal:                 jsii.Bool(false),
		LoadBalancerType:         jsii.String("application"),
		Subnets:                  &props.PublicSubnetIDs,
		SecurityGroups:           &[]*string{group},
		DropInvalidHeaderFields:  jsii.Bool(true),
		EnableDeletionProtection: jsii.Bool(props.DeletionProtection),
		AccessLogs: &lb.LbAccessLogs{
			Bucket:  logs.BucketName,
			Enabled: jsii.Bool(true),
		},
		DependsOn: &[]cdktf.ITerraformDependable{logs.PolicyDependable},
		Tags:      nameTags(props.NamePrefix, "alb"),
	})
	in.LoadBalancerDNSName = balancer.DnsName()
	in.LoadBalancerARN = balancer.Arn()

	// The web ACL filters every request before it reaches a listener.
	acl, err := NewWebACLConstruct(in.Construct, webACLConstructID, WebACLProps{
		NamePrefix:       props.NamePrefix,
		LoadBalancerARN:  balancer.Arn(),
		RateLimit:        props.WAFRateLimit,
		LogKeyARN:        props.LogKeyARN,
		LogRetentionDays: props.LogRetentionDays,
	})
	if err != nil {
		return nil, fmt.Errorf("ingress %q: %w", id, err)
	}
	in.WebACLARN = acl.WebACLARN

	// The target group checks the chat API's health endpoint.
	targets := in.targetGroup(props)

	// The listeners: HTTPS forwarding and HTTP redirecting to it, or plain
	// HTTP forwarding when there is no certificate.
	if !tls {
		in.listener(httpListenerID, 80, "HTTP", forwardTo(targets), nil)
		in.URL = jsii.String("http://" + *balancer.DnsName())
		return in, nil
	}
	certificate, host := in.certificate(props, balancer)
	in.listener(httpsListenerID, 443, "HTTPS", forwardTo(targets), certificate)
	in.listener(httpListenerID, 80, "HTTP", lblistener.LbListenerDefaultAction{
		Type: jsii.String("redirect"),
		Redirect: &lblistener.LbListenerDefaultActionRedirect{
			Protocol:   jsii.String("HTTPS"),
			Port:       jsii.String("443"),
			StatusCode: jsii.String("HTTP_301"),
		},
	}, nil)
	in.URL = jsii.String("https://" + *host)
	return in, nil
}

// securityGroup creates the load balancer's group and its rules, and
// returns its ID.
func (in *IngressConstruct) securityGroup(props IngressProps, tls bool) *string {
	group := securitygroup.NewSecurityGroup(in.Construct, jsii.String(loadBalancerSecurityGroupID),
		&securitygroup.SecurityGroupConfig{
			Name:        jsii.String(props.NamePrefix + "-load-balancer"),
			Description: jsii.String("Chat API load balancer: HTTP(S) in, the app port out"),
			VpcId:       props.VPCID,
			Tags:        nameTags(props.NamePrefix, "load-balancer"),
		})
	in.SecurityGroupID = group.Id()

	// Clients reach the listeners from anywhere.
	admit := func(id string, port int, description string) {
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(in.Construct, jsii.String(id),
			&vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
				SecurityGroupId: group.Id(),
				Description:     jsii.String(description),
				IpProtocol:      jsii.String("tcp"),
				FromPort:        tcpPort(port),
				ToPort:          tcpPort(port),
				CidrIpv4:        jsii.String(anywhereIPv4),
			})
	}
	admit(httpFromInternetID, 80, "HTTP from the internet")
	if tls {
		admit(httpsFromInternetID, 443, "HTTPS from the internet")
	}

	// The load balancer sends to the instance's application port alone.
	vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(
		in.Construct, jsii.String(appPortToInstanceID),
		&vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId:           group.Id(),
			Description:               jsii.String("Chat API port on the instance"),
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  tcpPort(props.AppPort),
			ToPort:                    tcpPort(props.AppPort),
			ReferencedSecurityGroupId: props.InstanceSecurityGroupID,
		})
	return group.Id()
}

// targetGroup creates the instance's target group, attaches the instance
// and returns the group's ARN.
func (in *IngressConstruct) targetGroup(props IngressProps) *string {
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

	lbtargetgroupattachment.NewLbTargetGroupAttachment(
		in.Construct, jsii.String(targetAttachmentID),
		&lbtargetgroupattachment.LbTargetGroupAttachmentConfig{
			TargetGroupArn: targets.Arn(),
			TargetId:       props.InstanceID,
			Port:           tcpPort(props.AppPort),
		})
	return targets.Arn()
}

// forwardTo is a listener action that forwards to a target group.
func forwardTo(targetGroupARN *string) lblistener.LbListenerDefaultAction {
	return lblistener.LbListenerDefaultAction{
		Type:           jsii.String("forward"),
		TargetGroupArn: targetGroupARN,
	}
}

// listener creates a listener on the load balancer; an HTTPS one carries
// the certificate and the TLS 1.3 policy.
func (in *IngressConstruct) listener(id string, port int, protocol string,
	action lblistener.LbListenerDefaultAction, certificateARN *string) {
	config := &lblistener.LbListenerConfig{
		LoadBalancerArn: in.LoadBalancerARN,
		Port:            tcpPort(port),
		Protocol:        jsii.String(protocol),
		DefaultAction:   []lblistener.LbListenerDefaultAction{action},
		Tags:            nameTags(in.namePrefix, id),
	}
	if certificateARN != nil {
		config.CertificateArn = certificateARN
		config.SslPolicy = jsii.String(TLSPolicy)
	}
	lblistener.NewLbListener(in.Construct, jsii.String(id), config)
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
	case p.CertificateARN != "" && p.DomainName != "":
		return errors.New("give a certificate ARN or a domain name, not both")
	case (p.DomainName == "") != (p.HostedZoneID == ""):
		return errors.New("a domain name needs its hosted zone ID, and the other way round")
	case p.LogKeyARN == nil:
		return errors.New("log key is missing")
	}
	return nil
}
