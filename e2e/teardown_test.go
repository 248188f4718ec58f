//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/chatstack"
	"github.com/bedrock-chat/stack/config"
)

// deletionProtectionAttribute is the load balancer attribute that deletion
// protection sets.
const deletionProtectionAttribute = "deletion_protection.enabled"

// checkDeletionProtection checks that the load balancer's deletion
// protection is as configured, which is on unless cdktf.json or the
// scenario turns it off.
func checkDeletionProtection(t *testing.T, d *deployment) {
	assert.Equal(t, d.cfg.DeletionProtection, d.deletionProtection(t),
		"%s of the load balancer", deletionProtectionAttribute)
}

// deletionProtection reports whether the emulator holds the load balancer
// protected from deletion.
func (d *deployment) deletionProtection(t *testing.T) bool {
	t.Helper()
	balancer := d.loadBalancer(t)
	found, err := d.elb.DescribeLoadBalancerAttributes(d.ctx,
		&elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: balancer.LoadBalancerArn})
	require.NoError(t, err, "describe the attributes of the load balancer")
	for _, attribute := range found.Attributes {
		if aws.ToString(attribute.Key) == deletionProtectionAttribute {
			return aws.ToString(attribute.Value) == "true"
		}
	}
	require.FailNow(t, "the load balancer has no attribute "+deletionProtectionAttribute)
	return false
}

// teardownTimes are how long each step of the teardown took.
type teardownTimes struct {
	// lift is the deploy that turns deletion protection off; zero when the
	// deployment had none.
	lift time.Duration
	// destroy is the destroy itself.
	destroy time.Duration
}

// teardown removes the deployment in the steps of the README's "Deploy and
// tear down", which run `make deploy` and `make destroy`, that is
// `cdktf deploy` and `cdktf destroy`, each synthesizing first:
//
//	CHAT_STACK_DELETION_PROTECTION=false make deploy    # lifts the protection
//	CHAT_STACK_DELETION_PROTECTION=false make destroy   # deletes everything
//
// The first step runs only when the deployment is protected, and the load
// balancer must have lost its protection before the second.
func (w *workspace) teardown(t *testing.T, d *deployment) teardownTimes {
	t.Helper()
	var times teardownTimes

	// Both steps run with the protection off, as the README writes them.
	w.setenv(config.EnvDeletionProtection, "false")

	// A protected deployment is deployed again, and the emulator must hold
	// the load balancer unprotected afterwards.
	if d.cfg.DeletionProtection {
		times.lift = w.cdktf(t, deployTimeout, "deploy", chatstack.ID, "--auto-approve")
		d.ctx = checksContext(t)
		require.False(t, d.deletionProtection(t),
			"the load balancer is still protected after the teardown's deploy")
	}

	// Then everything goes.
	times.destroy = w.cdktf(t, destroyTimeout, "destroy", chatstack.ID, "--auto-approve")
	return times
}
