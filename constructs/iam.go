package constructs

import (
	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsiampolicydocument"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iampolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
)

// statement is one IAM policy statement.
type statement = dataawsiampolicydocument.DataAwsIamPolicyDocumentStatement

// allow returns a statement that allows actions on resources.
func allow(sid string, actions []string, resources ...string) statement {
	return statement{
		Sid:       jsii.String(sid),
		Effect:    jsii.String("Allow"),
		Actions:   jsii.Strings(actions...),
		Resources: jsii.Strings(resources...),
	}
}

// serviceRole creates an IAM role that one AWS service, such as
// ec2.amazonaws.com, may assume. The trust policy is the data source
// <id>-assume-policy and the role is <id>.
func serviceRole(scope cdkconstructs.Construct, id, name, description, service string) iamrole.IamRole {
	trust := dataawsiampolicydocument.NewDataAwsIamPolicyDocument(scope, jsii.String(id+"-assume-policy"),
		&dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{
			Statement: []statement{{
				Effect:  jsii.String("Allow"),
				Actions: jsii.Strings("sts:AssumeRole"),
				Principals: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementPrincipals{{
					Type:        jsii.String("Service"),
					Identifiers: jsii.Strings(service),
				}},
			}},
		})
	return iamrole.NewIamRole(scope, jsii.String(id), &iamrole.IamRoleConfig{
		Name:             jsii.String(name),
		Description:      jsii.String(description),
		AssumeRolePolicy: trust.Json(),
	})
}

// attachPolicy creates a customer-managed policy from statements and
// attaches it to the role; inline policies are never used. The resources
// are <id>-document, <id> and <id>-attachment.
func attachPolicy(scope cdkconstructs.Construct, id string, role iamrole.IamRole,
	name, description string, statements ...statement) iampolicy.IamPolicy {
	document := dataawsiampolicydocument.NewDataAwsIamPolicyDocument(scope, jsii.String(id+"-document"),
		&dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{Statement: statements})
	policy := iampolicy.NewIamPolicy(scope, jsii.String(id), &iampolicy.IamPolicyConfig{
		Name:        jsii.String(name),
		Description: jsii.String(description),
		Policy:      document.Json(),
	})
	iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String(id+"-attachment"),
		&iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      role.Name(),
			PolicyArn: policy.Arn(),
		})
	return policy
}

// encryptedLogGroup creates a log group encrypted with the stack's key and
// with an explicit retention.
func encryptedLogGroup(scope cdkconstructs.Construct, id, name string, keyARN *string,
	retentionDays int) cloudwatchloggroup.CloudwatchLogGroup {
	return cloudwatchloggroup.NewCloudwatchLogGroup(scope, jsii.String(id),
		&cloudwatchloggroup.CloudwatchLogGroupConfig{
			Name:            jsii.String(name),
			KmsKeyId:        keyARN,
			RetentionInDays: jsii.Number(float64(retentionDays)),
		})
}
