package constructs

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
)

// nameTags returns the tags that give a resource its console name: the
// name prefix followed by the resource's role, such as bedrock-chat-vpc.
func nameTags(prefix, role string) *map[string]*string {
	return &map[string]*string{"Name": jsii.String(prefix + "-" + role)}
}

// indexedID returns a construct ID for the n-th of several alike resources,
// counting from 1, such as public-subnet-1. The ID depends on the position
// alone, so appending a zone never renames an existing resource.
func indexedID(base string, index int) string {
	return fmt.Sprintf("%s-%d", base, index+1)
}

// anywhereIPv4 is the CIDR block of every IPv4 address.
const anywhereIPv4 = "0.0.0.0/0"

// tcpPort returns a TCP port as the number type that the bindings take.
func tcpPort(port int) *float64 {
	return jsii.Number(float64(port))
}
