package config_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/config"
	// Accepts -update, so that go test ./... -update runs this package too.
	_ "github.com/bedrock-chat/stack/internal/golden"
)

// noEnv is a getenv that finds nothing.
func noEnv(string) string { return "" }

// env returns a getenv that reads from values.
func env(values map[string]string) func(string) string {
	return func(name string) string { return values[name] }
}

func TestDefaultsMatchTheArchitecture(t *testing.T) {
	cfg, err := config.Load(nil, noEnv)
	require.NoError(t, err)

	assert.Equal(t, config.Config{
		Region:             "us-east-1",
		AvailabilityZones:  []string{"us-east-1a", "us-east-1b"},
		VPCCIDR:            "10.0.0.0/16",
		PublicSubnetCIDRs:  []string{"10.0.1.0/24", "10.0.4.0/24"},
		PrivateSubnetCIDRs: []string{"10.0.2.0/24"},
		InstanceType:       "t3.small",
		AppPort:            5212,
		ModelID:            "mistral.mistral-large-2402-v1:0",
		InterfaceEndpoints: []string{"ssm", "ec2messages", "ssmmessages", "bedrock-runtime", "logs"},
		NamePrefix:         "bedrock-chat",
		Tags:               map[string]string{"Project": "bedrock-chat", "ManagedBy": "cdktf"},

		DeletionProtection:        true,
		LogRetentionDays:          365,
		AccessLogExpirationDays:   365,
		WAFRateLimit:              1000,
		InternetEgress:            true,
		SessionManagerPreferences: true,
		SuppressionsFile:          "hipaa-suppressions.json",
	}, cfg)
	assert.False(t, cfg.HasCertificate())
	assert.Equal(t, "x86_64", cfg.Architecture())
}

func TestContextOverridesDefaultsAndEnvironmentOverridesContext(t *testing.T) {
	// The context arrives from jsii as generic maps and slices.
	context := map[string]any{
		"region":            "eu-west-1",
		"availabilityZones": []any{"eu-west-1a", "eu-west-1b"},
		"modelId":           "anthropic.claude-3-haiku-20240307-v1:0",
		"appPort":           8080.0,
		"tags":              map[string]any{"Team": "care"},
	}
	cfg, err := config.Load(context, env(map[string]string{
		config.EnvModelID:            "amazon.titan-text-express-v1",
		config.EnvInstanceType:       "m7g.large",
		config.EnvInterfaceEndpoints: "ssm, bedrock-runtime",
		config.EnvTags:               "Owner=ops, CostCenter=42",
	}))
	require.NoError(t, err)

	assert.Equal(t, "eu-west-1", cfg.Region)
	assert.Equal(t, []string{"eu-west-1a", "eu-west-1b"}, cfg.AvailabilityZones)
	assert.Equal(t, 8080, cfg.AppPort)
	assert.Equal(t, "amazon.titan-text-express-v1", cfg.ModelID)
	assert.Equal(t, "m7g.large", cfg.InstanceType)
	assert.Equal(t, "arm64", cfg.Architecture())
	assert.Equal(t, []string{"ssm", "bedrock-runtime"}, cfg.InterfaceEndpoints)
	assert.Equal(t, map[string]string{
		"Project": "bedrock-chat", "ManagedBy": "cdktf", "Team": "care", "Owner": "ops", "CostCenter": "42",
	}, cfg.Tags, "tags from the context and the environment add to the defaults")
	assert.Equal(t, "10.0.0.0/16", cfg.VPCCIDR, "untouched settings keep their defaults")
}

func TestTagsReplaceTheValueOfAKeyGivenAgain(t *testing.T) {
	cfg, err := config.Load(map[string]any{"tags": map[string]any{"Project": "triage"}},
		env(map[string]string{config.EnvTags: "ManagedBy=platform-team"}))
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"Project": "triage", "ManagedBy": "platform-team"}, cfg.Tags)
}

func TestArchitecture(t *testing.T) {
	tests := []struct {
		instanceType string
		want         string
	}{
		{"t3.small", "x86_64"},
		{"t4g.small", "arm64"},
		{"m7gd.large", "arm64"},
		{"c7gn.xlarge", "arm64"},
		{"g5.xlarge", "x86_64"},
		{"g5g.xlarge", "arm64"},
		{"m7i.large", "x86_64"},
	}
	for _, tt := range tests {
		t.Run(tt.instanceType, func(t *testing.T) {
			assert.Equal(t, tt.want, config.Config{InstanceType: tt.instanceType}.Architecture())
		})
	}
}

func TestInvalidConfiguration(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		// want lists fragments that the error must contain: the setting,
		// the value and what is allowed.
		want []string
	}{
		{
			name: "CIDR that does not parse",
			env:  map[string]string{config.EnvVPCCIDR: "10.0.0.0/33"},
			want: []string{"vpcCidr (CHAT_STACK_VPC_CIDR)", `"10.0.0.0/33"`, "not an IPv4 CIDR block"},
		},
		{
			name: "CIDR with host bits",
			env:  map[string]string{config.EnvPublicSubnetCIDRs: "10.0.1.5/24,10.0.4.0/24"},
			want: []string{"publicSubnetCidrs", `"10.0.1.5/24"`, "did you mean 10.0.1.0/24"},
		},
		{
			name: "subnet outside the VPC",
			env:  map[string]string{config.EnvPrivateSubnetCIDRs: "192.168.2.0/24"},
			want: []string{"privateSubnetCidrs", `"192.168.2.0/24"`, "inside 10.0.0.0/16"},
		},
		{
			name: "overlapping subnets",
			env:  map[string]string{config.EnvPrivateSubnetCIDRs: "10.0.1.128/25"},
			want: []string{"privateSubnetCidrs", `"10.0.1.128/25"`, "overlaps 10.0.1.0/24"},
		},
		{
			name: "fewer than two public subnets",
			env: map[string]string{
				config.EnvAvailabilityZones: "us-east-1a",
				config.EnvPublicSubnetCIDRs: "10.0.1.0/24",
			},
			want: []string{
				"publicSubnetCidrs", `["10.0.1.0/24"]`, "at least two CIDR blocks",
				"availabilityZones", `["us-east-1a"]`, "at least two availability zones",
			},
		},
		{
			name: "public subnets and zones differ in number",
			env: map[string]string{
				config.EnvPublicSubnetCIDRs: "10.0.1.0/24,10.0.4.0/24,10.0.5.0/24",
			},
			want: []string{
				"publicSubnetCidrs", `["10.0.1.0/24" "10.0.4.0/24" "10.0.5.0/24"]`,
				"one CIDR block per availability zone (2)",
			},
		},
		{
			name: "two public subnets in one zone",
			env:  map[string]string{config.EnvAvailabilityZones: "us-east-1a,us-east-1a"},
			want: []string{"availabilityZones", `"us-east-1a"`, "each public subnet in a different zone"},
		},
		{
			name: "zone outside the region",
			env:  map[string]string{config.EnvAvailabilityZones: "us-east-1a,us-west-2b"},
			want: []string{"availabilityZones", `"us-west-2b"`, "not in region us-east-1"},
		},
		{
			name: "port above 65535",
			env:  map[string]string{config.EnvAppPort: "70000"},
			want: []string{"appPort (CHAT_STACK_APP_PORT)", "70000", "from 1024 to 65535"},
		},
		{
			name: "port zero",
			env:  map[string]string{config.EnvAppPort: "0"},
			want: []string{"appPort", "= 0", "from 1024 to 65535"},
		},
		{
			name: "certificate ARN that is not one",
			env:  map[string]string{config.EnvCertificateARN: "my-cert"},
			want: []string{"certificateArn (CHAT_STACK_CERTIFICATE_ARN)", `"my-cert"`, "ACM certificate ARN"},
		},
		{
			name: "certificate in another region",
			env: map[string]string{config.EnvCertificateARN: "arn:aws:acm:eu-west-1:123456789012:" +
				"certificate/0b1c2d3e-aaaa-bbbb-cccc-123456789012"},
			want: []string{"certificateArn", "the certificate is in eu-west-1", "its own region, us-east-1"},
		},
		{
			name: "certificate and domain both",
			env: map[string]string{
				config.EnvCertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123",
				config.EnvDomainName:     "chat.example.org",
				config.EnvHostedZoneID:   "Z0123456789ABC",
			},
			want: []string{"certificateArn", "not both"},
		},
		{
			name: "domain without its zone",
			env:  map[string]string{config.EnvDomainName: "chat.example.org"},
			want: []string{"hostedZoneId (CHAT_STACK_HOSTED_ZONE_ID)", "give both or neither"},
		},
		{
			name: "domain that is not a DNS name",
			env: map[string]string{
				config.EnvDomainName:   "Chat_Example",
				config.EnvHostedZoneID: "Z0123456789ABC",
			},
			want: []string{"domainName", `"Chat_Example"`, "lowercase DNS name"},
		},
		{
			name: "hosted zone that is not one",
			env: map[string]string{
				config.EnvDomainName:   "chat.example.org",
				config.EnvHostedZoneID: "zone-1",
			},
			want: []string{"hostedZoneId", `"zone-1"`, "hosted zone ID"},
		},
		{
			name: "retention CloudWatch does not allow",
			env:  map[string]string{config.EnvLogRetentionDays: "100"},
			want: []string{"logRetentionDays (CHAT_STACK_LOG_RETENTION_DAYS)", "= 100", "CloudWatch allows"},
		},
		{
			name: "access logs kept no days",
			env:  map[string]string{config.EnvAccessLogExpirationDays: "0"},
			want: []string{"accessLogExpirationDays", "= 0", "from 1 to 36500"},
		},
		{
			name: "rate limit too low",
			env:  map[string]string{config.EnvWAFRateLimit: "5"},
			want: []string{"wafRateLimit (CHAT_STACK_WAF_RATE_LIMIT)", "= 5", "from 100"},
		},
		{
			name: "switch that is not a boolean",
			env:  map[string]string{config.EnvDeletionProtection: "sometimes"},
			want: []string{"CHAT_STACK_DELETION_PROTECTION", `"sometimes"`, "want true or false"},
		},
		{
			name: "privileged port",
			env:  map[string]string{config.EnvAppPort: "443"},
			want: []string{"appPort", "= 443", "from 1024 to 65535", "capability"},
		},
		{
			name: "Go proxy with a space",
			env:  map[string]string{config.EnvGoProxy: "https://a.example direct"},
			want: []string{"goProxy (CHAT_STACK_GO_PROXY)", `"https://a.example direct"`, "GOPROXY list"},
		},
		{
			name: "port that is not a number",
			env:  map[string]string{config.EnvAppPort: "http"},
			want: []string{"CHAT_STACK_APP_PORT", `"http"`, "not a whole number"},
		},
		{
			name: "inference profile as model ID",
			env:  map[string]string{config.EnvModelID: "us.anthropic.claude-3-haiku-20240307-v1:0"},
			want: []string{"modelId", "inference profiles are not supported"},
		},
		{
			name: "region that is not a region",
			env:  map[string]string{config.EnvRegion: "mars-1"},
			want: []string{"region (CHAT_STACK_REGION)", `"mars-1"`, "AWS region name"},
		},
		{
			name: "instance type without a size",
			env:  map[string]string{config.EnvInstanceType: "t3"},
			want: []string{"instanceType", `"t3"`, "such as t3.small"},
		},
		{
			name: "S3 as an Interface endpoint",
			env:  map[string]string{config.EnvInterfaceEndpoints: "ssm,s3"},
			want: []string{"interfaceEndpoints", `"s3"`, "Gateway endpoint"},
		},
		{
			name: "endpoint listed twice",
			env:  map[string]string{config.EnvInterfaceEndpoints: "ssm,ssm"},
			want: []string{"interfaceEndpoints", `"ssm"`, "listed twice"},
		},
		{
			name: "name prefix too long",
			env:  map[string]string{config.EnvNamePrefix: "a-very-long-name-prefix-indeed"},
			want: []string{"namePrefix", "2 to 20 lowercase letters"},
		},
		{
			name: "reserved tag key",
			env:  map[string]string{config.EnvTags: "aws:owner=me"},
			want: []string{"tags", `"aws:owner"`, "reserved"},
		},
		{
			name: "tag without a value separator",
			env:  map[string]string{config.EnvTags: "Owner"},
			want: []string{"CHAT_STACK_TAGS", `"Owner" is not key=value`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Load(nil, env(tt.env))
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, fragment := range tt.want {
				assert.Contains(t, err.Error(), fragment)
			}
		})
	}
}

func TestEmptyModelIDFromContextIsRefused(t *testing.T) {
	for _, modelID := range []string{"", "   "} {
		t.Run(fmt.Sprintf("%q", modelID), func(t *testing.T) {
			_, err := config.Load(map[string]any{"modelId": modelID}, noEnv)
			require.Error(t, err)
			assert.Contains(t, err.Error(), fmt.Sprintf(
				"modelId (CHAT_STACK_MODEL_ID) = %q: want a Bedrock foundation model ID", modelID))
		})
	}
}

func TestBlankEnvironmentVariableIsUnset(t *testing.T) {
	// A variable set to blanks counts as unset, as the README says: the
	// value from the context, or the default, applies.
	cfg, err := config.Load(map[string]any{"modelId": "amazon.titan-text-express-v1"},
		env(map[string]string{config.EnvModelID: " "}))
	require.NoError(t, err)
	assert.Equal(t, "amazon.titan-text-express-v1", cfg.ModelID)
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	_, err := config.Load(nil, env(map[string]string{
		config.EnvAppPort:    "0",
		config.EnvVPCCIDR:    "not-a-cidr",
		config.EnvRegion:     "nowhere",
		config.EnvModelID:    "us.some-model",
		config.EnvNamePrefix: "-",
	}))
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	assert.GreaterOrEqual(t, len(lines), 6, "want a heading and one line per problem:\n%s", err)
}

func TestUnknownContextKeyIsRefused(t *testing.T) {
	_, err := config.Load(map[string]any{"vpcCidrBlock": "10.1.0.0/16"}, noEnv)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `has an unknown setting "vpcCidrBlock"`)
	assert.Contains(t, err.Error(), "vpcCidr")
}

func TestContextOfTheWrongTypeIsRefused(t *testing.T) {
	_, err := config.Load(map[string]any{
		"appPort":            "5212",
		"deletionProtection": "yes",
		"availabilityZones":  "us-east-1a",
		"tags":               map[string]any{"Team": 7.0},
	}, noEnv)
	require.Error(t, err)
	for _, fragment := range []string{
		`appPort (CHAT_STACK_APP_PORT) = "5212" in cdktf.json: want a whole number`,
		`deletionProtection (CHAT_STACK_DELETION_PROTECTION) = "yes" in cdktf.json: want true or false`,
		`availabilityZones (CHAT_STACK_AVAILABILITY_ZONES) = "us-east-1a" in cdktf.json: want a list of strings`,
		`tags (CHAT_STACK_TAGS) = {"Team":7} in cdktf.json: want an object of string values`,
	} {
		assert.Contains(t, err.Error(), fragment)
	}
}

func TestContextThatIsNotAnObjectIsRefused(t *testing.T) {
	_, err := config.Load([]any{"region"}, noEnv)
	require.Error(t, err)
	assert.Contains(t, err.Error(),
		`context "bedrockChat" in cdktf.json = ["region"]: want an object of settings`)
}

func TestValuesThatDoNotParseAreReportedWithEveryOtherProblem(t *testing.T) {
	_, err := config.Load(map[string]any{"appPort": "5212", "vpcCidr": "10.0.0.0/33"},
		env(map[string]string{
			config.EnvWAFRateLimit:       "many",
			config.EnvDeletionProtection: "maybe",
			config.EnvRegion:             "nowhere",
		}))
	require.Error(t, err)
	for _, fragment := range []string{
		`appPort (CHAT_STACK_APP_PORT) = "5212" in cdktf.json: want a whole number`,
		`vpcCidr (CHAT_STACK_VPC_CIDR) = "10.0.0.0/33": not an IPv4 CIDR block`,
		`wafRateLimit (CHAT_STACK_WAF_RATE_LIMIT) = "many": not a whole number; want one such as 1000`,
		`deletionProtection (CHAT_STACK_DELETION_PROTECTION) = "maybe": want true or false`,
		`region (CHAT_STACK_REGION) = "nowhere": want an AWS region name`,
	} {
		assert.Contains(t, err.Error(), fragment)
	}
}
