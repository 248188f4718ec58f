package constructs

import (
	"errors"
	"fmt"

	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsiampolicydocument"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
)

// EncryptionProps configures an EncryptionConstruct.
type EncryptionProps struct {
	// NamePrefix names the key's alias, alias/<prefix>. Required.
	NamePrefix string
	// Region is where CloudWatch Logs may use the key. Required.
	Region string
}

// EncryptionConstruct is the stack's customer-managed KMS key, with
// automatic rotation, for the instance's volume and every log group.
type EncryptionConstruct struct {
	cdkconstructs.Construct

	// KeyARN is the key's ARN.
	KeyARN *string
	// AccountID is the ID of the account the stack is deployed to.
	AccountID *string
	// Partition is the AWS partition, such as aws or aws-us-gov.
	Partition *string
}

// The construct IDs of the encryption resources.
const (
	encryptionAccountID     = "account"
	encryptionPartitionID   = "partition"
	keyPolicyDocumentID     = "key-policy-document"
	keyID                   = "key"
	keyAliasID              = "key-alias"
	keyDeletionWindowDays   = 30
	logsEncryptionStatement = "CloudWatchLogsInThisAccount"
)

// NewEncryptionConstruct builds the key described by props.
func NewEncryptionConstruct(
	scope cdkconstructs.Construct, id string, props EncryptionProps,
) (*EncryptionConstruct, error) {
	if props.NamePrefix == "" || props.Region == "" {
		return nil, fmt.Errorf("encryption %q: %w", id, errors.New("name prefix or region is empty"))
	}
	e := &EncryptionConstruct{Construct: cdkconstructs.NewConstruct(scope, jsii.String(id))}

	// The account and partition name the key's administrators and users.
	account := dataawscalleridentity.NewDataAwsCallerIdentity(
		e.Construct, jsii.String(encryptionAccountID),
		&dataawscalleridentity.DataAwsCallerIdentityConfig{})
	partition := dataawspartition.NewDataAwsPartition(
		e.Construct, jsii.String(encryptionPartitionID),
		&dataawspartition.DataAwsPartitionConfig{})
	e.AccountID = account.AccountId()
	e.Partition = partition.Partition()

	// The account administers the key through IAM, as with a default key
	// policy, and CloudWatch Logs may use it for this account's log groups
	// in the region only.
	logGroups := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*",
		*e.Partition, props.Region, *e.AccountID)
	policy := dataawsiampolicydocument.NewDataAwsIamPolicyDocument(
		e.Construct, jsii.String(keyPolicyDocumentID),
		&dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{
			Statement: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatement{
				{
					Sid:       jsii.String("AccountAdministersKeyThroughIAM"),
					Effect:    jsii.String("Allow"),
					Actions:   jsii.Strings("kms:*"),
					Resources: jsii.Strings("*"),
					Principals: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementPrincipals{{
						Type:        jsii.String("AWS"),
						Identifiers: jsii.Strings(fmt.Sprintf("arn:%s:iam::%s:root", *e.Partition, *e.AccountID)),
					}},
				},
				{
					Sid:    jsii.String("CloudWatchLogsInThisAccount"),
					Effect: jsii.String("Allow"),
					Actions: jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
						"kms:GenerateDataKey*", "kms:Describe*"),
					Resources: jsii.Strings("*"),
					Principals: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementPrincipals{{
						Type:        jsii.String("Service"),
						Identifiers: jsii.Strings("logs." + props.Region + ".amazonaws.com"),
					}},
					Condition: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementCondition{{
						Test:     jsii.String("ArnLike"),
						Variable: jsii.String("kms:EncryptionContext:aws:logs:arn"),
						Values:   jsii.Strings(logGroups),
					}},
				},
			},
		})

	// The key rotates its material every year.
	key := kmskey.NewKmsKey(e.Construct, jsii.String(keyID), &kmskey.KmsKeyConfig{
		Description:          jsii.String("Encrypts the chat stack's volume and log groups"),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(keyDeletionWindowDays),
		Policy:               policy.Json(),
		Tags:                 nameTags(props.NamePrefix, "key"),
	})
	kmsalias.NewKmsAlias(e.Construct, jsii.String(keyAliasID), &kmsalias.KmsAliasConfig{
		Name:        jsii.String("alias/" + props.NamePrefix),
		TargetKeyId: key.KeyId(),
	})
	e.KeyARN = key.Arn()

	return e, nil
}
