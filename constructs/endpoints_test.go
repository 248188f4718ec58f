package constructs_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/constructs"
)

func TestEndpointIDsStayApartWhateverTheServiceNames(t *testing.T) {
	// "ssm-policy" once clashed with the policy of "ssm" and panicked.
	stack := newTestStack()
	_, err := constructs.NewEndpointsConstruct(stack, "endpoints",
		endpointsProps("ssm", "ssm-policy"))
	require.NoError(t, err)
	doc := synthesize(t, stack)

	// Each service has its endpoint, and each endpoint reads its own policy.
	for _, service := range []string{"ssm", "ssm-policy"} {
		endpoint := doc.resource(t, "aws_vpc_endpoint", "endpoints/interface-endpoint-"+service)
		policy := doc.dataSource(t, "aws_iam_policy_document", "endpoints/endpoint-policy-"+service)
		assert.Equal(t, policy.ref("json"), endpoint.attrs["policy"], service)
		assert.Equal(t, "com.amazonaws.us-east-1."+service, endpoint.attrs["service_name"])
	}
}

// endpointsProps returns complete props for Interface endpoints to the
// services, with placeholder IDs.
func endpointsProps(services ...string) constructs.EndpointsProps {
	return constructs.EndpointsProps{
		NamePrefix:           "chat",
		Region:               "us-east-1",
		VPCID:                jsii.String("vpc"),
		VPCCIDR:              "10.0.0.0/16",
		PrivateSubnetIDs:     []*string{jsii.String("subnet")},
		PrivateRouteTableIDs: []*string{jsii.String("table")},
		InterfaceServices:    services,
		AllowedRoleARN:       jsii.String("role"),
		ModelARN:             jsii.String("model"),
	}
}
