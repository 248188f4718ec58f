package constructs

import (
	"errors"
	"fmt"

	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsiampolicydocument"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsssmparameter"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iaminstanceprofile"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iampolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
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
	// SubnetID is the private subnet the instance runs in. Required.
	SubnetID *string
	// InstanceType is the EC2 instance type. Required.
	InstanceType string
	// Architecture is "x86_64" or "arm64", matching InstanceType; it picks
	// the Amazon Linux 2023 image. Required.
	Architecture string
	// AppPort is the port the chat API listens on. Required.
	AppPort int
	// ModelID is the Bedrock foundation model the instance may invoke.
	// Required.
	ModelID string
	// GoProxy is the GOPROXY the instance builds the chat API with. Default:
	// empty, the setting of Amazon Linux's Go package.
	GoProxy string
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
	// RoleName is the name of the instance's IAM role.
	RoleName *string

	appPort int
}

// The construct IDs of the compute resources.
const (
	amiParameterID          = "ami-parameter"
	partitionID             = "partition"
	assumeRolePolicyID      = "assume-role-policy"
	instanceRoleID          = "instance-role"
	sessionManagerPolicyID  = "session-manager-policy"
	bedrockPolicyDocumentID = "bedrock-invoke-policy-document"
	bedrockPolicyID         = "bedrock-invoke-policy"
	bedrockAttachmentID     = "bedrock-invoke-policy-attachment"
	instanceProfileID       = "instance-profile"
	instanceSecurityGroupID = "instance-security-group"
	httpsToAnywhereID       = "https-out"
	instanceID              = "instance"
	appTrafficRuleID        = "app-port-from-load-balancer"
)

// amiParameterPrefix starts the public SSM parameters that always name the
// newest Amazon Linux 2023 image; the architecture completes it.
const amiParameterPrefix = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-"

// NewComputeConstruct builds the application server described by props.
func NewComputeConstruct(scope cdkconstructs.Construct, id string, props ComputeProps) (*ComputeConstruct, error) {
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

	// The security group sends HTTPS out and admits nothing yet.
	group := securitygroup.NewSecurityGroup(c.Construct, jsii.String(instanceSecurityGroupID),
		&securitygroup.SecurityGroupConfig{
			Name:        jsii.String(props.NamePrefix + "-instance"),
			Description: jsii.String("Chat API instance: the app port from the load balancer only"),
			VpcId:       props.VPCID,
			Tags:        nameTags(props.NamePrefix, "instance"),
		})
	vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(c.Construct, jsii.String(httpsToAnywhereID),
		&vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId: group.Id(),
			Description:     jsii.String("HTTPS to AWS endpoints and, through NAT, package mirrors"),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        tcpPort(443),
			ToPort:          tcpPort(443),
			CidrIpv4:        jsii.String(anywhereIPv4),
		})
	c.SecurityGroupID = group.Id()

	// The instance has no public address and no key pair, requires IMDSv2,
	// and is replaced when its user-data changes, so that a new service
	// version is built on a fresh machine.
	server := instance.NewInstance(c.Construct, jsii.String(instanceID), &instance.InstanceConfig{
		Ami:                      image.Value(),
		InstanceType:             jsii.String(props.InstanceType),
		SubnetId:                 props.SubnetID,
		AssociatePublicIpAddress: jsii.Bool(false),
		VpcSecurityGroupIds:      &[]*string{group.Id()},
		IamInstanceProfile:       profile,
		Monitoring:               jsii.Bool(true),
		MetadataOptions: &instance.InstanceMetadataOptions{
			HttpEndpoint:            jsii.String("enabled"),
			HttpTokens:              jsii.String("required"),
			HttpPutResponseHopLimit: jsii.Number(1),
		},
		RootBlockDevice: &instance.InstanceRootBlockDevice{
			VolumeType: jsii.String("gp3"),
			Encrypted:  jsii.Bool(true),
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

	// Only EC2 may assume the role.
	assume := dataawsiampolicydocument.NewDataAwsIamPolicyDocument(c.Construct, jsii.String(assumeRolePolicyID),
		&dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{
			Statement: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatement{{
				Effect:  jsii.String("Allow"),
				Actions: jsii.Strings("sts:AssumeRole"),
				Principals: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementPrincipals{{
					Type:        jsii.String("Service"),
					Identifiers: jsii.Strings("ec2.amazonaws.com"),
				}},
			}},
		})
	role := iamrole.NewIamRole(c.Construct, jsii.String(instanceRoleID), &iamrole.IamRoleConfig{
		Name:             jsii.String(props.NamePrefix + "-instance"),
		Description:      jsii.String("Chat API instance: Session Manager and one Bedrock model"),
		AssumeRolePolicy: assume.Json(),
	})
	c.RoleName = role.Name()

	// Session Manager replaces SSH.
	iamrolepolicyattachment.NewIamRolePolicyAttachment(c.Construct, jsii.String(sessionManagerPolicyID),
		&iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role: role.Name(),
			PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/AmazonSSMManagedInstanceCore",
				*partition.Partition())),
		})

	// Bedrock access is limited to invoking the configured model.
	modelARN := fmt.Sprintf("arn:%s:bedrock:%s::foundation-model/%s",
		*partition.Partition(), props.Region, props.ModelID)
	invoke := dataawsiampolicydocument.NewDataAwsIamPolicyDocument(c.Construct, jsii.String(bedrockPolicyDocumentID),
		&dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{
			Statement: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatement{{
				Sid:       jsii.String("InvokeConfiguredModel"),
				Effect:    jsii.String("Allow"),
				Actions:   jsii.Strings("bedrock:InvokeModel"),
				Resources: jsii.Strings(modelARN),
			}},
		})
	policy := iampolicy.NewIamPolicy(c.Construct, jsii.String(bedrockPolicyID), &iampolicy.IamPolicyConfig{
		Name:        jsii.String(props.NamePrefix + "-bedrock-invoke"),
		Description: jsii.String("Invoke the configured Bedrock foundation model"),
		Policy:      invoke.Json(),
	})
	iamrolepolicyattachment.NewIamRolePolicyAttachment(c.Construct, jsii.String(bedrockAttachmentID),
		&iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      role.Name(),
			PolicyArn: policy.Arn(),
		})

	// The instance profile hands the role to the instance.
	profile := iaminstanceprofile.NewIamInstanceProfile(c.Construct, jsii.String(instanceProfileID),
		&iaminstanceprofile.IamInstanceProfileConfig{
			Name: jsii.String(props.NamePrefix + "-instance"),
			Role: role.Name(),
		})
	return profile.Name()
}

// AdmitAppTrafficFrom lets the given security group, and it alone, reach
// the application port. The stack calls it once the load balancer's group
// exists, which keeps the two constructs free of a cycle.
func (c *ComputeConstruct) AdmitAppTrafficFrom(sourceSecurityGroupID *string) {
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c.Construct, jsii.String(appTrafficRuleID),
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
	case p.VPCID == nil || p.SubnetID == nil:
		return errors.New("VPC or subnet is missing")
	case p.InstanceType == "":
		return errors.New("instance type is empty")
	case p.Architecture != "x86_64" && p.Architecture != "arm64":
		return fmt.Errorf("architecture %q is not x86_64 or arm64", p.Architecture)
	case p.AppPort < 1 || p.AppPort > 65535:
		return fmt.Errorf("app port %d is outside 1-65535", p.AppPort)
	case p.ModelID == "":
		return errors.New("model ID is empty")
	}
	return nil
}
