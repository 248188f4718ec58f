package chatstack

import (
	"maps"
	"slices"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/bedrock-chat/stack/config"
)

// The names of the stack's outputs, as `terraform output` lists them.
const (
	OutputLoadBalancerDNSName     = "load_balancer_dns_name"
	OutputLoadBalancerURL         = "load_balancer_url"
	OutputVPCID                   = "vpc_id"
	OutputPublicSubnetIDs         = "public_subnet_ids"
	OutputPrivateSubnetIDs        = "private_subnet_ids"
	OutputInstanceID              = "instance_id"
	OutputS3EndpointID            = "s3_endpoint_id"
	OutputInterfaceEndpointIDs    = "interface_endpoint_ids"
	OutputSessionManagerCommand   = "ssm_start_session_command"
	OutputKMSKeyARN               = "kms_key_arn"
	OutputAccessLogBucket         = "access_log_bucket"
	OutputWebACLARN               = "web_acl_arn"
	OutputFlowLogGroup            = "flow_log_group"
	OutputSessionLogGroup         = "session_log_group"
	outputDescriptionSessionStart = "Opens a shell on the instance through SSM Session Manager"
)

// addOutputs declares what an operator needs after a deploy.
func (s *ChatStack) addOutputs(cfg config.Config) {
	output := func(name, description string, value any) {
		cdktf.NewTerraformOutput(s.TerraformStack, jsii.String(name), &cdktf.TerraformOutputConfig{
			Value:       value,
			Description: jsii.String(description),
		})
	}

	// Where the API answers.
	output(OutputLoadBalancerDNSName, "Public DNS name of the load balancer",
		s.Ingress.LoadBalancerDNSName)
	output(OutputLoadBalancerURL, "URL of the chat API", s.Ingress.URL)

	// What the network is made of.
	output(OutputVPCID, "ID of the VPC", s.Network.VPCID)
	output(OutputPublicSubnetIDs, "IDs of the public subnets, in zone order",
		s.Network.PublicSubnetIDs)
	output(OutputPrivateSubnetIDs, "IDs of the private subnets, in zone order",
		s.Network.PrivateSubnetIDs)
	output(OutputS3EndpointID, "ID of the S3 Gateway endpoint", s.Endpoints.S3EndpointID)

	// The Interface endpoints by service name, in a stable order.
	endpointIDs := map[string]*string{}
	for _, service := range slices.Sorted(maps.Keys(s.Endpoints.InterfaceEndpointIDs)) {
		endpointIDs[service] = s.Endpoints.InterfaceEndpointIDs[service]
	}
	output(OutputInterfaceEndpointIDs, "IDs of the Interface endpoints by service name",
		endpointIDs)

	// The server and the way in for operators.
	output(OutputInstanceID, "ID of the application server", s.Compute.InstanceID)
	output(OutputSessionManagerCommand, outputDescriptionSessionStart,
		jsii.String("aws ssm start-session --target "+*s.Compute.InstanceID+
			" --region "+cfg.Region))

	// Where the audit trail and the keys are.
	output(OutputKMSKeyARN, "ARN of the KMS key of the volume and the log groups",
		s.Encryption.KeyARN)
	output(OutputAccessLogBucket, "S3 bucket of the load balancer's access logs",
		s.Ingress.AccessLogBucket)
	output(OutputWebACLARN, "ARN of the WAF web ACL in front of the load balancer",
		s.Ingress.WebACLARN)
	output(OutputFlowLogGroup, "Log group of the VPC flow log", s.Network.FlowLogGroupName)
	if s.Compute.SessionLogGroupName != nil {
		output(OutputSessionLogGroup, "Log group of Session Manager sessions",
			s.Compute.SessionLogGroupName)
	}
}
