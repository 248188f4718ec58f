//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	route53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/config"
)

// hostedZoneName is the public hosted zone the domain scenario creates in
// the emulator; certificateDomain lies in it.
const hostedZoneName = "example.test"

// acmValidationWait is how many seconds moto's ACM keeps a requested
// certificate pending before it issues it, in place of its default 60.
const acmValidationWait = "1"

// zoneAttempts bounds the hosted zones created until one has an ID that
// the stack accepts.
const zoneAttempts = 500

// createHostedZone creates a public hosted zone for hostedZoneName in the
// emulator's Route 53 and returns the settings that ask the stack for a
// certificate for certificateDomain in it.
// NOTE: moto's zone IDs are 22 random letters and digits, while Route 53's
// start with Z, as the stack's validation requires; zones with other IDs
// are deleted and created again, one in 36 being accepted.
func createHostedZone(t *testing.T, ctx context.Context, awsConfig aws.Config) map[string]string {
	t.Helper()
	client := route53.NewFromConfig(awsConfig)
	for attempt := range zoneAttempts {
		// A zone whose ID the stack accepts is the one to use.
		created, err := client.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
			Name:            aws.String(hostedZoneName),
			CallerReference: aws.String(fmt.Sprintf("e2e-%d-%d", time.Now().UnixNano(), attempt)),
		})
		require.NoError(t, err, "create hosted zone %s", hostedZoneName)
		id := strings.TrimPrefix(aws.ToString(created.HostedZone.Id), "/hostedzone/")
		if strings.HasPrefix(id, "Z") {
			t.Logf("created hosted zone %s: %s", hostedZoneName, id)
			return map[string]string{
				config.EnvDomainName:   certificateDomain,
				config.EnvHostedZoneID: id,
			}
		}

		// Any other goes again.
		_, err = client.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: aws.String(id)})
		require.NoError(t, err, "delete hosted zone %s", id)
	}
	require.FailNow(t, "no hosted zone ID of the emulator starts with Z", "after %d zones",
		zoneAttempts)
	return nil
}

// checkDomain checks that the HTTPS listener serves a certificate that ACM
// issued for the domain after DNS validation, that the zone holds the
// validation record ACM asked for, and that the domain is an alias of the
// load balancer.
func checkDomain(t *testing.T, d *deployment) {
	listeners := d.listeners(t)
	balancer := d.loadBalancer(t)

	// The listener's one certificate was issued for the domain.
	secure, ok := listeners[443]
	require.True(t, ok, "no listener on 443")
	require.Len(t, secure.Certificates, 1, "certificates of the HTTPS listener")
	arn := aws.ToString(secure.Certificates[0].CertificateArn)
	described, err := d.acm.DescribeCertificate(d.ctx, &acm.DescribeCertificateInput{
		CertificateArn: aws.String(arn),
	})
	require.NoError(t, err, "describe certificate %s", arn)
	certificate := described.Certificate
	assert.Equal(t, d.cfg.DomainName, aws.ToString(certificate.DomainName))
	assert.Equal(t, acmtypes.CertificateTypeAmazonIssued, certificate.Type)
	assert.Equal(t, acmtypes.CertificateStatusIssued, certificate.Status)

	// ACM validated it through DNS, with a record the zone holds.
	require.Len(t, certificate.DomainValidationOptions, 1, "validation options of %s", arn)
	option := certificate.DomainValidationOptions[0]
	assert.Equal(t, acmtypes.ValidationMethodDns, option.ValidationMethod)
	require.NotNil(t, option.ResourceRecord, "no validation record for %s", arn)
	records := d.records(t)
	validation, ok := records[recordKey(aws.ToString(option.ResourceRecord.Name), "CNAME")]
	require.True(t, ok, "no validation record %s in the zone",
		aws.ToString(option.ResourceRecord.Name))
	require.Len(t, validation.ResourceRecords, 1, "values of the validation record")
	assert.Equal(t, aws.ToString(option.ResourceRecord.Value),
		aws.ToString(validation.ResourceRecords[0].Value))

	// The domain is an alias of the load balancer.
	alias, ok := records[recordKey(d.cfg.DomainName, "A")]
	require.True(t, ok, "no A record for %s in the zone", d.cfg.DomainName)
	require.NotNil(t, alias.AliasTarget, "the A record of %s is no alias", d.cfg.DomainName)
	assert.Equal(t, strings.ToLower(aws.ToString(balancer.DNSName)),
		strings.TrimSuffix(strings.ToLower(aws.ToString(alias.AliasTarget.DNSName)), "."))
	assert.Equal(t, aws.ToString(balancer.CanonicalHostedZoneId),
		aws.ToString(alias.AliasTarget.HostedZoneId))
	assert.True(t, alias.AliasTarget.EvaluateTargetHealth, "alias of %s", d.cfg.DomainName)
}

// records returns the record sets of the configured hosted zone by
// recordKey.
func (d *deployment) records(t *testing.T) map[string]route53types.ResourceRecordSet {
	t.Helper()
	byKey := map[string]route53types.ResourceRecordSet{}
	pages := route53.NewListResourceRecordSetsPaginator(d.route53,
		&route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(d.cfg.HostedZoneID)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(d.ctx)
		require.NoError(t, err, "list the records of hosted zone %s", d.cfg.HostedZoneID)
		for _, set := range page.ResourceRecordSets {
			byKey[recordKey(aws.ToString(set.Name), string(set.Type))] = set
		}
	}
	return byKey
}

// recordKey names a record set by its fully qualified name, with the
// final dot, and its type.
func recordKey(name, recordType string) string {
	return strings.TrimSuffix(strings.ToLower(name), ".") + ". " + recordType
}

// domainLeftovers lists the certificates for the configured domain and
// the records of its hosted zone, but for the zone's own NS and SOA, that
// outlived the destroy; nothing when the scenario has no domain.
func (d *deployment) domainLeftovers(t *testing.T) []string {
	t.Helper()
	if d.cfg.DomainName == "" {
		return nil
	}
	var left []string

	// Certificates for the domain, whatever their status.
	pages := acm.NewListCertificatesPaginator(d.acm, &acm.ListCertificatesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(d.ctx)
		require.NoError(t, err, "list certificates")
		for _, summary := range page.CertificateSummaryList {
			if aws.ToString(summary.DomainName) == d.cfg.DomainName {
				left = append(left, "acm certificate "+aws.ToString(summary.CertificateArn))
			}
		}
	}

	// Records that the zone did not start with.
	for key, set := range d.records(t) {
		if set.Type != route53types.RRTypeNs && set.Type != route53types.RRTypeSoa {
			left = append(left, "route53 record "+key)
		}
	}
	return left
}
