package constructs_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/constructs"
)

// The constructs check their props before they touch the scope, so a nil
// scope is enough to test the refusals without starting jsii.

func TestNetworkRefusesIncompleteProps(t *testing.T) {
	valid := constructs.NetworkProps{
		NamePrefix:           "chat",
		VPCCIDR:              "10.0.0.0/16",
		AvailabilityZones:    []string{"us-east-1a", "us-east-1b"},
		PublicSubnetCIDRs:    []string{"10.0.1.0/24", "10.0.4.0/24"},
		PrivateSubnetCIDRs:   []string{"10.0.2.0/24"},
		FlowLogKeyARN:        jsii.String("key"),
		FlowLogRetentionDays: 365,
	}
	tests := []struct {
		name   string
		change func(*constructs.NetworkProps)
		want   string
	}{
		{"no name prefix", func(p *constructs.NetworkProps) { p.NamePrefix = "" }, "name prefix"},
		{"no VPC block", func(p *constructs.NetworkProps) { p.VPCCIDR = "" }, "VPC CIDR"},
		{"one zone", func(p *constructs.NetworkProps) {
			p.AvailabilityZones = p.AvailabilityZones[:1]
		}, "at least two"},
		{"public subnets short", func(p *constructs.NetworkProps) {
			p.PublicSubnetCIDRs = p.PublicSubnetCIDRs[:1]
		}, "one per zone"},
		{"no private subnet", func(p *constructs.NetworkProps) {
			p.PrivateSubnetCIDRs = nil
		}, "want from 1 to 2"},
		{"no flow log key", func(p *constructs.NetworkProps) { p.FlowLogKeyARN = nil }, "flow log key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := valid
			tt.change(&props)
			_, err := constructs.NewNetworkConstruct(nil, "network", props)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `network "network"`)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestEndpointsRefuseIncompleteProps(t *testing.T) {
	valid := endpointsProps("ssm")
	tests := []struct {
		name   string
		change func(*constructs.EndpointsProps)
		want   string
	}{
		{"no region", func(p *constructs.EndpointsProps) { p.Region = "" }, "region"},
		{"no VPC", func(p *constructs.EndpointsProps) { p.VPCID = nil }, "VPC ID"},
		{"no subnets", func(p *constructs.EndpointsProps) { p.PrivateSubnetIDs = nil }, "private subnets"},
		{"no route tables", func(p *constructs.EndpointsProps) {
			p.PrivateRouteTableIDs = nil
		}, "route tables"},
		{"no role", func(p *constructs.EndpointsProps) { p.AllowedRoleARN = nil }, "role"},
		{"service twice", func(p *constructs.EndpointsProps) {
			p.InterfaceServices = []string{"ssm", "ssm"}
		}, `"ssm" is listed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := valid
			tt.change(&props)
			_, err := constructs.NewEndpointsConstruct(nil, "endpoints", props)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestComputeRefusesIncompleteProps(t *testing.T) {
	valid := constructs.ComputeProps{
		NamePrefix:       "chat",
		Region:           "us-east-1",
		VPCID:            jsii.String("vpc"),
		VPCCIDR:          "10.0.0.0/16",
		SubnetID:         jsii.String("subnet"),
		InstanceType:     "t3.small",
		Architecture:     "x86_64",
		AppPort:          5212,
		ModelID:          "mistral.mistral-large-2402-v1:0",
		KeyARN:           jsii.String("key"),
		LogRetentionDays: 365,
	}
	tests := []struct {
		name   string
		change func(*constructs.ComputeProps)
		want   string
	}{
		{"no subnet", func(p *constructs.ComputeProps) { p.SubnetID = nil }, "subnet"},
		{"no instance type", func(p *constructs.ComputeProps) { p.InstanceType = "" }, "instance type"},
		{"unknown architecture", func(p *constructs.ComputeProps) {
			p.Architecture = "riscv64"
		}, `"riscv64"`},
		{"port zero", func(p *constructs.ComputeProps) { p.AppPort = 0 }, "outside 1-65535"},
		{"no model", func(p *constructs.ComputeProps) { p.ModelID = "" }, "model ID"},
		{"no key", func(p *constructs.ComputeProps) { p.KeyARN = nil }, "KMS key"},
		{"privileged port", func(p *constructs.ComputeProps) { p.AppPort = 80 }, "1024 to 65535"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := valid
			tt.change(&props)
			_, err := constructs.NewComputeConstruct(nil, "compute", props)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestIngressRefusesIncompleteProps(t *testing.T) {
	valid := constructs.IngressProps{
		NamePrefix:              "chat",
		VPCID:                   jsii.String("vpc"),
		PublicSubnetIDs:         []*string{jsii.String("a"), jsii.String("b")},
		InstanceID:              jsii.String("instance"),
		InstanceSecurityGroupID: jsii.String("group"),
		AppPort:                 5212,
		LogKeyARN:               jsii.String("key"),
	}
	tests := []struct {
		name   string
		change func(*constructs.IngressProps)
		want   string
	}{
		{"no instance", func(p *constructs.IngressProps) { p.InstanceID = nil }, "instance"},
		{"one subnet", func(p *constructs.IngressProps) {
			p.PublicSubnetIDs = p.PublicSubnetIDs[:1]
		}, "needs two"},
		{"port too high", func(p *constructs.IngressProps) { p.AppPort = 65536 }, "outside 1-65535"},
		{"certificate and domain", func(p *constructs.IngressProps) {
			p.CertificateARN = "arn"
			p.DomainName = "chat.example.org"
			p.HostedZoneID = "Z1"
		}, "not both"},
		{"domain without zone", func(p *constructs.IngressProps) {
			p.DomainName = "chat.example.org"
		}, "hosted zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := valid
			tt.change(&props)
			_, err := constructs.NewIngressConstruct(nil, "ingress", props)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
