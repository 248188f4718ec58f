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
