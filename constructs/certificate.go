package constructs

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificate"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificatevalidation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// The construct IDs of the certificate resources.
const (
	certificateID           = "certificate"
	validationRecordID      = "certificate-validation-record"
	certificateValidationID = "certificate-validation"
	aliasRecordID           = "alias-record"
)

// certificate returns the ARN of the HTTPS listener's certificate and the
// host name clients use. An existing certificate is used as it is, with the
// load balancer's own name; for a domain, the stack requests a certificate,
// validates it through DNS in the hosted zone and points the domain at the
// load balancer.
func (in *IngressConstruct) certificate(props IngressProps, balancer lb.Lb) (arn, host *string) {
	if props.CertificateARN != "" {
		return jsii.String(props.CertificateARN), balancer.DnsName()
	}

	// ACM proves control of the domain through one DNS record.
	requested := acmcertificate.NewAcmCertificate(in.Construct, jsii.String(certificateID),
		&acmcertificate.AcmCertificateConfig{
			DomainName:       jsii.String(props.DomainName),
			ValidationMethod: jsii.String("DNS"),
			Lifecycle:        &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)},
			Tags:             nameTags(props.NamePrefix, "certificate"),
		})
	option := requested.DomainValidationOptions().Get(jsii.Number(0))
	record := route53record.NewRoute53Record(in.Construct, jsii.String(validationRecordID),
		&route53record.Route53RecordConfig{
			ZoneId:         jsii.String(props.HostedZoneID),
			Name:           option.ResourceRecordName(),
			Type:           option.ResourceRecordType(),
			Records:        &[]*string{option.ResourceRecordValue()},
			Ttl:            jsii.Number(60),
			AllowOverwrite: jsii.Bool(true),
		})
	validation := acmcertificatevalidation.NewAcmCertificateValidation(in.Construct,
		jsii.String(certificateValidationID),
		&acmcertificatevalidation.AcmCertificateValidationConfig{
			CertificateArn:        requested.Arn(),
			ValidationRecordFqdns: &[]*string{record.Fqdn()},
		})

	// The domain points at the load balancer.
	route53record.NewRoute53Record(in.Construct, jsii.String(aliasRecordID),
		&route53record.Route53RecordConfig{
			ZoneId: jsii.String(props.HostedZoneID),
			Name:   jsii.String(props.DomainName),
			Type:   jsii.String("A"),
			Alias: &route53record.Route53RecordAlias{
				Name:                 balancer.DnsName(),
				ZoneId:               balancer.ZoneId(),
				EvaluateTargetHealth: jsii.Bool(true),
			},
		})
	return validation.CertificateArn(), jsii.String(props.DomainName)
}
