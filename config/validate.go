package config

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

var (
	// regionPattern matches commercial, GovCloud and ISO region names.
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`)
	// instanceTypePattern matches a family and a size, such as t3.small.
	instanceTypePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
	// gravitonFamily matches instance families whose generation is followed
	// by a "g", the mark of AWS Graviton (arm64) processors.
	gravitonFamily = regexp.MustCompile(`^[a-z]+[0-9]+[a-z]*g[a-z]*\.`)
	// modelIDPattern matches a Bedrock foundation model ID such as
	// mistral.mistral-large-2402-v1:0.
	modelIDPattern = regexp.MustCompile(`^[a-z0-9-]+\.[A-Za-z0-9._:-]+$`)
	// endpointPattern matches the service part of an endpoint service name.
	endpointPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	// certificateARNPattern matches an ACM certificate ARN and captures its
	// region.
	certificateARNPattern = regexp.MustCompile(
		`^arn:aws[a-z-]*:acm:([a-z0-9-]+):[0-9]{12}:certificate/[A-Za-z0-9-]+$`)
	// domainNamePattern matches a lowercase DNS name with at least two labels.
	domainNamePattern = regexp.MustCompile(
		`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	// hostedZonePattern matches a Route 53 hosted zone ID.
	hostedZonePattern = regexp.MustCompile(`^Z[A-Z0-9]{1,32}$`)
	// goProxyPattern matches a GOPROXY list without spaces or quotes.
	goProxyPattern = regexp.MustCompile(`^[A-Za-z0-9._:/@%+,|-]+$`)
	// namePrefixPattern keeps every derived name within AWS's shortest limit
	// (32 characters for load balancers and target groups).
	namePrefixPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,18}[a-z0-9]$`)
)

// inferenceProfilePrefixes start the IDs of cross-region inference profiles,
// which need other IAM resources than a foundation model.
var inferenceProfilePrefixes = []string{"us.", "eu.", "apac.", "us-gov.", "global."}

// Validate checks every setting and returns all problems at once, each naming
// the setting, the value and what is allowed.
func (c Config) Validate() error {
	return problemsError(c.problems())
}

// problemsError joins problems into one error, or returns nil when there
// are none.
func problemsError(problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	return errors.New("invalid configuration:\n  " + strings.Join(problems, "\n  "))
}

// problems checks every setting and describes each problem found.
func (c Config) problems() []string {
	var problems []string
	report := func(s setting, value any, allowed string) {
		problems = append(problems, fmt.Sprintf("%s = %v: %s", s, quote(value), allowed))
	}

	// The region and its zones.
	if !regionPattern.MatchString(c.Region) {
		report(settingRegion, c.Region, "want an AWS region name such as us-east-1")
	}
	c.validateZones(report)

	// The VPC and its subnets.
	vpc, vpcOK := parseBlock(settingVPCCIDR, c.VPCCIDR, report)
	switch {
	case len(c.PublicSubnetCIDRs) < 2:
		report(settingPublicSubnetCIDRs, c.PublicSubnetCIDRs, "want at least two CIDR blocks, "+
			"one per availability zone, since a load balancer needs two subnets")
	case len(c.PublicSubnetCIDRs) != len(c.AvailabilityZones):
		report(settingPublicSubnetCIDRs, c.PublicSubnetCIDRs, fmt.Sprintf(
			"want one CIDR block per availability zone (%d)", len(c.AvailabilityZones)))
	}
	if len(c.PrivateSubnetCIDRs) == 0 || len(c.PrivateSubnetCIDRs) > len(c.AvailabilityZones) {
		report(settingPrivateSubnetCIDRs, c.PrivateSubnetCIDRs, fmt.Sprintf(
			"want from 1 to %d CIDR blocks, one per availability zone at most",
			len(c.AvailabilityZones)))
	}
	var subnets []namedBlock
	for _, group := range []struct {
		setting setting
		cidrs   []string
	}{
		{settingPublicSubnetCIDRs, c.PublicSubnetCIDRs},
		{settingPrivateSubnetCIDRs, c.PrivateSubnetCIDRs},
	} {
		for _, cidr := range group.cidrs {
			block, ok := parseBlock(group.setting, cidr, report)
			if !ok {
				continue
			}
			if vpcOK && !contains(vpc, block) {
				report(group.setting, cidr, fmt.Sprintf(
					"subnet lies outside the VPC; want a block inside %s", vpc))
				continue
			}
			subnets = append(subnets, namedBlock{group.setting, block})
		}
	}
	reportOverlaps(subnets, report)

	// The instance and the service it runs.
	if !instanceTypePattern.MatchString(c.InstanceType) {
		report(settingInstanceType, c.InstanceType,
			"want an EC2 instance type such as t3.small")
	}
	if c.AppPort < 1 || c.AppPort > 65535 {
		report(settingAppPort, c.AppPort, "want a TCP port from 1024 to 65535")
	} else if c.AppPort < 1024 {
		report(settingAppPort, c.AppPort, "want a TCP port from 1024 to 65535; "+
			"lower ports need a capability that the service's unit does not grant")
	}
	if c.GoProxy != "" && !goProxyPattern.MatchString(c.GoProxy) {
		report(settingGoProxy, c.GoProxy,
			"want a GOPROXY list: URLs, direct or off, separated by commas or pipes")
	}
	c.validateModelID(report)
	c.validateEndpoints(report)

	// Transport, logs and the web ACL.
	c.validateCertificate(report)
	if !slices.Contains(logRetentionValues, c.LogRetentionDays) {
		report(settingLogRetentionDays, c.LogRetentionDays, fmt.Sprintf(
			"want one of the retention periods CloudWatch allows: %v", logRetentionValues))
	}
	if c.AccessLogExpirationDays < 1 || c.AccessLogExpirationDays > 36500 {
		report(settingAccessLogExpirationDays, c.AccessLogExpirationDays,
			"want a number of days from 1 to 36500")
	}
	if c.WAFRateLimit < 100 || c.WAFRateLimit > 2_000_000_000 {
		report(settingWAFRateLimit, c.WAFRateLimit,
			"want requests per five minutes from 100 to 2000000000")
	}

	if strings.TrimSpace(c.SuppressionsFile) == "" {
		report(settingSuppressionsFile, c.SuppressionsFile,
			"want the path of the rule pack's suppressions file")
	}

	// Names and tags.
	if !namePrefixPattern.MatchString(c.NamePrefix) {
		report(settingNamePrefix, c.NamePrefix,
			"want 2 to 20 lowercase letters, digits or hyphens, starting with a letter "+
				"and not ending with a hyphen")
	}
	validateTags(c.Tags, report)
	return problems
}

// logRetentionValues are the retention periods, in days, that CloudWatch
// Logs accepts.
var logRetentionValues = []int{
	1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
	2192, 2557, 2922, 3288, 3653,
}

// validateCertificate checks the two ways to give the load balancer a
// certificate: an existing ACM certificate in the region, or a domain and
// its hosted zone for a new one. At most one of them may be used.
func (c Config) validateCertificate(report reporter) {
	if c.CertificateARN != "" {
		match := certificateARNPattern.FindStringSubmatch(c.CertificateARN)
		switch {
		case match == nil:
			report(settingCertificateARN, c.CertificateARN,
				"want an ACM certificate ARN such as "+
					"arn:aws:acm:us-east-1:123456789012:certificate/<id>")
		case match[1] != c.Region:
			report(settingCertificateARN, c.CertificateARN, fmt.Sprintf(
				"the certificate is in %s; a load balancer needs one in its own region, %s",
				match[1], c.Region))
		}
		if c.DomainName != "" || c.HostedZoneID != "" {
			report(settingCertificateARN, c.CertificateARN,
				"give either a certificate ARN or a domain name with its hosted zone, not both")
		}
	}
	if c.DomainName != "" && !domainNamePattern.MatchString(c.DomainName) {
		report(settingDomainName, c.DomainName,
			"want a lowercase DNS name such as chat.example.org")
	}
	if c.HostedZoneID != "" && !hostedZonePattern.MatchString(c.HostedZoneID) {
		report(settingHostedZoneID, c.HostedZoneID,
			"want a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ")
	}
	if (c.DomainName == "") != (c.HostedZoneID == "") {
		report(settingHostedZoneID, c.HostedZoneID,
			"a domain name and its hosted zone ID go together; give both or neither")
	}
}

// reporter records one problem with a setting.
type reporter func(s setting, value any, allowed string)

// validateZones checks that there are at least two distinct zones, all in
// the region.
func (c Config) validateZones(report reporter) {
	if len(c.AvailabilityZones) < 2 {
		report(settingAvailabilityZones, c.AvailabilityZones,
			"want at least two availability zones, since a load balancer needs two")
	}
	seen := map[string]bool{}
	for _, zone := range c.AvailabilityZones {
		if seen[zone] {
			report(settingAvailabilityZones, zone,
				"zone listed twice; want each public subnet in a different zone")
		}
		seen[zone] = true

		suffix, inRegion := strings.CutPrefix(zone, c.Region)
		if !inRegion || len(suffix) != 1 || suffix[0] < 'a' || suffix[0] > 'z' {
			report(settingAvailabilityZones, zone, fmt.Sprintf(
				"zone is not in region %s; want the region name and a letter, such as %sa",
				c.Region, c.Region))
		}
	}
}

// validateModelID accepts foundation model IDs and explains why an inference
// profile is refused.
func (c Config) validateModelID(report reporter) {
	if strings.TrimSpace(c.ModelID) == "" {
		report(settingModelID, c.ModelID,
			"want a Bedrock foundation model ID such as mistral.mistral-large-2402-v1:0")
		return
	}
	for _, prefix := range inferenceProfilePrefixes {
		if strings.HasPrefix(c.ModelID, prefix) {
			report(settingModelID, c.ModelID,
				"cross-region inference profiles are not supported; "+
					"want a foundation model ID without the geography prefix")
			return
		}
	}
	if !modelIDPattern.MatchString(c.ModelID) {
		report(settingModelID, c.ModelID,
			"want a Bedrock foundation model ID such as mistral.mistral-large-2402-v1:0")
	}
}

// validateEndpoints checks the interface endpoint service names.
func (c Config) validateEndpoints(report reporter) {
	seen := map[string]bool{}
	for _, service := range c.InterfaceEndpoints {
		switch {
		case !endpointPattern.MatchString(service):
			report(settingInterfaceEndpoints, service,
				"want a service name such as ssm or bedrock-runtime")
		case service == "s3":
			report(settingInterfaceEndpoints, service,
				"S3 is always reached through the Gateway endpoint; remove it from the list")
		case seen[service]:
			report(settingInterfaceEndpoints, service, "service listed twice")
		}
		seen[service] = true
	}
}

// validateTags applies AWS's limits on tag keys and values.
func validateTags(tags map[string]string, report reporter) {
	for _, key := range slices.Sorted(maps.Keys(tags)) {
		value := tags[key]
		switch {
		case key == "" || len(key) > 128:
			report(settingTags, key, "want a tag key of 1 to 128 characters")
		case strings.HasPrefix(strings.ToLower(key), "aws:"):
			report(settingTags, key, "the aws: prefix is reserved by AWS")
		case len(value) > 256:
			report(settingTags, key, "want a tag value of at most 256 characters")
		}
	}
}

// namedBlock is a parsed subnet block and the setting it came from.
type namedBlock struct {
	setting setting
	block   netip.Prefix
}

// parseBlock parses an IPv4 network block with a prefix length that AWS
// accepts for VPCs and subnets.
func parseBlock(s setting, cidr string, report reporter) (netip.Prefix, bool) {
	block, err := netip.ParsePrefix(cidr)
	if err != nil || !block.Addr().Is4() {
		report(s, cidr, "not an IPv4 CIDR block; want a block such as 10.0.1.0/24")
		return netip.Prefix{}, false
	}
	if block.Masked() != block {
		report(s, cidr, fmt.Sprintf("host bits are set; did you mean %s?", block.Masked()))
		return netip.Prefix{}, false
	}
	if block.Bits() < 16 || block.Bits() > 28 {
		report(s, cidr, "want a prefix length from /16 to /28, as AWS allows")
		return netip.Prefix{}, false
	}
	return block, true
}

// contains reports whether inner lies wholly inside outer.
func contains(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// reportOverlaps reports each pair of subnets that share addresses.
func reportOverlaps(subnets []namedBlock, report reporter) {
	for i, first := range subnets {
		for _, second := range subnets[i+1:] {
			if first.block.Overlaps(second.block) {
				report(second.setting, second.block.String(), fmt.Sprintf(
					"overlaps %s from %s; want subnets that share no addresses",
					first.block, first.setting.key))
			}
		}
	}
}

// quote renders a value for a message: strings quoted, lists bracketed.
func quote(value any) string {
	switch v := value.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case []string:
		return fmt.Sprintf("%q", v)
	default:
		return fmt.Sprint(v)
	}
}
