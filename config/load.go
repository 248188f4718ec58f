package config

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
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
// before (tags add to those below instead): the embedded defaults, the
// context object under ContextKey (nil when cdktf.json has none) and the
// CHAT_STACK_* environment variables read through getenv. It returns every
// problem found at once, each naming the setting, the value and what is
// allowed; a value that does not parse leaves the one below it in place.
func Load(context any, getenv func(string) string) (Config, error) {
	var cfg Config

	// Start from the embedded defaults.
	defaults, err := decodeLayer(defaultsJSON)
	if err != nil {
		return Config{}, fmt.Errorf("read embedded defaults: %w", err)
	}
	cfg.apply(defaults)

	// Apply the cdktf.json context, when there is one.
	var problems []string
	if context != nil {
		fromContext, contextProblems := contextLayer(context)
		problems = append(problems, contextProblems...)
		cfg.apply(fromContext)
	}

	// Apply the environment last, so one deployment can differ from the file.
	fromEnv, envProblems := environmentLayer(getenv)
	problems = append(problems, envProblems...)
	cfg.apply(fromEnv)

	// Check the values, reporting them with those that did not parse.
	if err := problemsError(append(problems, cfg.problems()...)); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// contextLayer decodes the context value, which jsii hands over as generic
// maps and slices, setting by setting, so that one bad value hides no other.
// It returns the settings that decode and a problem for each that does not.
func contextLayer(context any) (layer, []string) {
	where := fmt.Sprintf("context %q in cdktf.json", ContextKey)
	encoded, err := json.Marshal(context)
	if err != nil {
		return layer{}, []string{fmt.Sprintf("%s: %v", where, err)}
	}
	var values map[string]json.RawMessage
	if err := json.Unmarshal(encoded, &values); err != nil {
		return layer{}, []string{fmt.Sprintf("%s = %s: want an object of settings", where, encoded)}
	}

	// Keep each known setting whose value has the right type.
	var problems []string
	valid := map[string]json.RawMessage{}
	for _, key := range slices.Sorted(maps.Keys(values)) {
		s, known := settingByKey(key)
		if !known {
			problems = append(problems, fmt.Sprintf("%s has an unknown setting %q; known settings: %s",
				where, key, strings.Join(settingKeys(), ", ")))
			continue
		}
		one, err := json.Marshal(map[string]json.RawMessage{key: values[key]})
		if err == nil {
			_, err = decodeLayer(one)
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s = %s in cdktf.json: want %s",
				s, values[key], jsonKind(key)))
			continue
		}
		valid[key] = values[key]
	}

	// Decode the settings that passed in one go.
	encoded, err = json.Marshal(valid)
	if err != nil {
		return layer{}, append(problems, fmt.Sprintf("%s: %v", where, err))
	}
	decoded, err := decodeLayer(encoded)
	if err != nil {
		return layer{}, append(problems, fmt.Sprintf("%s: %v", where, err))
	}
	return decoded, problems
}

// jsonKind names the kind of JSON value that the setting with key takes,
// from the type of its field in layer.
func jsonKind(key string) string {
	fields := reflect.TypeFor[layer]()
	for i := range fields.NumField() {
		field := fields.Field(i)
		if name, _, _ := strings.Cut(field.Tag.Get("json"), ","); name != key {
			continue
		}
		kind := field.Type.Kind()
		if kind == reflect.Pointer {
			kind = field.Type.Elem().Kind()
		}
		switch kind {
		case reflect.Int:
			return "a whole number"
		case reflect.Bool:
			return "true or false"
		case reflect.String:
			return "a string"
		case reflect.Slice:
			return "a list of strings"
		case reflect.Map:
			return "an object of string values"
		}
		return "a value of type " + field.Type.String()
	}
	return "no value: it is not a setting"
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
// empty. It returns the settings that parse and a problem for each that
// does not.
func environmentLayer(getenv func(string) string) (layer, []string) {
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
	report := func(s setting, value, allowed string) {
		problems = append(problems, fmt.Sprintf("%s = %q: %s", s, value, allowed))
	}
	setInt := func(s setting, target **int) {
		if value := strings.TrimSpace(getenv(s.env)); value != "" {
			number, err := strconv.Atoi(value)
			if err != nil {
				report(s, value, "not a whole number; want one such as "+defaultOf(s))
				return
			}
			*target = &number
		}
	}
	setInt(settingAppPort, &env.AppPort)
	setInt(settingLogRetentionDays, &env.LogRetentionDays)
	setInt(settingAccessLogExpirationDays, &env.AccessLogExpirationDays)
	setInt(settingWAFRateLimit, &env.WAFRateLimit)

	// Switches are true or false.
	setBool := func(s setting, target **bool) {
		if value := strings.TrimSpace(getenv(s.env)); value != "" {
			on, err := strconv.ParseBool(value)
			if err != nil {
				report(s, value, "want true or false")
				return
			}
			*target = &on
		}
	}
	setBool(settingDeletionProtection, &env.DeletionProtection)
	setBool(settingInternetEgress, &env.InternetEgress)
	setBool(settingSessionManagerPreferences, &env.SessionManagerPreferences)
	setBool(settingStrictCompliance, &env.StrictCompliance)

	// Tags are comma-separated key=value pairs.
	if value := strings.TrimSpace(getenv(EnvTags)); value != "" {
		tags, err := parseTags(value)
		if err != nil {
			report(settingTags, value, err.Error())
		} else {
			env.Tags = tags
		}
	}
	return env, problems
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

// settingByKey finds the setting with a context key.
func settingByKey(key string) (setting, bool) {
	for _, s := range settings {
		if s.key == key {
			return s, true
		}
	}
	return setting{}, false
}

// defaultOf renders a setting's embedded default, for a message's example.
func defaultOf(s setting) string {
	var defaults map[string]json.RawMessage
	if err := json.Unmarshal(defaultsJSON, &defaults); err != nil {
		return "the default"
	}
	return string(defaults[s.key])
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
