package constructs

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/wafv2webacl"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/wafv2webaclassociation"
	waflogging "github.com/cdktf/cdktf-provider-aws-go/aws/v19/wafv2webaclloggingconfiguration"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// WebACLProps configures a WebACLConstruct.
type WebACLProps struct {
	// NamePrefix starts the web ACL's, its metrics' and its log group's
	// names. Required.
	NamePrefix string
	// LoadBalancerARN is the Application Load Balancer the web ACL
	// protects. Required.
	LoadBalancerARN *string
	// RateLimit is how many requests one client IP address may send in
	// any five minutes before it is blocked. Required: from 100 to
	// 2,000,000,000.
	RateLimit int
	// LogKeyARN is the customer-managed KMS key that encrypts the log
	// group; its key policy must let CloudWatch Logs use it. Required.
	LogKeyARN *string
	// LogRetentionDays is how long the log group keeps WAF logs. Required:
	// one of the values CloudWatch Logs allows: 1, 3, 5, 7, 14, 30, 60, 90,
	// 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
	// 3288 or 3653.
	LogRetentionDays int
}

// WebACLConstruct is a regional WAFv2 web ACL in front of the load
// balancer. It blocks client IP addresses that exceed the rate limit and
// applies AWS's IP reputation, common and known-bad-inputs rule groups,
// and it logs to an encrypted CloudWatch log group with the Authorization
// and Cookie headers redacted.
//
// NOTE: the rules are given as rule_json, in the WAF API's JSON, since the
// bindings have no typed struct for a rule's statement. The provider does
// not detect drift inside rule_json: a rule changed in the console is put
// back only when the rules here change.
type WebACLConstruct struct {
	cdkconstructs.Construct

	// WebACLARN is the web ACL's ARN.
	WebACLARN *string
	// LogGroupName is the name of the log group that receives WAF logs.
	LogGroupName *string
}

// The construct IDs of the web ACL resources.
const (
	wafWebACLID        = "acl"
	wafAssociationID   = "association"
	wafLogGroupID      = "log-group"
	wafLoggingConfigID = "logging-configuration"
)

// The rate limit's bounds, in requests per five minutes per client IP.
const (
	minRateLimit = 100
	maxRateLimit = 2_000_000_000
)

// wafLogGroupPrefix starts the name of every log group that WAF may log to.
const wafLogGroupPrefix = "aws-waf-logs-"

// logRetentionDaysAllowed lists the retention periods, in days, that
// CloudWatch Logs accepts.
var logRetentionDaysAllowed = []int{
	1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
	1827, 2192, 2557, 2922, 3288, 3653,
}

// managedRuleGroups are the AWS managed rule groups the web ACL applies,
// in priority order after the rate-based rule.
var managedRuleGroups = []string{
	"AWSManagedRulesAmazonIpReputationList",
	"AWSManagedRulesCommonRuleSet",
	"AWSManagedRulesKnownBadInputsRuleSet",
}

// redactedHeaders are the request headers left out of WAF logs, since
// they carry credentials and session data.
var redactedHeaders = []string{"authorization", "cookie"}

// NewWebACLConstruct builds the web ACL described by props.
func NewWebACLConstruct(
	scope cdkconstructs.Construct, id string, props WebACLProps,
) (*WebACLConstruct, error) {
	if err := props.validate(); err != nil {
		return nil, fmt.Errorf("web ACL %q: %w", id, err)
	}
	w := &WebACLConstruct{Construct: cdkconstructs.NewConstruct(scope, jsii.String(id))}

	// The web ACL allows what no rule blocks: the rate limit comes first,
	// then the managed rule groups.
	rules := []any{rateLimitRule(props.NamePrefix, props.RateLimit)}
	for i, group := range managedRuleGroups {
		rules = append(rules, managedRuleGroupRule(props.NamePrefix, group, i+1))
	}
	acl := wafv2webacl.NewWafv2WebAcl(w.Construct, jsii.String(wafWebACLID),
		&wafv2webacl.Wafv2WebAclConfig{
			Name:        jsii.String(props.NamePrefix + "-alb"),
			Description: jsii.String("Chat API load balancer: rate limit and AWS managed rules"),
			Scope:       jsii.String("REGIONAL"),
			DefaultAction: &wafv2webacl.Wafv2WebAclDefaultAction{
				Allow: &wafv2webacl.Wafv2WebAclDefaultActionAllow{},
			},
			VisibilityConfig: &wafv2webacl.Wafv2WebAclVisibilityConfig{
				CloudwatchMetricsEnabled: jsii.Bool(true),
				MetricName:               jsii.String(props.NamePrefix + "-alb"),
				SampledRequestsEnabled:   jsii.Bool(true),
			},
			RuleJson: cdktf.Fn_Jsonencode(rules),
			Tags:     nameTags(props.NamePrefix, "alb"),
		})
	w.WebACLARN = acl.Arn()

	// The association puts the web ACL in front of the load balancer.
	wafv2webaclassociation.NewWafv2WebAclAssociation(w.Construct, jsii.String(wafAssociationID),
		&wafv2webaclassociation.Wafv2WebAclAssociationConfigA{
			ResourceArn: props.LoadBalancerARN,
			WebAclArn:   acl.Arn(),
		})

	// The log group's name starts as WAF requires, and its key is the
	// customer's.
	logGroup := encryptedLogGroup(w.Construct, wafLogGroupID, wafLogGroupPrefix+props.NamePrefix,
		props.LogKeyARN, props.LogRetentionDays)
	logGroup.SetTags(nameTags(props.NamePrefix, "waf-logs"))
	w.LogGroupName = logGroup.Name()

	// Every request is logged, without the headers that carry secrets.
	var redacted []waflogging.Wafv2WebAclLoggingConfigurationRedactedFields
	for _, header := range redactedHeaders {
		redacted = append(redacted, waflogging.Wafv2WebAclLoggingConfigurationRedactedFields{
			SingleHeader: &waflogging.Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader{
				Name: jsii.String(header),
			},
		})
	}
	waflogging.NewWafv2WebAclLoggingConfiguration(w.Construct, jsii.String(wafLoggingConfigID),
		&waflogging.Wafv2WebAclLoggingConfigurationConfig{
			ResourceArn:           acl.Arn(),
			LogDestinationConfigs: &[]*string{logGroup.Arn()},
			RedactedFields:        redacted,
		})

	return w, nil
}

// rateLimitRule returns the rule, at priority 0, that blocks a client IP
// address while it sends more than limit requests in five minutes.
func rateLimitRule(prefix string, limit int) map[string]any {
	return map[string]any{
		"Name":     rateLimitRuleName,
		"Priority": 0,
		"Action":   map[string]any{"Block": map[string]any{}},
		"Statement": map[string]any{
			"RateBasedStatement": map[string]any{
				"Limit":            limit,
				"AggregateKeyType": "IP",
			},
		},
		"VisibilityConfig": ruleVisibility(prefix, rateLimitRuleName),
	}
}

// rateLimitRuleName names the rate-based rule.
const rateLimitRuleName = "rate-limit-per-ip"

// managedRuleGroupRule returns the rule that applies one of AWS's managed
// rule groups with the actions of the group's own rules.
func managedRuleGroupRule(prefix, group string, priority int) map[string]any {
	return map[string]any{
		"Name":           group,
		"Priority":       priority,
		"OverrideAction": map[string]any{"None": map[string]any{}},
		"Statement": map[string]any{
			"ManagedRuleGroupStatement": map[string]any{
				"Name":       group,
				"VendorName": "AWS",
			},
		},
		"VisibilityConfig": ruleVisibility(prefix, group),
	}
}

// ruleVisibility turns on a rule's CloudWatch metrics and sampled
// requests, under a metric named after the prefix and the rule.
func ruleVisibility(prefix, rule string) map[string]any {
	return map[string]any{
		"CloudWatchMetricsEnabled": true,
		"MetricName":               prefix + "-" + rule,
		"SampledRequestsEnabled":   true,
	}
}

// validate checks that the props describe a web ACL that can be built.
func (p WebACLProps) validate() error {
	switch {
	case p.NamePrefix == "":
		return errors.New("name prefix is empty")
	case p.LoadBalancerARN == nil:
		return errors.New("load balancer ARN is missing")
	case p.RateLimit < minRateLimit || p.RateLimit > maxRateLimit:
		return fmt.Errorf("rate limit %d is outside %d-%d requests per five minutes",
			p.RateLimit, minRateLimit, maxRateLimit)
	case p.LogKeyARN == nil:
		return errors.New("log key ARN is missing; want a customer-managed KMS key ARN")
	case !slices.Contains(logRetentionDaysAllowed, p.LogRetentionDays):
		return fmt.Errorf("log retention %d days is not allowed; want one of %s",
			p.LogRetentionDays, joinInts(logRetentionDaysAllowed))
	}
	return nil
}

// joinInts lists numbers separated by commas, for error messages.
func joinInts(numbers []int) string {
	texts := make([]string, len(numbers))
	for i, n := range numbers {
		texts[i] = strconv.Itoa(n)
	}
	return strings.Join(texts, ", ")
}
