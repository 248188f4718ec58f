package constructs

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ssmdocument"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// The construct IDs of the session logging resources.
const (
	sessionLogGroupID      = "session-log-group"
	sessionPreferencesID   = "session-manager-preferences"
	sessionLoggingPolicyID = "session-logging-policy"
)

// sessionPreferencesDocument is the name Session Manager reads its
// region-wide preferences from.
const sessionPreferencesDocument = "SSM-SessionManagerRunShell"

// sessionLogging sends every Session Manager session's input and output to
// an encrypted log group, so that shell access to the instance is audited,
// and lets the instance's agent write there.
//
// NOTE: the preferences document is one per account and region. If the
// account already has one (the console creates it on first use), import it
// or set sessionManagerPreferences to false.
func (c *ComputeConstruct) sessionLogging(props ComputeProps, role iamrole.IamRole) {
	group := encryptedLogGroup(c.Construct, sessionLogGroupID, "/"+props.NamePrefix+"/ssm-sessions",
		props.KeyARN, props.LogRetentionDays)
	c.SessionLogGroupName = group.Name()

	// The preferences refuse to log to a group that is not encrypted.
	ssmdocument.NewSsmDocument(c.Construct, jsii.String(sessionPreferencesID),
		&ssmdocument.SsmDocumentConfig{
			Name:           jsii.String(sessionPreferencesDocument),
			DocumentType:   jsii.String("Session"),
			DocumentFormat: jsii.String("JSON"),
			Content: cdktf.Fn_Jsonencode(map[string]any{
				"schemaVersion": "1.0",
				"description":   "Session Manager preferences: every session logged, encrypted",
				"sessionType":   "Standard_Stream",
				"inputs": map[string]any{
					"cloudWatchLogGroupName":      group.Name(),
					"cloudWatchEncryptionEnabled": true,
					"cloudWatchStreamingEnabled":  true,
					"s3BucketName":                "",
					"s3EncryptionEnabled":         true,
					"idleSessionTimeout":          "20",
					"runAsEnabled":                false,
				},
			}),
			Tags: nameTags(props.NamePrefix, "session-preferences"),
		})

	// The agent on the instance streams sessions to the group; it checks the
	// group's encryption with DescribeLogGroups, which takes no resource.
	attachPolicy(c.Construct, sessionLoggingPolicyID, role, props.NamePrefix+"-session-logging",
		"Stream Session Manager sessions to their log group",
		allow("WriteSessionLogGroup", []string{
			"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams",
		}, *group.Arn(), *group.Arn()+":*"),
		allow("CheckLogGroupEncryption", []string{"logs:DescribeLogGroups"}, "*"))
}
