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
