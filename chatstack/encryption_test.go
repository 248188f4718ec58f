package chatstack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEncryptionKey(t *testing.T) {
	doc := parse(t, "default")
	key := doc.resource(t, "aws_kms_key", "encryption/key")
	alias := doc.resource(t, "aws_kms_alias", "encryption/key-alias")
	policy := doc.dataSource(t, "aws_iam_policy_document", "encryption/key-policy-document")
	account := doc.dataSource(t, "aws_caller_identity", "encryption/account")
	partition := doc.dataSource(t, "aws_partition", "encryption/partition")

	// The key rotates and keeps a 30-day window against mistakes.
	assert.Equal(t, true, key.attrs["enable_key_rotation"])
	assert.Equal(t, 30.0, key.attrs["deletion_window_in_days"])
	assert.Equal(t, policy.dataRef("json"), key.attrs["policy"])
	assert.Equal(t, "alias/bedrock-chat", alias.attrs["name"])
	assert.Equal(t, key.ref("key_id"), alias.attrs["target_key_id"])

	// The account administers it through IAM; CloudWatch Logs may use it
	// for this account's log groups in the region alone.
	arn := "arn:" + partition.dataRef("partition")
	assert.JSONEq(t, `[
		{"sid":"AccountAdministersKeyThroughIAM","effect":"Allow","actions":["kms:*"],
		 "resources":["*"],
		 "principals":[{"type":"AWS","identifiers":["`+arn+`:iam::`+account.dataRef("account_id")+`:root"]}]},
		{"sid":"CloudWatchLogsInThisAccount","effect":"Allow",
		 "actions":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],
		 "resources":["*"],
		 "principals":[{"type":"Service","identifiers":["logs.us-east-1.amazonaws.com"]}],
		 "condition":[{"test":"ArnLike","variable":"kms:EncryptionContext:aws:logs:arn",
		   "values":["`+arn+`:logs:us-east-1:`+account.dataRef("account_id")+`:log-group:*"]}]}]`,
		toJSON(t, policy.attrs["statement"]))
}

func TestEveryLogGroupIsEncryptedAndKept(t *testing.T) {
	for _, scenario := range []string{"default", "certificate", "locked-down"} {
		t.Run(scenario, func(t *testing.T) {
			doc := parse(t, scenario)
			key := doc.resource(t, "aws_kms_key", "encryption/key")
			groups := doc.resources("aws_cloudwatch_log_group")
			assert.NotEmpty(t, groups)
			for _, group := range groups {
				assert.Equal(t, key.ref("arn"), group.attrs["kms_key_id"], group.address)
				assert.Equal(t, 365.0, group.attrs["retention_in_days"], group.address)
			}
		})
	}
}
