package constructs

import (
	"errors"
	"fmt"

	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsec2managedprefixlist"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsssmparameter"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iaminstanceprofile"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/instance"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/bedrock-chat/stack/userdata"
)

// ComputeProps configures a ComputeConstruct.
type ComputeProps struct {
	// NamePrefix starts every resource's name. Required.
	NamePrefix string
	// Region is the AWS region, used in the Bedrock model's ARN. Required.
	Region string
	// VPCID is the VPC of the instance's security group. Required.
	VPCID *string
	// VPCCIDR is the VPC's block; the instance sends HTTPS to the Interface
	// endpoints in it. Required.
	VPCCIDR string
	// SubnetID is the private subnet the instance runs in. Required.
	SubnetID *string
	// InstanceType is the EC2 instance type. Required.
	InstanceType string
	// Architecture is "x86_64" or "arm64", matching InstanceType; it picks
	// the Amazon Linux 2023 image. Required.
	Architecture string
	// AppPort is the port the chat API listens on, 1024 to 65535. Required.
	AppPort int
	// ModelID is the Bedrock foundation model the instance may invoke.
	// Required.
	ModelID string
	// GoProxy is the GOPROXY the instance builds the chat API with. Default:
	// empty, the setting of Amazon Linux's Go package.
	GoProxy string
	// KeyARN is the KMS key that encrypts the root volume and the session
	// log group. Required.
	KeyARN *string
	// LogRetentionDays is how long the session log group keeps events.
	// Required.
	LogRetentionDays int
	// InternetEgress lets the instance send HTTPS to the internet through
	// the NAT gateway, which the first-boot build needs. Default: false.
	InternetEgress bool
	// SessionManagerPreferences makes the stack own the region's Session
	// Manager preferences, logging every session to an encrypted log group.
	// Default: false.
	SessionManagerPreferences bool
}

// ComputeConstruct is the application server: an Amazon Linux 2023 instance
// in a private subnet with no public address and no SSH, reached by
// operators through SSM Session Manager, with an IAM role that may invoke
// only the configured Bedrock model.
type ComputeConstruct struct {
	cdkconstructs.Construct

	// InstanceID is the EC2 instance's ID.
	InstanceID *string
	// SecurityGroupID is the instance's security group. It admits nothing
	// until AdmitAppTrafficFrom is called.
	SecurityGroupID *string
	// RoleARN is the ARN of the instance's IAM role.
	RoleARN *string
	// ModelARN is the ARN of the Bedrock model the role may invoke.
	ModelARN *string
	// SessionLogGroupName is the log group of Session Manager sessions, or
	// nil when the stack does not own the Session Manager preferences.
	SessionLogGroupName *string

	appPort int
}

// The construct IDs of the compute resources.
const (
	amiParameterID          = "ami-parameter"
	partitionID             = "partition"
	instanceRoleID          = "instance-role"
	sessionManagerPolicyID  = "session-manager-policy"
	bedrockPolicyID         = "bedrock-invoke-policy"
	instanceProfileID       = "instance-profile"
	instanceSecurityGroupID = "instance-security-group"
	s3PrefixListID          = "s3-prefix-list"
	httpsToVPCID            = "https-to-vpc"
	httpsToS3ID             = "https-to-s3"
	httpsToInternetID       = "https-to-internet"
	instanceID              = "instance"
	appTrafficRuleID        = "app-port-from-load-balancer"
)

// amiParameterPrefix starts the public SSM parameters that always name the
// newest Amazon Linux 2023 image; the architecture completes it.
const amiParameterPrefix = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-"

// NewComputeConstruct builds the application server described by props.
func NewComputeConstruct(
	scope cdkconstructs.Construct, id string, props ComputeProps,
) (*ComputeConstruct, error) {
	if err := props.validate(); err != nil {
		return nil, fmt.Errorf("compute %q: %w", id, err)
	}

	// The user-data carries the chat API's source, builds it on the
	// instance and runs it under systemd.
	bootstrap, err := userdata.Render(userdata.Options{
		Port:    props.AppPort,
		ModelID: props.ModelID,
		Region:  props.Region,
		GoProxy: props.GoProxy,
	})
	if err != nil {
		return nil, fmt.Errorf("compute %q: render user-data: %w", id, err)
	}

	c := &ComputeConstruct{
		Construct: cdkconstructs.NewConstruct(scope, jsii.String(id)),
		appPort:   props.AppPort,
	}

	// The image comes from AWS's public parameter, not a hard-coded AMI ID.
	image := dataawsssmparameter.NewDataAwsSsmParameter(c.Construct, jsii.String(amiParameterID),
		&dataawsssmparameter.DataAwsSsmParameterConfig{
			Name: jsii.String(amiParameterPrefix + props.Architecture),
		})

	// The role, and the instance profile that carries it, identify the
	// instance to SSM and to Bedrock.
	profile := c.identity(props)

	// The security group admits nothing yet and sends only HTTPS.
	group := securitygroup.NewSecurityGroup(c.Construct, jsii.String(instanceSecurityGroupID),
		&securitygroup.SecurityGroupConfig{
			Name:        jsii.String(props.NamePrefix + "-instance"),
			Description: jsii.String("Chat API instance: the app port from the load balancer only"),
			VpcId:       props.VPCID,
			Tags:        nameTags(props.NamePrefix, "instance"),
		})
	c.SecurityGroupID = group.Id()
	c.egress(props)

	// The instance has no public address and no key pair, requires IMDSv2,
	// encrypts its volume with the stack's key, and is replaced when its
	// user-data changes, so that a new service version is built on a fresh
	// machine.
	server := instance.NewInstance(c.Construct, jsii.String(instanceID), &instance.InstanceConfig{
		Ami:                      image.Value(),
		InstanceType:             jsii.String(props.InstanceType),
		SubnetId:                 props.SubnetID,
		AssociatePublicIpAddress: jsii.Bool(false),
		VpcSecurityGroupIds:      &[]*string{group.Id()},
		IamInstanceProfile:       profile,
		Monitoring:               jsii.Bool(true),
		EbsOptimized:             jsii.Bool(true),
		MetadataOptions: &instance.InstanceMetadataOptions{
			HttpEndpoint:            jsii.String("enabled"),
			HttpTokens:              jsii.String("required"),
			HttpPutResponseHopLimit: jsii.Number(1),
		},
		RootBlockDevice: &instance.InstanceRootBlockDevice{
			VolumeType: jsii.String("gp3"),
			Encrypted:  jsii.Bool(true),
			KmsKeyId:   props.KeyARN,
		},
		UserDataBase64:          jsii.String(bootstrap.Encoded),
		UserDataReplaceOnChange: jsii.Bool(true),
		Tags:                    nameTags(props.NamePrefix, "app"),
		// A newer Amazon Linux image must not replace a running server on
		// the next plan; operators replace it on purpose.
		Lifecycle: &cdktf.TerraformResourceLifecycle{
			IgnoreChanges: &[]*string{jsii.String("ami")},
		},
	})
	c.InstanceID = server.Id()

	return c, nil
}

// identity creates the instance's IAM role with Session Manager access and
// permission to invoke the one configured model, and returns the name of
// the instance profile that carries it.
func (c *ComputeConstruct) identity(props ComputeProps) *string {
	partition := dataawspartition.NewDataAwsPartition(c.Construct, jsii.String(partitionID),
		&dataawspartition.DataAwsPartitionConfig{})
	role := serviceRole(c.Construct, instanceRoleID, props.NamePrefix+"-instance",
		"Chat API instance: Session Manager and one Bedrock model", "ec2.amazonaws.com")
	c.RoleARN = role.Arn()

	// Session Manager replaces SSH.
	iamrolepolicyattachment.NewIamRolePolicyAttachment(
		c.Construct, jsii.String(sessionManagerPolicyID),
		&iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role: role.Name(),
			PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/AmazonSSMManagedInstanceCore",
				*partition.Partition())),
		})

	// Bedrock access is limited to invoking the configured model.
	modelARN := fmt.Sprintf("arn:%s:bedrock:%s::foundation-model/%s",
		*partition.Partition(), props.Region, props.ModelID)
	c.ModelARN = jsii.String(modelARN)
	attachPolicy(c.Construct, bedrockPolicyID, role, props.NamePrefix+"-bedrock-invoke",
		"Invoke the configured Bedrock foundation model",
		allow("InvokeConfiguredModel", []string{"bedrock:InvokeModel"}, modelARN))

	// Sessions are logged, when the stack owns the preferences.
	if props.SessionManagerPreferences {
		c.sessionLogging(props, role)
	}

	// The instance profile hands the role to the instance.
	profile := iaminstanceprofile.NewIamInstanceProfile(c.Construct, jsii.String(instanceProfileID),
		&iaminstanceprofile.IamInstanceProfileConfig{
			Name: jsii.String(props.NamePrefix + "-instance"),
			Role: role.Name(),
		})
	return profile.Name()
}

// egressRule configures one rule of what the instance may send.
type egressRule = vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig

// egress lets the instance send HTTPS to the Interface endpoints in the VPC,
// to S3 through its Gateway endpoint and, when asked, to the internet
// through the NAT gateway.
func (c *ComputeConstruct) egress(props ComputeProps) {
	rule := func(id, description string, config egressRule) {
		config.SecurityGroupId = c.SecurityGroupID
		config.Description = jsii.String(description)
		config.IpProtocol = jsii.String("tcp")
		config.FromPort = tcpPort(443)
		config.ToPort = tcpPort(443)
		vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(
			c.Construct, jsii.String(id), &config)
	}

	// AWS services: the Interface endpoints, and S3 by its prefix list.
	rule(httpsToVPCID, "HTTPS to the Interface endpoints in the VPC",
		egressRule{CidrIpv4: jsii.String(props.VPCCIDR)})
	s3 := dataawsec2managedprefixlist.NewDataAwsEc2ManagedPrefixList(
		c.Construct, jsii.String(s3PrefixListID),
		&dataawsec2managedprefixlist.DataAwsEc2ManagedPrefixListConfig{
			Name: jsii.String("com.amazonaws." + props.Region + ".s3"),
		})
	rule(httpsToS3ID, "HTTPS to S3 through the Gateway endpoint",
		egressRule{PrefixListId: s3.Id()})

	// The first-boot build fetches packages and Go modules from the internet.
	if props.InternetEgress {
		rule(httpsToInternetID, "HTTPS through NAT for the first-boot build's packages and modules",
			egressRule{CidrIpv4: jsii.String(anywhereIPv4)})
	}
}

// AdmitAppTrafficFrom lets the given security group, and it alone, reach
// the application port. The stack calls it once the load balancer's group
// exists, which keeps the two constructs free of a cycle.
func (c *ComputeConstruct) AdmitAppTrafficFrom(sourceSecurityGroupID *string) {
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(
		c.Construct, jsii.String(appTrafficRuleID),
		&vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId:           c.SecurityGroupID,
			Description:               jsii.String("Chat API port from the load balancer"),
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  tcpPort(c.appPort),
			ToPort:                    tcpPort(c.appPort),
			ReferencedSecurityGroupId: sourceSecurityGroupID,
		})
}

// validate checks that the props describe a server that can be built.
func (p ComputeProps) validate() error {
	switch {
	case p.NamePrefix == "" || p.Region == "":
		return errors.New("name prefix or region is empty")
	case p.VPCID == nil || p.VPCCIDR == "" || p.SubnetID == nil:
		return errors.New("VPC, its CIDR block or the subnet is missing")
	case p.InstanceType == "":
		return errors.New("instance type is empty")
	case p.Architecture != "x86_64" && p.Architecture != "arm64":
		return fmt.Errorf("architecture %q is not x86_64 or arm64", p.Architecture)
	case p.AppPort < 1 || p.AppPort > 65535:
		return fmt.Errorf("app port %d is outside 1-65535", p.AppPort)
	case p.ModelID == "":
		return errors.New("model ID is empty")
	case p.KeyARN == nil:
		return errors.New("KMS key is missing")
	case p.LogRetentionDays < 1:
		return fmt.Errorf("log retention of %d days; want at least one", p.LogRetentionDays)
	}
	return nil
}
