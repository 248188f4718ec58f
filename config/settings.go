package config

// The environment variables that override single settings. Lists are
// comma-separated; tags are Key=Value pairs separated by commas.
const (
	EnvRegion             = "CHAT_STACK_REGION"
	EnvAvailabilityZones  = "CHAT_STACK_AVAILABILITY_ZONES"
	EnvVPCCIDR            = "CHAT_STACK_VPC_CIDR"
	EnvPublicSubnetCIDRs  = "CHAT_STACK_PUBLIC_SUBNET_CIDRS"
	EnvPrivateSubnetCIDRs = "CHAT_STACK_PRIVATE_SUBNET_CIDRS"
	EnvInstanceType       = "CHAT_STACK_INSTANCE_TYPE"
	EnvAppPort            = "CHAT_STACK_APP_PORT"
	EnvModelID            = "CHAT_STACK_MODEL_ID"
	EnvInterfaceEndpoints = "CHAT_STACK_INTERFACE_ENDPOINTS"
	EnvNamePrefix         = "CHAT_STACK_NAME_PREFIX"
	EnvTags               = "CHAT_STACK_TAGS"
	EnvGoProxy            = "CHAT_STACK_GO_PROXY"

	EnvCertificateARN            = "CHAT_STACK_CERTIFICATE_ARN"
	EnvDomainName                = "CHAT_STACK_DOMAIN_NAME"
	EnvHostedZoneID              = "CHAT_STACK_HOSTED_ZONE_ID"
	EnvDeletionProtection        = "CHAT_STACK_DELETION_PROTECTION"
	EnvLogRetentionDays          = "CHAT_STACK_LOG_RETENTION_DAYS"
	EnvAccessLogExpirationDays   = "CHAT_STACK_ACCESS_LOG_EXPIRATION_DAYS"
	EnvWAFRateLimit              = "CHAT_STACK_WAF_RATE_LIMIT"
	EnvInternetEgress            = "CHAT_STACK_INTERNET_EGRESS"
	EnvSessionManagerPreferences = "CHAT_STACK_SESSION_MANAGER_PREFERENCES"
	EnvStrictCompliance          = "CHAT_STACK_STRICT"
	EnvSuppressionsFile          = "CHAT_STACK_SUPPRESSIONS_FILE"
)

// setting pairs a context key with its environment variable, so that an
// error can name both places a value may have come from.
type setting struct {
	key string
	env string
}

// The settings, one per Config field.
var (
	settingRegion             = setting{"region", EnvRegion}
	settingAvailabilityZones  = setting{"availabilityZones", EnvAvailabilityZones}
	settingVPCCIDR            = setting{"vpcCidr", EnvVPCCIDR}
	settingPublicSubnetCIDRs  = setting{"publicSubnetCidrs", EnvPublicSubnetCIDRs}
	settingPrivateSubnetCIDRs = setting{"privateSubnetCidrs", EnvPrivateSubnetCIDRs}
	settingInstanceType       = setting{"instanceType", EnvInstanceType}
	settingAppPort            = setting{"appPort", EnvAppPort}
	settingModelID            = setting{"modelId", EnvModelID}
	settingInterfaceEndpoints = setting{"interfaceEndpoints", EnvInterfaceEndpoints}
	settingNamePrefix         = setting{"namePrefix", EnvNamePrefix}
	settingTags               = setting{"tags", EnvTags}
	settingGoProxy            = setting{"goProxy", EnvGoProxy}

	settingCertificateARN            = setting{"certificateArn", EnvCertificateARN}
	settingDomainName                = setting{"domainName", EnvDomainName}
	settingHostedZoneID              = setting{"hostedZoneId", EnvHostedZoneID}
	settingDeletionProtection        = setting{"deletionProtection", EnvDeletionProtection}
	settingLogRetentionDays          = setting{"logRetentionDays", EnvLogRetentionDays}
	settingAccessLogExpirationDays   = setting{"accessLogExpirationDays", EnvAccessLogExpirationDays}
	settingWAFRateLimit              = setting{"wafRateLimit", EnvWAFRateLimit}
	settingInternetEgress            = setting{"internetEgress", EnvInternetEgress}
	settingSessionManagerPreferences = setting{"sessionManagerPreferences", EnvSessionManagerPreferences}
	settingStrictCompliance          = setting{"strictCompliance", EnvStrictCompliance}
	settingSuppressionsFile          = setting{"suppressionsFile", EnvSuppressionsFile}
)

// settings lists every setting, for messages that enumerate them.
var settings = []setting{
	settingRegion,
	settingAvailabilityZones,
	settingVPCCIDR,
	settingPublicSubnetCIDRs,
	settingPrivateSubnetCIDRs,
	settingInstanceType,
	settingAppPort,
	settingModelID,
	settingInterfaceEndpoints,
	settingNamePrefix,
	settingTags,
	settingGoProxy,
	settingCertificateARN,
	settingDomainName,
	settingHostedZoneID,
	settingDeletionProtection,
	settingLogRetentionDays,
	settingAccessLogExpirationDays,
	settingWAFRateLimit,
	settingInternetEgress,
	settingSessionManagerPreferences,
	settingStrictCompliance,
	settingSuppressionsFile,
}

// String names the setting as a reader finds it: the context key and the
// environment variable.
func (s setting) String() string {
	return s.key + " (" + s.env + ")"
}
