// Package constructs holds the four building blocks of the stack, each a
// struct built by NewXConstruct(scope, id, props):
//
//   - NetworkConstruct: the VPC, its subnets, gateways and route tables;
//   - EndpointsConstruct: VPC endpoints that keep AWS traffic off the internet;
//   - ComputeConstruct: the application server and its IAM identity;
//   - IngressConstruct: the Application Load Balancer in front of it.
//
// Props are Go-native values; outputs are exported fields that the next
// construct takes as props. No construct reads the environment or a sibling.
package constructs
