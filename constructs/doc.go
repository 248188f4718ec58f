// Package constructs holds the building blocks of the stack, each a struct
// built by NewXConstruct(scope, id, props):
//
//   - NetworkConstruct: the VPC, its subnets, gateways, route tables and
//     flow log;
//   - EndpointsConstruct: VPC endpoints that keep AWS traffic off the internet;
//   - ComputeConstruct: the application server and its IAM identity;
//   - IngressConstruct: the Application Load Balancer in front of it, with
//     its access logs (AccessLogsConstruct) and WAF (WebACLConstruct);
//   - EncryptionConstruct: the customer-managed KMS key they share.
//
// Props are Go-native values; outputs are exported fields that the next
// construct takes as props. No construct reads the environment or a sibling.
// Children are created in the embedded Construct, the jsii object: the
// wrapper structs themselves cannot serve as a scope.
package constructs
