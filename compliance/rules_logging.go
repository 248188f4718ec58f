package compliance

import (
	"strings"
)

// minimumRetentionDays is the shortest retention a log group may have.
const minimumRetentionDays = 365

// loggingRules returns the rules for logs, keys and audit trails.
func loggingRules() []Rule {
	return []Rule{
		{
			ID:          "HIPAA.Security-CloudWatchLogGroupEncrypted",
			Safeguard:   SafeguardEncryption,
			Description: "Every CloudWatch log group is encrypted with a KMS key.",
			Fix: "Set kms_key_id to an aws_kms_key whose key policy lets CloudWatch " +
				"Logs use it.",
			ResourceTypes: []string{"aws_cloudwatch_log_group"},
			check:         checkLogGroupEncrypted,
		},
		{
			ID:        "HIPAA.Security-CloudWatchLogGroupRetentionPeriod",
			Safeguard: SafeguardAuditControls,
			Description: "Every CloudWatch log group sets an explicit retention of at " +
				"least 365 days.",
			Fix:           "Set retention_in_days to 365 or more, such as 2192 for six years.",
			ResourceTypes: []string{"aws_cloudwatch_log_group"},
			check:         checkLogGroupRetention,
		},
		{
			ID:            "HIPAA.Security-KMSBackingKeyRotationEnabled",
			Safeguard:     SafeguardEncryption,
			Description:   "Every symmetric KMS key rotates its key material.",
			Fix:           "Set enable_key_rotation to true.",
			ResourceTypes: []string{"aws_kms_key"},
			check:         checkKeyRotation,
		},
		{
			ID:          "HIPAA.Security-WAFv2LoggingEnabled",
			Safeguard:   SafeguardAuditControls,
			Description: "Every WAFv2 web ACL sends its logs to a destination.",
			Fix: "Add an aws_wafv2_web_acl_logging_configuration with resource_arn set " +
				"to the web ACL and log_destination_configs set.",
			ResourceTypes: []string{"aws_wafv2_web_acl"},
			check:         checkWAFLogging,
		},
		{
			ID:        "HIPAA.Custom-SSMSessionLogging",
			Safeguard: SafeguardAuditControls,
			Description: "When the stack has instances, its SSM-SessionManagerRunShell " +
				"Session document logs sessions, encrypted, to CloudWatch Logs or S3.",
			Fix: "Add an aws_ssm_document named SSM-SessionManagerRunShell of type " +
				"Session whose inputs set cloudWatchLogGroupName with " +
				"cloudWatchEncryptionEnabled true, or s3BucketName with " +
				"s3EncryptionEnabled true.",
			ResourceTypes: []string{"aws_instance", "aws_ssm_document"},
			check:         checkSessionLogging,
		},
	}
}

// checkLogGroupEncrypted requires a KMS key on every log group.
func checkLogGroupEncrypted(s *stack) []violation {
	var out []violation
	for _, group := range s.ofType("aws_cloudwatch_log_group") {
		if stringAttr(group.attrs, "kms_key_id") == "" {
			out = append(out, fail(group, "kms_key_id is not set"))
		}
	}
	return out
}

// checkLogGroupRetention requires an explicit, long retention.
func checkLogGroupRetention(s *stack) []violation {
	var out []violation
	for _, group := range s.ofType("aws_cloudwatch_log_group") {
		days, ok := intAttr(group.attrs, "retention_in_days")
		if !ok || days < minimumRetentionDays {
			out = append(out, fail(group, "%s, want at least %d days",
				describe(group.attrs, "retention_in_days"), minimumRetentionDays))
		}
	}
	return out
}

// checkKeyRotation requires rotation of symmetric keys.
func checkKeyRotation(s *stack) []violation {
	var out []violation
	for _, key := range s.ofType("aws_kms_key") {
		spec := stringAttr(key.attrs, "customer_master_key_spec")
		if spec != "" && spec != "SYMMETRIC_DEFAULT" {
			continue
		}
		if !isTrue(key.attrs, "enable_key_rotation") {
			out = append(out, fail(key, "%s, want true",
				describe(key.attrs, "enable_key_rotation")))
		}
	}
	return out
}

// checkWAFLogging requires a logging configuration for each web ACL.
func checkWAFLogging(s *stack) []violation {
	var out []violation
	for _, acl := range s.ofType("aws_wafv2_web_acl") {
		configs := s.referencing("aws_wafv2_web_acl_logging_configuration", "resource_arn", acl)
		logged := false
		for _, config := range configs {
			logged = logged || len(stringList(config.attrs["log_destination_configs"])) > 0
		}
		if !logged {
			out = append(out, fail(acl, "no aws_wafv2_web_acl_logging_configuration "+
				"with log_destination_configs names this web ACL"))
		}
	}
	return out
}

// sessionDocumentName is the Session document that Session Manager reads
// its preferences from when a session names no other.
const sessionDocumentName = "SSM-SessionManagerRunShell"

// checkSessionLogging requires Session Manager to log sessions.
func checkSessionLogging(s *stack) []violation {
	// Judge every Session document; the one with the default name counts.
	var out []violation
	logged := false
	for _, doc := range s.ofType("aws_ssm_document") {
		if stringAttr(doc.attrs, "document_type") != "Session" {
			continue
		}
		name := stringAttr(doc.attrs, "name")
		problem := sessionLoggingProblem(doc)
		switch {
		case problem != "":
			out = append(out, fail(doc, "%s", problem))
		case name != sessionDocumentName:
			out = append(out, fail(doc, "the Session document is named %q; Session "+
				"Manager applies the preferences of %s unless a session names another",
				name, sessionDocumentName))
		default:
			logged = true
		}
	}

	// Without a logging preferences document, flag every instance.
	if !logged && len(out) == 0 {
		for _, instance := range s.ofType("aws_instance") {
			out = append(out, fail(instance, "no aws_ssm_document named %s of type "+
				"Session logs Session Manager sessions", sessionDocumentName))
		}
	}
	return out
}

// sessionLoggingProblem says why a Session document does not log sessions
// with encryption, or returns "".
func sessionLoggingProblem(doc *resource) string {
	// Decode the document, which CDKTF often writes through jsonencode.
	format := stringAttr(doc.attrs, "document_format")
	if format != "" && !strings.EqualFold(format, "JSON") {
		return "the Session document is not JSON and cannot be evaluated"
	}
	decoded, err := decodeDocument(stringAttr(doc.attrs, "content"))
	if err != nil {
		return "the Session document cannot be evaluated: " + err.Error()
	}
	content, _ := decoded.(map[string]any)
	inputs, _ := content["inputs"].(map[string]any)

	// Accept encrypted logging to CloudWatch Logs or to S3.
	toLogs := stringAttr(inputs, "cloudWatchLogGroupName") != "" &&
		isTrue(inputs, "cloudWatchEncryptionEnabled")
	toS3 := stringAttr(inputs, "s3BucketName") != "" && isTrue(inputs, "s3EncryptionEnabled")
	if !toLogs && !toS3 {
		return "the Session document sets neither cloudWatchLogGroupName with " +
			"cloudWatchEncryptionEnabled true nor s3BucketName with s3EncryptionEnabled true"
	}
	return ""
}
