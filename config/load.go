package config

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"
)

// ContextKey is the key under "context" in cdktf.json whose object overrides
// the defaults, for example {"bedrockChat": {"region": "eu-west-1"}}.
const ContextKey = "bedrockChat"

//go:embed defaults.json
var defaultsJSON []byte

// layer is one source of settings. A nil field leaves the value below it in
// place, so each source only names what it changes.
type layer struct {
	Region             *string           `json:"region"`
	AvailabilityZones  []string          `json:"availabilityZones"`
	VPCCIDR            *string           `json:"vpcCidr"`
	PublicSubnetCIDRs  []string          `json:"publicSubnetCidrs"`
	PrivateSubnetCIDRs []string          `json:"privateSubnetCidrs"`
	InstanceType       *string           `json:"instanceType"`
	AppPort            *int              `json:"appPort"`
	ModelID            *string           `json:"modelId"`
	InterfaceEndpoints []string          `json:"interfaceEndpoints"`
	NamePrefix         *string           `json:"namePrefix"`
	Tags               map[string]string `json:"tags"`
	GoProxy            *string           `json:"goProxy"`

	CertificateARN            *string `json:"certificateArn"`
	DomainName                *string `json:"domainName"`
	HostedZoneID              *string `json:"hostedZoneId"`
	DeletionProtection        *bool   `json:"deletionProtection"`
	LogRetentionDays          *int    `json:"logRetentionDays"`
	AccessLogExpirationDays   *int    `json:"accessLogExpirationDays"`
	WAFRateLimit              *int    `json:"wafRateLimit"`
	InternetEgress            *bool   `json:"internetEgress"`
	SessionManagerPreferences *bool   `json:"sessionManagerPreferences"`
	StrictCompliance          *bool   `json:"strictCompliance"`
	SuppressionsFile          *string `json:"suppressionsFile"`
}

// Load builds the configuration from three layers, each overriding the one
// before (tags add to those below instead): the embedded defaults, the context object under ContextKey (nil
// when cdktf.json has none) and the CHAT_STACK_* environment variables read
// through getenv. It returns every problem found, each naming the setting,
// the value and what is allowed.
func Load(context any, getenv func(string) string) (Config, error) {
	var cfg Config

	// Start from the embedded defaults.
	defaults, err := decodeLayer(defaultsJSON)
	if err != nil {
		return Config{}, fmt.Errorf("read embedded defaults: %w", err)
	}
	cfg.apply(defaults)

	// Apply the cdktf.json context, when there is one.
	if context != nil {
		fromContext, err := contextLayer(context)
		if err != nil {
			return Config{}, err
		}
		cfg.apply(fromContext)
	}

	// Apply the environment last, so one deployment can differ from the file.
	fromEnv, err := environmentLayer(getenv)
	if err != nil {
		return Config{}, err
	}
	cfg.apply(fromEnv)

	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// contextLayer decodes the context value, which jsii hands over as generic
// maps and slices, by way of its JSON form.
func contextLayer(context any) (layer, error) {
	encoded, err := json.Marshal(context)
	if err != nil {
		return layer{}, fmt.Errorf("read context %q from cdktf.json: %w", ContextKey, err)
	}
	decoded, err := decodeLayer(encoded)
	if err != nil {
		return layer{}, fmt.Errorf("read context %q from cdktf.json: %w", ContextKey, err)
	}
	return decoded, nil
}

// decodeLayer decodes one JSON object of settings, rejecting unknown keys so
// that a misspelt setting is an error rather than silently ignored.
func decodeLayer(data []byte) (layer, error) {
	var decoded layer
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&decoded); err != nil {
		return layer{}, fmt.Errorf("decode settings: %w (known keys: %s)",
			err, strings.Join(settingKeys(), ", "))
	}
	return decoded, nil
}

// environmentLayer reads the CHAT_STACK_* variables that are set and not
// empty.
func environmentLayer(getenv func(string) string) (layer, error) {
	var env layer
	var problems []string

	// Strings are taken as they are; lists are split on commas.
	setString := func(name string, target **string) {
		if value := strings.TrimSpace(getenv(name)); value != "" {
			*target = &value
		}
	}
	setList := func(name string, target *[]string) {
		if value := strings.TrimSpace(getenv(name)); value != "" {
			*target = splitList(value)
		}
	}
	setString(EnvRegion, &env.Region)
	setList(EnvAvailabilityZones, &env.AvailabilityZones)
	setString(EnvVPCCIDR, &env.VPCCIDR)
	setList(EnvPublicSubnetCIDRs, &env.PublicSubnetCIDRs)
	setList(EnvPrivateSubnetCIDRs, &env.PrivateSubnetCIDRs)
	setString(EnvInstanceType, &env.InstanceType)
	setString(EnvModelID, &env.ModelID)
	setList(EnvInterfaceEndpoints, &env.InterfaceEndpoints)
	setString(EnvNamePrefix, &env.NamePrefix)
	setString(EnvGoProxy, &env.GoProxy)
	setString(EnvCertificateARN, &env.CertificateARN)
	setString(EnvDomainName, &env.DomainName)
	setString(EnvHostedZoneID, &env.HostedZoneID)
	setString(EnvSuppressionsFile, &env.SuppressionsFile)

	// Numbers must be whole numbers.
	setInt := func(name string, target **int) {
		if value := strings.TrimSpace(getenv(name)); value != "" {
			number, err := strconv.Atoi(value)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s=%q: not a whole number", name, value))
				return
			}
			*target = &number
		}
	}
	setInt(EnvAppPort, &env.AppPort)
	setInt(EnvLogRetentionDays, &env.LogRetentionDays)
	setInt(EnvAccessLogExpirationDays, &env.AccessLogExpirationDays)
	setInt(EnvWAFRateLimit, &env.WAFRateLimit)

	// Switches are true or false.
	setBool := func(name string, target **bool) {
		if value := strings.TrimSpace(getenv(name)); value != "" {
			on, err := strconv.ParseBool(value)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s=%q: want true or false", name, value))
				return
			}
			*target = &on
		}
	}
	setBool(EnvDeletionProtection, &env.DeletionProtection)
	setBool(EnvInternetEgress, &env.InternetEgress)
	setBool(EnvSessionManagerPreferences, &env.SessionManagerPreferences)
	setBool(EnvStrictCompliance, &env.StrictCompliance)

	// Tags are comma-separated key=value pairs.
	if value := strings.TrimSpace(getenv(EnvTags)); value != "" {
		tags, err := parseTags(value)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s=%q: %v", EnvTags, value, err))
		} else {
			env.Tags = tags
		}
	}

	if len(problems) > 0 {
		return layer{}, fmt.Errorf("invalid environment:\n  %s", strings.Join(problems, "\n  "))
	}
	return env, nil
}

// apply copies every field that the layer sets onto the configuration.
func (c *Config) apply(l layer) {
	if l.Region != nil {
		c.Region = *l.Region
	}
	if l.AvailabilityZones != nil {
		c.AvailabilityZones = l.AvailabilityZones
	}
	if l.VPCCIDR != nil {
		c.VPCCIDR = *l.VPCCIDR
	}
	if l.PublicSubnetCIDRs != nil {
		c.PublicSubnetCIDRs = l.PublicSubnetCIDRs
	}
	if l.PrivateSubnetCIDRs != nil {
		c.PrivateSubnetCIDRs = l.PrivateSubnetCIDRs
	}
	if l.InstanceType != nil {
		c.InstanceType = *l.InstanceType
	}
	if l.AppPort != nil {
		c.AppPort = *l.AppPort
	}
	if l.ModelID != nil {
		c.ModelID = *l.ModelID
	}
	if l.InterfaceEndpoints != nil {
		c.InterfaceEndpoints = l.InterfaceEndpoints
	}
	if l.NamePrefix != nil {
		c.NamePrefix = *l.NamePrefix
	}
	// Tags add to those of the layers below; a key given again takes the
	// new value.
	if l.Tags != nil {
		merged := maps.Clone(c.Tags)
		if merged == nil {
			merged = map[string]string{}
		}
		maps.Copy(merged, l.Tags)
		c.Tags = merged
	}
	if l.GoProxy != nil {
		c.GoProxy = *l.GoProxy
	}
	if l.CertificateARN != nil {
		c.CertificateARN = *l.CertificateARN
	}
	if l.DomainName != nil {
		c.DomainName = *l.DomainName
	}
	if l.HostedZoneID != nil {
		c.HostedZoneID = *l.HostedZoneID
	}
	if l.DeletionProtection != nil {
		c.DeletionProtection = *l.DeletionProtection
	}
	if l.LogRetentionDays != nil {
		c.LogRetentionDays = *l.LogRetentionDays
	}
	if l.AccessLogExpirationDays != nil {
		c.AccessLogExpirationDays = *l.AccessLogExpirationDays
	}
	if l.WAFRateLimit != nil {
		c.WAFRateLimit = *l.WAFRateLimit
	}
	if l.InternetEgress != nil {
		c.InternetEgress = *l.InternetEgress
	}
	if l.SessionManagerPreferences != nil {
		c.SessionManagerPreferences = *l.SessionManagerPreferences
	}
	if l.StrictCompliance != nil {
		c.StrictCompliance = *l.StrictCompliance
	}
	if l.SuppressionsFile != nil {
		c.SuppressionsFile = *l.SuppressionsFile
	}
}

// splitList splits a comma-separated value and trims each item.
func splitList(value string) []string {
	items := strings.Split(value, ",")
	for i, item := range items {
		items[i] = strings.TrimSpace(item)
	}
	return items
}

// parseTags reads "Key=Value,Other=Value" into a map.
func parseTags(value string) (map[string]string, error) {
	tags := map[string]string{}
	for _, pair := range splitList(value) {
		key, tagValue, found := strings.Cut(pair, "=")
		if !found {
			return nil, fmt.Errorf("%q is not key=value; want Key=Value pairs separated by commas",
				pair)
		}
		tags[strings.TrimSpace(key)] = strings.TrimSpace(tagValue)
	}
	return tags, nil
}

// settingKeys lists the context keys that a layer accepts, sorted.
func settingKeys() []string {
	keys := make([]string, 0, len(settings))
	for _, s := range settings {
		keys = append(keys, s.key)
	}
	sort.Strings(keys)
	return keys
}
