//go:build e2e

package e2e

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	waftypes "github.com/aws/aws-sdk-go-v2/service/wafv2/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/chatstack"
)

// tlsPolicy is the security policy the HTTPS listener must use: TLS 1.3,
// and TLS 1.2 for older clients.
const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// wafLogGroupPrefix starts the name of every log group WAF may log to.
const wafLogGroupPrefix = "aws-waf-logs-"

// sessionPreferencesDocument is the Session document that holds the
// region's Session Manager preferences.
const sessionPreferencesDocument = "SSM-SessionManagerRunShell"

// wafRedactedHeaders are the headers the web ACL's log must leave out.
var wafRedactedHeaders = []string{"authorization", "cookie"}

// hardeningChecks are the checks of the safeguards that every
// configuration has, with or without a certificate.
func hardeningChecks() []check {
	return []check{
		{name: "waf", run: checkWAF},
		{name: "flow-log", run: checkFlowLog},
		{name: "key-rotation", run: checkKeyRotation},
		{name: "log-groups", run: checkLogGroups},
		{name: "access-log-bucket", run: checkAccessLogBucket},
		{name: "session-preferences", run: checkSessionPreferences},
	}
}

// checkHTTPS checks that the HTTPS listener uses the TLS 1.3 policy and
// serves the configured certificate, when the scenario configures one
// (checkDomain looks at a requested one), and that the HTTP listener sends
// clients there for good.
func checkHTTPS(t *testing.T, d *deployment) {
	listeners := d.listeners(t)

	// HTTPS uses the TLS 1.3 policy, and the imported certificate if any.
	secure, ok := listeners[443]
	require.True(t, ok, "no listener on 443")
	assert.Equal(t, tlsPolicy, aws.ToString(secure.SslPolicy))
	require.Len(t, secure.Certificates, 1, "certificates of the HTTPS listener")
	if d.cfg.CertificateARN != "" {
		assert.Equal(t, d.cfg.CertificateARN,
			aws.ToString(secure.Certificates[0].CertificateArn))
	}

	// HTTP answers with a permanent redirect to HTTPS on 443.
	plain, ok := listeners[80]
	require.True(t, ok, "no listener on 80")
	require.Len(t, plain.DefaultActions, 1, "actions of the HTTP listener")
	redirect := plain.DefaultActions[0].RedirectConfig
	require.NotNil(t, redirect, "the HTTP listener does not redirect")
	assert.Equal(t, "HTTPS", aws.ToString(redirect.Protocol))
	assert.Equal(t, "443", aws.ToString(redirect.Port))
	assert.Equal(t, elbtypes.RedirectActionStatusCodeEnumHttp301, redirect.StatusCode)
}

// checkWAF checks that the web ACL in the outputs guards the load balancer
// and logs to a WAF log group without the headers that carry secrets.
func checkWAF(t *testing.T, d *deployment) {
	balancer := d.loadBalancer(t)
	aclARN := d.output(t, chatstack.OutputWebACLARN)

	// The load balancer is associated with the stack's web ACL.
	found, err := d.waf.GetWebACLForResource(d.ctx, &wafv2.GetWebACLForResourceInput{
		ResourceArn: balancer.LoadBalancerArn,
	})
	require.NoError(t, err, "get the web acl of the load balancer")
	require.NotNil(t, found.WebACL, "no web acl guards the load balancer")
	assert.Equal(t, aclARN, aws.ToString(found.WebACL.ARN))

	// Its log goes to one WAF log group, redacted.
	logging, err := d.waf.GetLoggingConfiguration(d.ctx, &wafv2.GetLoggingConfigurationInput{
		ResourceArn: aws.String(aclARN),
	})
	require.NoError(t, err, "get the logging configuration of %s", aclARN)
	require.NotNil(t, logging.LoggingConfiguration, "the web acl does not log")
	destinations := logging.LoggingConfiguration.LogDestinationConfigs
	require.Len(t, destinations, 1, "log destinations of the web acl")
	assert.Contains(t, destinations[0], ":log-group:"+wafLogGroupPrefix)
	assert.ElementsMatch(t, wafRedactedHeaders,
		redactedHeaders(logging.LoggingConfiguration.RedactedFields))
}

// redactedHeaders returns the names of the single headers among fields.
func redactedHeaders(fields []waftypes.FieldToMatch) []string {
	var headers []string
	for _, field := range fields {
		if field.SingleHeader != nil {
			headers = append(headers, strings.ToLower(aws.ToString(field.SingleHeader.Name)))
		}
	}
	return headers
}

// checkFlowLog checks that the VPC's one flow log records all traffic to
// the log group in the outputs.
func checkFlowLog(t *testing.T, d *deployment) {
	vpcID := d.output(t, chatstack.OutputVPCID)
	groupName := d.output(t, chatstack.OutputFlowLogGroup)

	// One flow log records all traffic, through a delivery role.
	found, err := d.ec2.DescribeFlowLogs(d.ctx, &ec2.DescribeFlowLogsInput{
		Filter: []ec2types.Filter{filter("resource-id", vpcID)},
	})
	require.NoError(t, err, "describe flow logs of %s", vpcID)
	require.Len(t, found.FlowLogs, 1, "flow logs of %s", vpcID)
	flowLog := found.FlowLogs[0]
	assert.Equal(t, ec2types.TrafficTypeAll, flowLog.TrafficType)
	assert.NotEmpty(t, aws.ToString(flowLog.DeliverLogsPermissionArn), "delivery role")

	// It delivers to the group in the outputs, which its ARN names.
	assert.Equal(t, ec2types.LogDestinationTypeCloudWatchLogs, flowLog.LogDestinationType)
	destination := strings.TrimSuffix(aws.ToString(flowLog.LogDestination), ":*")
	assert.True(t, strings.HasSuffix(destination, ":log-group:"+groupName),
		"flow log destination %s is not log group %s", destination, groupName)
	if aws.ToString(flowLog.LogGroupName) == "" {
		skipBlindSpot(t, blindSpotFlowLogGroupName)
	} else {
		assert.Equal(t, groupName, aws.ToString(flowLog.LogGroupName))
	}
}

// checkKeyRotation checks that the stack's key is enabled and rotates.
func checkKeyRotation(t *testing.T, d *deployment) {
	keyARN := d.output(t, chatstack.OutputKMSKeyARN)

	// The key is a symmetric customer-managed key in use.
	described, err := d.kms.DescribeKey(d.ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyARN)})
	require.NoError(t, err, "describe key %s", keyARN)
	assert.Equal(t, kmstypes.KeyStateEnabled, described.KeyMetadata.KeyState)
	assert.Equal(t, kmstypes.KeyManagerTypeCustomer, described.KeyMetadata.KeyManager)
	assert.Equal(t, kmstypes.KeySpecSymmetricDefault, described.KeyMetadata.KeySpec)

	// Its material rotates.
	rotation, err := d.kms.GetKeyRotationStatus(d.ctx, &kms.GetKeyRotationStatusInput{
		KeyId: aws.String(keyARN),
	})
	require.NoError(t, err, "get the rotation status of %s", keyARN)
	assert.True(t, rotation.KeyRotationEnabled, "key %s does not rotate", keyARN)
}

// checkLogGroups checks that the flow log's, the sessions' and WAF's log
// groups exist, are encrypted with the stack's key and keep events for the
// configured retention, 365 days by default.
func checkLogGroups(t *testing.T, d *deployment) {
	keyARN := d.output(t, chatstack.OutputKMSKeyARN)
	named := []string{
		d.output(t, chatstack.OutputFlowLogGroup),
		d.output(t, chatstack.OutputSessionLogGroup),
	}

	// Every group of the stack has the key and the retention.
	var checked []string
	for _, group := range d.logGroups(t) {
		name := aws.ToString(group.LogGroupName)
		if !slices.Contains(named, name) && !strings.HasPrefix(name, wafLogGroupPrefix) {
			continue
		}
		checked = append(checked, name)
		assert.Equal(t, keyARN, aws.ToString(group.KmsKeyId), "key of %s", name)
		assert.Equal(t, int32(d.cfg.LogRetentionDays), aws.ToInt32(group.RetentionInDays),
			"retention of %s", name)
	}

	// None is missing.
	assert.Subset(t, checked, named, "log groups named in the outputs")
	assert.True(t, slices.ContainsFunc(checked, func(name string) bool {
		return strings.HasPrefix(name, wafLogGroupPrefix)
	}), "no log group starts with %s", wafLogGroupPrefix)
}

// logGroups returns every log group in the region.
func (d *deployment) logGroups(t *testing.T) []logstypes.LogGroup {
	t.Helper()
	var groups []logstypes.LogGroup
	pages := cloudwatchlogs.NewDescribeLogGroupsPaginator(d.logs,
		&cloudwatchlogs.DescribeLogGroupsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(d.ctx)
		require.NoError(t, err, "describe log groups")
		groups = append(groups, page.LogGroups...)
	}
	return groups
}

// checkAccessLogBucket checks that the access-log bucket blocks every kind
// of public access and keeps object versions.
func checkAccessLogBucket(t *testing.T, d *deployment) {
	bucket := d.output(t, chatstack.OutputAccessLogBucket)

	// All four public access blocks are on.
	block, err := d.s3.GetPublicAccessBlock(d.ctx, &s3.GetPublicAccessBlockInput{
		Bucket: aws.String(bucket),
	})
	require.NoError(t, err, "get the public access block of %s", bucket)
	settings := block.PublicAccessBlockConfiguration
	require.NotNil(t, settings, "bucket %s has no public access block", bucket)
	assert.True(t, aws.ToBool(settings.BlockPublicAcls), "BlockPublicAcls")
	assert.True(t, aws.ToBool(settings.IgnorePublicAcls), "IgnorePublicAcls")
	assert.True(t, aws.ToBool(settings.BlockPublicPolicy), "BlockPublicPolicy")
	assert.True(t, aws.ToBool(settings.RestrictPublicBuckets), "RestrictPublicBuckets")

	// Versioning is on.
	versioning, err := d.s3.GetBucketVersioning(d.ctx, &s3.GetBucketVersioningInput{
		Bucket: aws.String(bucket),
	})
	require.NoError(t, err, "get the versioning of %s", bucket)
	assert.Equal(t, s3types.BucketVersioningStatusEnabled, versioning.Status)
}

// sessionPreferences is the part of the Session Manager preferences
// document that the test reads.
type sessionPreferences struct {
	Inputs struct {
		CloudWatchLogGroupName      string `json:"cloudWatchLogGroupName"`
		CloudWatchEncryptionEnabled bool   `json:"cloudWatchEncryptionEnabled"`
	} `json:"inputs"`
}

// checkSessionPreferences checks that the region's Session Manager
// preferences exist as a Session document and log sessions, encrypted, to
// the session log group.
func checkSessionPreferences(t *testing.T, d *deployment) {
	name := aws.String(sessionPreferencesDocument)

	// The document is a Session document.
	described, err := d.ssm.DescribeDocument(d.ctx, &ssm.DescribeDocumentInput{Name: name})
	require.NoError(t, err, "describe document %s", *name)
	require.NotNil(t, described.Document)
	assert.Equal(t, ssmtypes.DocumentTypeSession, described.Document.DocumentType)

	// Its content names the session log group and asks for encryption.
	document, err := d.ssm.GetDocument(d.ctx, &ssm.GetDocumentInput{Name: name})
	require.NoError(t, err, "get document %s", *name)
	var preferences sessionPreferences
	require.NoError(t, json.Unmarshal([]byte(aws.ToString(document.Content)), &preferences),
		"decode document %s", *name)
	assert.Equal(t, d.output(t, chatstack.OutputSessionLogGroup),
		preferences.Inputs.CloudWatchLogGroupName)
	assert.True(t, preferences.Inputs.CloudWatchEncryptionEnabled, "session log encryption")
}

// hardeningLeftovers lists the access-log buckets, web ACLs, log groups,
// keys and Session Manager preferences that outlived the destroy.
func (d *deployment) hardeningLeftovers(t *testing.T) []string {
	t.Helper()
	var left []string

	// Buckets whose name starts with the prefix.
	buckets, err := d.s3.ListBuckets(d.ctx, &s3.ListBucketsInput{})
	require.NoError(t, err, "list buckets")
	for _, bucket := range buckets.Buckets {
		if strings.HasPrefix(aws.ToString(bucket.Name), d.cfg.NamePrefix) {
			left = append(left, "s3 bucket "+aws.ToString(bucket.Name))
		}
	}

	// Every regional web ACL, since the emulator started empty.
	acls, err := d.waf.ListWebACLs(d.ctx, &wafv2.ListWebACLsInput{
		Scope: waftypes.ScopeRegional,
	})
	require.NoError(t, err, "list web acls")
	for _, acl := range acls.WebACLs {
		left = append(left, "web acl "+aws.ToString(acl.Name))
	}

	// Log groups named after the prefix, or WAF's.
	for _, group := range d.logGroups(t) {
		name := aws.ToString(group.LogGroupName)
		if hasAnyPrefix(strings.TrimPrefix(name, "/"), d.cfg.NamePrefix, wafLogGroupPrefix) {
			left = append(left, "log group "+name)
		}
	}

	// Customer-managed keys that are not waiting for their deletion.
	left = append(left, d.keyLeftovers(t)...)

	// The Session Manager preferences, which the destroy deletes.
	_, err = d.ssm.DescribeDocument(d.ctx, &ssm.DescribeDocumentInput{
		Name: aws.String(sessionPreferencesDocument),
	})
	var missing *ssmtypes.InvalidDocument
	if !errors.As(err, &missing) {
		require.NoError(t, err, "describe document %s", sessionPreferencesDocument)
		left = append(left, "ssm document "+sessionPreferencesDocument)
	}

	slices.Sort(left)
	return left
}

// keyLeftovers lists the customer-managed keys that are not pending
// deletion; a destroyed key waits out its deletion window in that state.
func (d *deployment) keyLeftovers(t *testing.T) []string {
	t.Helper()
	var left []string
	pages := kms.NewListKeysPaginator(d.kms, &kms.ListKeysInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(d.ctx)
		require.NoError(t, err, "list keys")
		for _, key := range page.Keys {
			described, err := d.kms.DescribeKey(d.ctx, &kms.DescribeKeyInput{KeyId: key.KeyId})
			require.NoError(t, err, "describe key %s", aws.ToString(key.KeyId))
			metadata := described.KeyMetadata
			if metadata.KeyManager == kmstypes.KeyManagerTypeCustomer &&
				metadata.KeyState != kmstypes.KeyStatePendingDeletion {
				left = append(left, "kms key "+aws.ToString(key.KeyId))
			}
		}
	}
	return left
}
