package constructs

import (
	"errors"
	"fmt"

	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawselbserviceaccount"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsiampolicydocument"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	lifecycle "github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketownershipcontrols"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	encryption "github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// AccessLogsProps configures an AccessLogsConstruct.
type AccessLogsProps struct {
	// NamePrefix starts the bucket's name and Name tag. Required.
	NamePrefix string
	// ExpirationDays is how long a log object is kept before it expires,
	// and how long an expired, noncurrent version is kept after that.
	// Required: at least 1.
	ExpirationDays int
	// ForceDestroy lets `terraform destroy` delete the bucket while it
	// still holds logs. Default: false, destroy fails on a bucket with logs.
	ForceDestroy bool
}

// AccessLogsConstruct is the S3 bucket that receives the load balancer's
// access logs: private, versioned, encrypted, reachable only over TLS, and
// writable by Elastic Load Balancing's log delivery alone.
//
// NOTE: ALB access logs can be written only to a bucket encrypted with
// SSE-S3 (AES256); a customer-managed KMS key is not supported, so this
// bucket uses SSE-S3.
//
// NOTE: the bucket policy names both the regional Elastic Load Balancing
// account, which regions opened before August 2022 use, and the log
// delivery service principal, which newer regions use. The
// aws_elb_service_account data source knows only the older regions; in a
// newer one `terraform plan` fails with an unknown region error.
//
// NOTE: the bucket is versioned, so an expired log becomes a noncurrent
// version that is deleted ExpirationDays later: a log object lives up to
// twice ExpirationDays in all.
type AccessLogsConstruct struct {
	cdkconstructs.Construct

	// BucketName is the bucket's name, which the load balancer's
	// access_logs block takes.
	BucketName *string
	// BucketARN is the bucket's ARN.
	BucketARN *string
	// PolicyDependable is the bucket policy. The load balancer depends on
	// it, since AWS checks that it may write to the bucket when access
	// logging is turned on.
	PolicyDependable cdktf.ITerraformDependable
}

// The construct IDs of the access log resources.
const (
	accessLogsBucketID         = "bucket"
	accessLogsOwnershipID      = "bucket-ownership"
	accessLogsPublicAccessID   = "bucket-public-access-block"
	accessLogsEncryptionID     = "bucket-encryption"
	accessLogsVersioningID     = "bucket-versioning"
	accessLogsLifecycleID      = "bucket-lifecycle"
	accessLogsCallerIdentityID = "caller-identity"
	accessLogsELBAccountID     = "elb-service-account"
	accessLogsPolicyDocumentID = "bucket-policy-document"
	accessLogsBucketPolicyID   = "bucket-policy"
)

// accessLogsLifecycleRuleID names the bucket's one lifecycle rule.
const accessLogsLifecycleRuleID = "expire-access-logs"

// logDeliveryPrincipal is the service principal that delivers load
// balancer access logs in regions opened since August 2022.
const logDeliveryPrincipal = "logdelivery.elasticloadbalancing.amazonaws.com"

// abortUploadDays is how long an unfinished multipart upload may linger
// before S3 removes its parts.
const abortUploadDays = 7

// NewAccessLogsConstruct builds the access log bucket described by props.
func NewAccessLogsConstruct(
	scope cdkconstructs.Construct, id string, props AccessLogsProps,
) (*AccessLogsConstruct, error) {
	if err := props.validate(); err != nil {
		return nil, fmt.Errorf("access logs %q: %w", id, err)
	}
	a := &AccessLogsConstruct{Construct: cdkconstructs.NewConstruct(scope, jsii.String(id))}

	// Bucket names are global, so Terraform completes the prefix.
	bucket := s3bucket.NewS3Bucket(a.Construct, jsii.String(accessLogsBucketID),
		&s3bucket.S3BucketConfig{
			BucketPrefix: jsii.String(props.NamePrefix + "-alb-logs-"),
			ForceDestroy: jsii.Bool(props.ForceDestroy),
			Tags:         nameTags(props.NamePrefix, "alb-logs"),
		})
	a.BucketName = bucket.Id()
	a.BucketARN = bucket.Arn()

	// The bucket owner owns every object, and ACLs are switched off.
	s3bucketownershipcontrols.NewS3BucketOwnershipControls(a.Construct,
		jsii.String(accessLogsOwnershipID),
		&s3bucketownershipcontrols.S3BucketOwnershipControlsConfig{
			Bucket: bucket.Id(),
			Rule: &s3bucketownershipcontrols.S3BucketOwnershipControlsRule{
				ObjectOwnership: jsii.String("BucketOwnerEnforced"),
			},
		})

	// Nothing in the bucket may ever be made public.
	publicAccess := s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(a.Construct,
		jsii.String(accessLogsPublicAccessID),
		&s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
			Bucket:                bucket.Id(),
			BlockPublicAcls:       jsii.Bool(true),
			BlockPublicPolicy:     jsii.Bool(true),
			IgnorePublicAcls:      jsii.Bool(true),
			RestrictPublicBuckets: jsii.Bool(true),
		})

	// Objects are encrypted with S3-managed keys, the one kind that log
	// delivery accepts.
	byDefault := &encryption.
		S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
		SseAlgorithm: jsii.String("AES256"),
	}
	encryption.NewS3BucketServerSideEncryptionConfigurationA(a.Construct,
		jsii.String(accessLogsEncryptionID),
		&encryption.S3BucketServerSideEncryptionConfigurationAConfig{
			Bucket: bucket.Id(),
			Rule: []encryption.S3BucketServerSideEncryptionConfigurationRuleA{{
				ApplyServerSideEncryptionByDefault: byDefault,
			}},
		})

	// Versioning keeps an overwritten or deleted log recoverable.
	versioning := s3bucketversioning.NewS3BucketVersioningA(a.Construct,
		jsii.String(accessLogsVersioningID),
		&s3bucketversioning.S3BucketVersioningAConfig{
			Bucket: bucket.Id(),
			VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{
				Status: jsii.String("Enabled"),
			},
		})

	// Every log, and every noncurrent version of it, expires after the
	// configured days; the rule waits for versioning to be on.
	lifecycle.NewS3BucketLifecycleConfiguration(a.Construct, jsii.String(accessLogsLifecycleID),
		&lifecycle.S3BucketLifecycleConfigurationConfig{
			Bucket:    bucket.Id(),
			Rule:      []lifecycle.S3BucketLifecycleConfigurationRule{expireAfter(props.ExpirationDays)},
			DependsOn: &[]cdktf.ITerraformDependable{versioning},
		})

	// The policy refuses plain HTTP and lets log delivery write under
	// AWSLogs/<account>/; it waits for the public access block, since S3
	// rejects the two changes at once.
	document := a.policyDocument(bucket.Arn())
	policy := s3bucketpolicy.NewS3BucketPolicy(a.Construct, jsii.String(accessLogsBucketPolicyID),
		&s3bucketpolicy.S3BucketPolicyConfig{
			Bucket:    bucket.Id(),
			Policy:    document.Json(),
			DependsOn: &[]cdktf.ITerraformDependable{publicAccess},
		})
	a.PolicyDependable = policy

	return a, nil
}

// policyDocument returns the bucket policy: deny every request without
// TLS, and allow Elastic Load Balancing, through both of its identities,
// to put objects under this account's log prefix.
func (a *AccessLogsConstruct) policyDocument(
	bucketARN *string,
) dataawsiampolicydocument.DataAwsIamPolicyDocument {
	// The account ID and the regional load balancing account complete the
	// statements.
	caller := dataawscalleridentity.NewDataAwsCallerIdentity(a.Construct,
		jsii.String(accessLogsCallerIdentityID),
		&dataawscalleridentity.DataAwsCallerIdentityConfig{})
	elbAccount := dataawselbserviceaccount.NewDataAwsElbServiceAccount(a.Construct,
		jsii.String(accessLogsELBAccountID),
		&dataawselbserviceaccount.DataAwsElbServiceAccountConfig{})
	logPrefix := fmt.Sprintf("%s/AWSLogs/%s/*", *bucketARN, *caller.AccountId())

	return dataawsiampolicydocument.NewDataAwsIamPolicyDocument(a.Construct,
		jsii.String(accessLogsPolicyDocumentID),
		&dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{
			Statement: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatement{
				{
					Sid:       jsii.String("DenyInsecureTransport"),
					Effect:    jsii.String("Deny"),
					Actions:   jsii.Strings("s3:*"),
					Resources: jsii.Strings(*bucketARN, *bucketARN+"/*"),
					Principals: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementPrincipals{{
						Type:        jsii.String("*"),
						Identifiers: jsii.Strings("*"),
					}},
					Condition: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementCondition{{
						Test:     jsii.String("Bool"),
						Variable: jsii.String("aws:SecureTransport"),
						Values:   jsii.Strings("false"),
					}},
				},
				{
					Sid:       jsii.String("AllowELBAccountLogDelivery"),
					Effect:    jsii.String("Allow"),
					Actions:   jsii.Strings("s3:PutObject"),
					Resources: jsii.Strings(logPrefix),
					Principals: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementPrincipals{{
						Type:        jsii.String("AWS"),
						Identifiers: &[]*string{elbAccount.Arn()},
					}},
				},
				{
					Sid:       jsii.String("AllowLogDeliveryService"),
					Effect:    jsii.String("Allow"),
					Actions:   jsii.Strings("s3:PutObject"),
					Resources: jsii.Strings(logPrefix),
					Principals: []dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementPrincipals{{
						Type:        jsii.String("Service"),
						Identifiers: jsii.Strings(logDeliveryPrincipal),
					}},
				},
			},
		})
}

// expireAfter returns the lifecycle rule that expires every object, and
// then its noncurrent version, after the given days, and that removes
// the parts of a multipart upload left unfinished for a week.
func expireAfter(days int) lifecycle.S3BucketLifecycleConfigurationRule {
	type (
		filter     = lifecycle.S3BucketLifecycleConfigurationRuleFilter
		expiration = lifecycle.S3BucketLifecycleConfigurationRuleExpiration
		noncurrent = lifecycle.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration
		abort      = lifecycle.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload
	)
	after := jsii.Number(float64(days))
	return lifecycle.S3BucketLifecycleConfigurationRule{
		Id:     jsii.String(accessLogsLifecycleRuleID),
		Status: jsii.String("Enabled"),
		// An empty prefix matches every object.
		Filter:                         []filter{{Prefix: jsii.String("")}},
		Expiration:                     []expiration{{Days: after}},
		NoncurrentVersionExpiration:    []noncurrent{{NoncurrentDays: after}},
		AbortIncompleteMultipartUpload: []abort{{DaysAfterInitiation: jsii.Number(abortUploadDays)}},
	}
}

// validate checks that the props describe a bucket that can be built.
func (p AccessLogsProps) validate() error {
	switch {
	case p.NamePrefix == "":
		return errors.New("name prefix is empty")
	case p.ExpirationDays < 1:
		return fmt.Errorf("expiration days %d is not allowed; want 1 or more",
			p.ExpirationDays)
	}
	return nil
}
