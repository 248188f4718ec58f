// Package chatstack composes the four constructs into the one Terraform stack
// that this project deploys, with its provider, backend and outputs.
package chatstack

import (
	"encoding/json"
	"fmt"

	cdkconstructs "github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/bedrock-chat/stack/config"
	"github.com/bedrock-chat/stack/constructs"
)

// ID is the stack's name: the folder under cdktf.out/stacks and the argument
// of `cdktf deploy`.
const ID = "bedrock-chat"

// ProviderVersion accepts every 5.x release of the AWS provider from the one
// the bindings were generated for (5.99) on.
const ProviderVersion = "~> 5.99"

// StatePath is where the local backend keeps the state, relative to the
// stack's folder cdktf.out/stacks/bedrock-chat: the project root, outside
// cdktf.out, so that a new synth never touches it.
const StatePath = "../../../terraform." + ID + ".tfstate"

// The construct IDs of the stack's parts.
const (
	providerID   = "aws"
	encryptionID = "encryption"
	networkID    = "network"
	endpointsID  = "endpoints"
	computeID    = "compute"
	ingressID    = "ingress"
)

// ChatStack is the synthesized deployment and the constructs it is made of.
type ChatStack struct {
	cdktf.TerraformStack

	// Encryption is the customer-managed KMS key.
	Encryption *constructs.EncryptionConstruct
	// Network is the VPC with its subnets and gateways.
	Network *constructs.NetworkConstruct
	// Endpoints are the VPC endpoints for S3 and the interface services.
	Endpoints *constructs.EndpointsConstruct
	// Compute is the application server.
	Compute *constructs.ComputeConstruct
	// Ingress is the load balancer in front of the server.
	Ingress *constructs.IngressConstruct
}

// New builds the whole deployment for a validated configuration.
func New(scope cdkconstructs.Construct, id string, cfg config.Config) (*ChatStack, error) {
	s := &ChatStack{TerraformStack: cdktf.NewTerraformStack(scope, jsii.String(id))}

	// The provider tags every resource and accepts any 5.x release from 5.99.
	provider.NewAwsProvider(s.TerraformStack, jsii.String(providerID), &provider.AwsProviderConfig{
		Region: jsii.String(cfg.Region),
		DefaultTags: []provider.AwsProviderDefaultTags{{
			Tags: stringMap(cfg.Tags),
		}},
	})
	s.AddOverride(jsii.String("terraform.required_providers.aws.version"),
		jsii.String(ProviderVersion))

	// The state stays beside the project, at a path that is the same on
	// every machine.
	cdktf.NewLocalBackend(s.TerraformStack, &cdktf.LocalBackendConfig{Path: jsii.String(StatePath)})

	// The key comes first: the volume and every log group use it.
	encryption, err := constructs.NewEncryptionConstruct(s.TerraformStack, encryptionID,
		constructs.EncryptionProps{NamePrefix: cfg.NamePrefix, Region: cfg.Region})
	if err != nil {
		return nil, fmt.Errorf("build stack %q: %w", id, err)
	}
	s.Encryption = encryption

	// The network comes next; everything else lives in it.
	network, err := constructs.NewNetworkConstruct(
		s.TerraformStack, networkID, constructs.NetworkProps{
			NamePrefix:           cfg.NamePrefix,
			VPCCIDR:              cfg.VPCCIDR,
			AvailabilityZones:    cfg.AvailabilityZones,
			PublicSubnetCIDRs:    cfg.PublicSubnetCIDRs,
			PrivateSubnetCIDRs:   cfg.PrivateSubnetCIDRs,
			FlowLogKeyARN:        encryption.KeyARN,
			FlowLogRetentionDays: cfg.LogRetentionDays,
		})
	if err != nil {
		return nil, fmt.Errorf("build stack %q: %w", id, err)
	}
	s.Network = network

	// The server runs in the first private subnet.
	compute, err := constructs.NewComputeConstruct(
		s.TerraformStack, computeID, constructs.ComputeProps{
			NamePrefix:                cfg.NamePrefix,
			Region:                    cfg.Region,
			VPCID:                     network.VPCID,
			VPCCIDR:                   network.VPCCIDR,
			SubnetID:                  network.PrivateSubnetIDs[0],
			InstanceType:              cfg.InstanceType,
			Architecture:              cfg.Architecture(),
			AppPort:                   cfg.AppPort,
			ModelID:                   cfg.ModelID,
			GoProxy:                   cfg.GoProxy,
			KeyARN:                    encryption.KeyARN,
			LogRetentionDays:          cfg.LogRetentionDays,
			InternetEgress:            cfg.InternetEgress,
			SessionManagerPreferences: cfg.SessionManagerPreferences,
		})
	if err != nil {
		return nil, fmt.Errorf("build stack %q: %w", id, err)
	}
	s.Compute = compute

	// The endpoints keep AWS traffic from the private subnets inside the
	// VPC, and let the instance's role alone through.
	endpoints, err := constructs.NewEndpointsConstruct(
		s.TerraformStack, endpointsID, constructs.EndpointsProps{
			NamePrefix:           cfg.NamePrefix,
			Region:               cfg.Region,
			VPCID:                network.VPCID,
			VPCCIDR:              network.VPCCIDR,
			PrivateSubnetIDs:     network.PrivateSubnetIDs,
			PrivateRouteTableIDs: network.PrivateRouteTableIDs,
			InterfaceServices:    cfg.InterfaceEndpoints,
			AllowedRoleARN:       compute.RoleARN,
			ModelARN:             compute.ModelARN,
		})
	if err != nil {
		return nil, fmt.Errorf("build stack %q: %w", id, err)
	}
	s.Endpoints = endpoints

	// The load balancer fronts the server, and the server admits it alone.
	ingress, err := constructs.NewIngressConstruct(
		s.TerraformStack, ingressID, constructs.IngressProps{
			NamePrefix:              cfg.NamePrefix,
			VPCID:                   network.VPCID,
			PublicSubnetIDs:         network.PublicSubnetIDs,
			InstanceID:              compute.InstanceID,
			InstanceSecurityGroupID: compute.SecurityGroupID,
			AppPort:                 cfg.AppPort,
			CertificateARN:          cfg.CertificateARN,
			DomainName:              cfg.DomainName,
			HostedZoneID:            cfg.HostedZoneID,
			DeletionProtection:      cfg.DeletionProtection,
			AccessLogExpirationDays: cfg.AccessLogExpirationDays,
			WAFRateLimit:            cfg.WAFRateLimit,
			LogKeyARN:               encryption.KeyARN,
			LogRetentionDays:        cfg.LogRetentionDays,
		})
	if err != nil {
		return nil, fmt.Errorf("build stack %q: %w", id, err)
	}
	s.Ingress = ingress
	compute.AdmitAppTrafficFrom(ingress.SecurityGroupID)

	s.addOutputs(cfg)
	return s, nil
}

// stringMap converts a Go map into the pointer map that the bindings take.
func stringMap(values map[string]string) *map[string]*string {
	converted := make(map[string]*string, len(values))
	for key, value := range values {
		converted[key] = jsii.String(value)
	}
	return &converted
}

// TerraformJSON returns the stack as Terraform JSON, with the construct
// path of every resource in its "//" metadata, as a synth would write it.
func (s *ChatStack) TerraformJSON() ([]byte, error) {
	encoded, err := json.Marshal(s.ToTerraform())
	if err != nil {
		return nil, fmt.Errorf("encode stack %q as JSON: %w", *s.Node().Id(), err)
	}
	return encoded, nil
}
