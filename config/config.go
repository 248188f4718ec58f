// Package config holds the one typed configuration of the stack: what a team
// would change between deployments, read once at start-up from an embedded
// default, the CDKTF context and the environment, and validated before any
// construct is built.
package config

// Config is the validated configuration of one deployment. Load returns it;
// nothing else in the program builds one from outside sources.
type Config struct {
	// Region is the AWS region to deploy into. Default: us-east-1.
	Region string
	// AvailabilityZones lists one zone per public subnet, in order. At least
	// two distinct zones, all inside Region. Default: us-east-1a, us-east-1b.
	AvailabilityZones []string
	// VPCCIDR is the VPC's IPv4 block. Default: 10.0.0.0/16.
	VPCCIDR string
	// PublicSubnetCIDRs holds one block per zone, in the order of
	// AvailabilityZones. Default: 10.0.1.0/24, 10.0.4.0/24.
	PublicSubnetCIDRs []string
	// PrivateSubnetCIDRs holds the private subnets; the i-th is placed in the
	// i-th zone, and the instance runs in the first. Default: 10.0.2.0/24.
	PrivateSubnetCIDRs []string
	// InstanceType is the EC2 instance type of the application server.
	// Default: t3.small.
	InstanceType string
	// AppPort is the TCP port the chat API listens on. Default: 5212.
	AppPort int
	// ModelID is the Bedrock foundation model the API invokes.
	// Default: mistral.mistral-large-2402-v1:0.
	ModelID string
	// InterfaceEndpoints names the AWS services reached through Interface
	// VPC endpoints, such as "ssm". Default: ssm, ec2messages, ssmmessages,
	// bedrock-runtime.
	InterfaceEndpoints []string
	// NamePrefix starts the name of every named resource. Default:
	// bedrock-chat.
	NamePrefix string
	// Tags are applied to every resource through the provider's default
	// tags. Default: Project=bedrock-chat, ManagedBy=cdktf.
	Tags map[string]string
	// GoProxy is the GOPROXY the instance builds the chat API with, such as
	// an organization's module proxy. Default: empty, which keeps the
	// setting of Amazon Linux's Go package.
	GoProxy string

	// CertificateARN is an ACM certificate, in Region, for the load
	// balancer's HTTPS listener. Default: empty.
	CertificateARN string
	// DomainName, with HostedZoneID, asks for a new DNS-validated ACM
	// certificate and an alias record for the load balancer. Default: empty.
	DomainName string
	// HostedZoneID is the Route 53 public hosted zone of DomainName.
	// Default: empty.
	HostedZoneID string
	// DeletionProtection keeps the load balancer from being deleted and the
	// access-log bucket from being deleted while it holds logs. Default:
	// true.
	DeletionProtection bool
	// LogRetentionDays is how long every CloudWatch log group keeps its
	// events, one of the values CloudWatch allows. Default: 365.
	LogRetentionDays int
	// AccessLogExpirationDays is how long the load balancer's access logs
	// are kept in S3. Default: 365.
	AccessLogExpirationDays int
	// WAFRateLimit is how many requests one client IP may make in five
	// minutes before the web ACL blocks it. Default: 1000.
	WAFRateLimit int
	// InternetEgress lets the instance reach the internet on port 443,
	// through the NAT gateway, which the first-boot build needs for Amazon
	// Linux packages and Go modules. Default: true.
	InternetEgress bool
	// SessionManagerPreferences makes the stack own the region's Session
	// Manager preferences document, which logs every session to an
	// encrypted log group. Default: true.
	SessionManagerPreferences bool
	// StrictCompliance fails synth when the HIPAA rule pack has a finding
	// that is not suppressed. Default: false.
	StrictCompliance bool
	// SuppressionsFile is the rule pack's suppressions: each accepts one
	// rule's finding on one resource, for a written reason. Default:
	// hipaa-suppressions.json.
	SuppressionsFile string
}

// HasCertificate reports whether the load balancer serves HTTPS, from an
// existing certificate or one the stack requests for DomainName.
func (c Config) HasCertificate() bool {
	return c.CertificateARN != "" || c.DomainName != ""
}

// Architecture returns the CPU architecture of the instance type, in the
// spelling of Amazon Linux's public AMI parameters: "arm64" for Graviton
// families (t4g, m7g, c7gn, ...) and "x86_64" for the rest.
func (c Config) Architecture() string {
	if gravitonFamily.MatchString(c.InstanceType) {
		return "arm64"
	}
	return "x86_64"
}
