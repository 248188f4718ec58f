package chatstack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIngressLoadBalancer(t *testing.T) {
	for _, scenario := range []string{"default", "three-zones"} {
		t.Run(scenario, func(t *testing.T) {
			doc := parse(t, scenario)
			balancer := doc.resource(t, "aws_lb", "ingress/load-balancer")
			group := doc.resource(t, "aws_security_group", "ingress/load-balancer-security-group")
			public := withPrefix(doc.resources("aws_subnet"), "aws_subnet.network_public-subnet-")

			// Internet-facing, application type, in every public subnet.
			assert.Equal(t, false, balancer.attrs["internal"])
			assert.Equal(t, "application", balancer.attrs["load_balancer_type"])
			assert.Equal(t, refs(public, "id"), balancer.list(t, "subnets"))
			assert.Equal(t, []string{group.ref("id")}, balancer.list(t, "security_groups"))
			assert.Equal(t, true, balancer.attrs["drop_invalid_header_fields"])
		})
	}
}

func TestIngressLogsProtectionAndWAF(t *testing.T) {
	tests := []struct {
		scenario   string
		protection bool
	}{
		{"default", true},
		{"locked-down", false},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			doc := parse(t, tt.scenario)
			balancer := doc.resource(t, "aws_lb", "ingress/load-balancer")
			bucket := doc.resource(t, "aws_s3_bucket", "ingress/access-logs/bucket")
			bucketPolicy := doc.resource(t, "aws_s3_bucket_policy", "ingress/access-logs/bucket-policy")
			association := doc.resource(t, "aws_wafv2_web_acl_association",
				"ingress/web-acl/association")
			acl := doc.resource(t, "aws_wafv2_web_acl", "ingress/web-acl/acl")

			// Access logs go to the bucket, once its policy admits them.
			assert.JSONEq(t, `{"bucket":"`+bucket.ref("id")+`","enabled":true}`,
				toJSON(t, balancer.attrs["access_logs"]))
			assert.Contains(t, balancer.list(t, "depends_on"), bucketPolicy.address)

			// Deletion protection, and a bucket that destroy cannot empty
			// while it is on.
			assert.Equal(t, tt.protection, balancer.attrs["enable_deletion_protection"])
			assert.Equal(t, !tt.protection, bucket.attrs["force_destroy"])

			// The web ACL guards the load balancer.
			assert.Equal(t, balancer.ref("arn"), association.attrs["resource_arn"])
			assert.Equal(t, acl.ref("arn"), association.attrs["web_acl_arn"])
		})
	}
}

func TestIngressHTTPSWithACertificate(t *testing.T) {
	for _, scenario := range []string{"certificate", "domain", "locked-down"} {
		t.Run(scenario, func(t *testing.T) {
			doc := parse(t, scenario)
			balancer := doc.resource(t, "aws_lb", "ingress/load-balancer")
			targets := doc.resource(t, "aws_lb_target_group", "ingress/target-group")
			https := doc.resource(t, "aws_lb_listener", "ingress/https-listener")
			http := doc.resource(t, "aws_lb_listener", "ingress/http-listener")
			group := doc.resource(t, "aws_security_group", "ingress/load-balancer-security-group")

			// HTTPS on 443 with the TLS 1.3 policy forwards to the targets.
			assert.Equal(t, balancer.ref("arn"), https.attrs["load_balancer_arn"])
			assert.Equal(t, 443.0, https.attrs["port"])
			assert.Equal(t, "HTTPS", https.attrs["protocol"])
			assert.Equal(t, "ELBSecurityPolicy-TLS13-1-2-2021-06", https.attrs["ssl_policy"])
			assert.NotEmpty(t, https.str(t, "certificate_arn"))
			assert.JSONEq(t, `[{"type":"forward","target_group_arn":"`+targets.ref("arn")+`"}]`,
				toJSON(t, https.attrs["default_action"]))

			// HTTP on 80 answers with a permanent redirect to HTTPS.
			assert.Equal(t, 80.0, http.attrs["port"])
			assert.JSONEq(t, `[{"type":"redirect",
				"redirect":{"port":"443","protocol":"HTTPS","status_code":"HTTP_301"}}]`,
				toJSON(t, http.attrs["default_action"]))
			assert.Len(t, doc.resources("aws_lb_listener"), 2)

			// The load balancer's group admits 80 and 443 and nothing else.
			var ports []float64
			for _, rule := range rulesOf(doc, "aws_vpc_security_group_ingress_rule", group) {
				assert.Equal(t, "0.0.0.0/0", rule.attrs["cidr_ipv4"])
				ports = append(ports, rule.attrs["from_port"].(float64))
			}
			assert.ElementsMatch(t, []float64{80, 443}, ports)
		})
	}
}

func TestIngressExistingCertificateIsUsedAsIs(t *testing.T) {
	doc := parse(t, "certificate")
	https := doc.resource(t, "aws_lb_listener", "ingress/https-listener")
	balancer := doc.resource(t, "aws_lb", "ingress/load-balancer")

	assert.Equal(t, testCertificateARN, https.attrs["certificate_arn"])
	assert.Empty(t, doc.resources("aws_acm_certificate"))
	assert.Equal(t, "https://"+balancer.ref("dns_name"), doc.Output["load_balancer_url"]["value"])
}

func TestIngressDomainGetsAValidatedCertificate(t *testing.T) {
	doc := parse(t, "domain")
	certificate := doc.resource(t, "aws_acm_certificate", "ingress/certificate")
	record := doc.resource(t, "aws_route53_record", "ingress/certificate-validation-record")
	validation := doc.resource(t, "aws_acm_certificate_validation", "ingress/certificate-validation")
	alias := doc.resource(t, "aws_route53_record", "ingress/alias-record")
	https := doc.resource(t, "aws_lb_listener", "ingress/https-listener")
	balancer := doc.resource(t, "aws_lb", "ingress/load-balancer")

	// A DNS-validated certificate for the domain, proven in its zone.
	assert.Equal(t, "chat.example.org", certificate.attrs["domain_name"])
	assert.Equal(t, "DNS", certificate.attrs["validation_method"])
	assert.Equal(t, "Z0123456789EXAMPLE", record.attrs["zone_id"])
	assert.Contains(t, record.str(t, "name"), "domain_validation_options")
	assert.Equal(t, certificate.ref("arn"), validation.attrs["certificate_arn"])
	assert.Equal(t, []string{record.ref("fqdn")}, validation.list(t, "validation_record_fqdns"))
	assert.Equal(t, validation.ref("certificate_arn"), https.attrs["certificate_arn"])

	// The domain points at the load balancer, and the URL uses it.
	assert.Equal(t, "chat.example.org", alias.attrs["name"])
	assert.Equal(t, "A", alias.attrs["type"])
	assert.JSONEq(t, `{"name":"`+balancer.ref("dns_name")+`","zone_id":"`+balancer.ref("zone_id")+
		`","evaluate_target_health":true}`, toJSON(t, alias.attrs["alias"]))
	assert.Equal(t, "https://chat.example.org", doc.Output["load_balancer_url"]["value"])
}

func TestIngressSecurityGroup(t *testing.T) {
	doc := parse(t, "default")
	group := doc.resource(t, "aws_security_group", "ingress/load-balancer-security-group")
	instanceGroup := doc.resource(t, "aws_security_group", "compute/instance-security-group")

	// HTTP in from anywhere, and nothing else in.
	ingress := rulesOf(doc, "aws_vpc_security_group_ingress_rule", group)
	require.Len(t, ingress, 1)
	assert.Equal(t, "tcp", ingress[0].attrs["ip_protocol"])
	assert.Equal(t, 80.0, ingress[0].attrs["from_port"])
	assert.Equal(t, 80.0, ingress[0].attrs["to_port"])
	assert.Equal(t, "0.0.0.0/0", ingress[0].attrs["cidr_ipv4"])

	// Out only to the instance's group on the application port.
	egress := rulesOf(doc, "aws_vpc_security_group_egress_rule", group)
	require.Len(t, egress, 1)
	assert.Equal(t, "tcp", egress[0].attrs["ip_protocol"])
	assert.Equal(t, 5212.0, egress[0].attrs["from_port"])
	assert.Equal(t, 5212.0, egress[0].attrs["to_port"])
	assert.Equal(t, instanceGroup.ref("id"), egress[0].attrs["referenced_security_group_id"])
	assert.NotContains(t, egress[0].attrs, "cidr_ipv4")
}

func TestIngressTargetGroupAndListener(t *testing.T) {
	doc := parse(t, "default")
	network := doc.resource(t, "aws_vpc", "network/vpc")
	balancer := doc.resource(t, "aws_lb", "ingress/load-balancer")
	targets := doc.resource(t, "aws_lb_target_group", "ingress/target-group")
	attachment := doc.resource(t, "aws_lb_target_group_attachment", "ingress/instance-attachment")
	listener := doc.resource(t, "aws_lb_listener", "ingress/http-listener")
	server := doc.resource(t, "aws_instance", "compute/instance")

	// Instance targets over HTTP on the app port, checked at "/".
	assert.Equal(t, "instance", targets.attrs["target_type"])
	assert.Equal(t, "HTTP", targets.attrs["protocol"])
	assert.Equal(t, 5212.0, targets.attrs["port"])
	assert.Equal(t, network.ref("id"), targets.attrs["vpc_id"])
	health := targets.object(t, "health_check")
	assert.Equal(t, "/", health["path"])
	assert.Equal(t, "traffic-port", health["port"])
	assert.Equal(t, "200", health["matcher"])

	// The instance is the target.
	assert.Equal(t, targets.ref("arn"), attachment.attrs["target_group_arn"])
	assert.Equal(t, server.ref("id"), attachment.attrs["target_id"])
	assert.Equal(t, 5212.0, attachment.attrs["port"])

	// The listener on port 80 forwards to the target group.
	assert.Equal(t, balancer.ref("arn"), listener.attrs["load_balancer_arn"])
	assert.Equal(t, 80.0, listener.attrs["port"])
	assert.Equal(t, "HTTP", listener.attrs["protocol"])
	assert.JSONEq(t, `[{"type":"forward","target_group_arn":"`+targets.ref("arn")+`"}]`,
		toJSON(t, listener.attrs["default_action"]))
	assert.Len(t, doc.resources("aws_lb_listener"), 1)
}
