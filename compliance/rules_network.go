package compliance

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// networkRules returns the rules for VPCs, security groups and endpoints.
func networkRules() []Rule {
	return []Rule{
		{
			ID:            "HIPAA.Security-VPCFlowLogsEnabled",
			Safeguard:     SafeguardAuditControls,
			Description:   "Every VPC has a flow log that records all traffic.",
			Fix:           "Add an aws_flow_log with vpc_id set to the VPC and traffic_type ALL.",
			ResourceTypes: []string{"aws_vpc"},
			check:         checkVPCFlowLogs,
		},
		{
			ID:        "HIPAA.Security-VPCDefaultSecurityGroupClosed",
			Safeguard: SafeguardAccessControl,
			Description: "Every VPC manages its default security group with an " +
				"aws_default_security_group that has no ingress or egress rules.",
			Fix: "Add an aws_default_security_group with vpc_id set to the VPC and " +
				"no ingress or egress blocks.",
			ResourceTypes: []string{"aws_vpc"},
			check:         checkDefaultSecurityGroup,
		},
		{
			ID:          "HIPAA.Security-EC2RestrictedSSH",
			Safeguard:   SafeguardAccessControl,
			Description: "No security group admits port 22 from 0.0.0.0/0 or ::/0.",
			Fix: "Remove the rule and reach instances through SSM Session Manager, " +
				"or admit only known CIDR ranges.",
			ResourceTypes: securityGroupTypes,
			check:         checkPublicPorts(exposedPort{22, "SSH"}),
		},
		{
			ID:        "HIPAA.Security-EC2RestrictedCommonPorts",
			Safeguard: SafeguardAccessControl,
			Description: "No security group admits port 20, 21, 3306, 3309, 3389 or 4333 " +
				"from 0.0.0.0/0 or ::/0, alone or in a range.",
			Fix: "Remove the rule and reach instances through SSM Session Manager, " +
				"or admit only known CIDR ranges or security groups.",
			ResourceTypes: securityGroupTypes,
			check:         checkPublicPorts(commonPorts...),
		},
		{
			ID:        "HIPAA.Custom-NoUnrestrictedEgress",
			Safeguard: SafeguardAccessControl,
			Description: "No security group allows egress to 0.0.0.0/0 or ::/0, on any " +
				"port or protocol.",
			Fix: "Send AWS traffic through VPC endpoints and allow egress only to their " +
				"security groups or prefix lists; suppress with a reason where internet " +
				"egress through the NAT gateway is intended.",
			ResourceTypes: securityGroupTypes,
			check:         checkUnrestrictedEgress,
		},
		{
			ID:        "HIPAA.Custom-NoWildcardEndpointPolicy",
			Safeguard: SafeguardAccessControl,
			Description: "Interface VPC endpoints carry a policy, and no endpoint policy " +
				"allows every action or an unconditioned \"*\" principal.",
			Fix: "Set policy on the endpoint to a document that names the actions the " +
				"workload calls and limits \"*\" principals with an aws:PrincipalAccount " +
				"or aws:PrincipalArn condition.",
			ResourceTypes: []string{"aws_vpc_endpoint"},
			check:         checkEndpointPolicy,
		},
	}
}

// securityGroupTypes lists the types that hold security group rules.
var securityGroupTypes = []string{
	"aws_default_security_group",
	"aws_security_group",
	"aws_security_group_rule",
	"aws_vpc_security_group_egress_rule",
	"aws_vpc_security_group_ingress_rule",
}

// checkVPCFlowLogs requires a flow log of all traffic for each VPC.
func checkVPCFlowLogs(s *stack) []violation {
	var out []violation
	for _, vpc := range s.ofType("aws_vpc") {
		// Find the flow logs that name the VPC.
		logs := s.referencing("aws_flow_log", "vpc_id", vpc)
		if len(logs) == 0 {
			out = append(out, fail(vpc, "no aws_flow_log has vpc_id set to this VPC"))
			continue
		}

		// Accept the VPC when one of them captures accepted and rejected traffic.
		complete := false
		for _, log := range logs {
			complete = complete || stringAttr(log.attrs, "traffic_type") == "ALL"
		}
		if !complete {
			out = append(out, fail(vpc, "the flow log of this VPC records only part of "+
				"the traffic: %s, want ALL", describe(logs[0].attrs, "traffic_type")))
		}
	}
	return out
}

// checkDefaultSecurityGroup requires a closed default security group.
func checkDefaultSecurityGroup(s *stack) []violation {
	var out []violation
	for _, vpc := range s.ofType("aws_vpc") {
		// Find the default security group that names the VPC.
		groups := s.referencing("aws_default_security_group", "vpc_id", vpc)
		if len(groups) == 0 {
			out = append(out, fail(vpc, "no aws_default_security_group has vpc_id set "+
				"to this VPC, so its default group keeps the rules AWS creates"))
			continue
		}

		// Require it to carry no rule in either direction.
		for _, group := range groups {
			for _, key := range []string{"ingress", "egress"} {
				if n := len(blocks(group.attrs[key])); n > 0 {
					out = append(out, fail(group, "the default security group has %d %s "+
						"rule(s), want none", n, key))
				}
			}
		}
	}
	return out
}

// worldCIDRs are the ranges that stand for the whole internet.
var worldCIDRs = map[string]bool{"0.0.0.0/0": true, "::/0": true}

// groupRule is one security group rule, inline or standalone, in one form.
type groupRule struct {
	// owner is the resource that declares the rule.
	owner *resource
	// egress is true for an egress rule.
	egress bool
	// protocol is the protocol as written, such as tcp, 6 or -1.
	protocol string
	// fromPort and toPort bound the port range; known is false when either
	// is missing or an expression.
	fromPort, toPort int64
	known            bool
	// cidrs lists the IPv4 and IPv6 ranges of the rule.
	cidrs []string
}

// groupRules collects every security group rule in the stack.
func groupRules(s *stack) []groupRule {
	var out []groupRule

	// Read inline ingress and egress blocks of security groups.
	for _, group := range s.ofType("aws_security_group", "aws_default_security_group") {
		for _, key := range []string{"ingress", "egress"} {
			for _, block := range blocks(group.attrs[key]) {
				out = append(out, newGroupRule(group, key == "egress", block,
					"protocol", "cidr_blocks", "ipv6_cidr_blocks"))
			}
		}
	}

	// Read aws_security_group_rule, whose type says the direction.
	for _, r := range s.ofType("aws_security_group_rule") {
		out = append(out, newGroupRule(r, stringAttr(r.attrs, "type") == "egress", r.attrs,
			"protocol", "cidr_blocks", "ipv6_cidr_blocks"))
	}

	// Read the per-rule resources of the VPC API.
	for _, kind := range []string{
		"aws_vpc_security_group_ingress_rule",
		"aws_vpc_security_group_egress_rule",
	} {
		for _, r := range s.ofType(kind) {
			out = append(out, newGroupRule(r, strings.HasSuffix(kind, "egress_rule"), r.attrs,
				"ip_protocol", "cidr_ipv4", "cidr_ipv6"))
		}
	}
	return out
}

// newGroupRule reads one rule from its attributes, given the keys that hold
// the protocol and the two kinds of range.
func newGroupRule(owner *resource, egress bool, attrs map[string]any,
	protocolKey, ipv4Key, ipv6Key string) groupRule {
	from, fromOK := intAttr(attrs, "from_port")
	to, toOK := intAttr(attrs, "to_port")
	return groupRule{
		owner:    owner,
		egress:   egress,
		protocol: strings.ToLower(stringAttr(attrs, protocolKey)),
		fromPort: from,
		toPort:   to,
		known:    fromOK && toOK,
		cidrs:    slices.Concat(stringList(attrs[ipv4Key]), stringList(attrs[ipv6Key])),
	}
}

// allProtocols reports whether the rule covers every protocol and port.
func (g groupRule) allProtocols() bool {
	return g.protocol == "-1" || g.protocol == "all"
}

// coversPort reports whether the rule admits TCP or UDP traffic on port.
// A range that cannot be read counts as covering it.
func (g groupRule) coversPort(port int64) bool {
	if g.allProtocols() {
		return true
	}
	switch g.protocol {
	case "tcp", "6", "udp", "17":
		return !g.known || (g.fromPort <= port && port <= g.toPort)
	default:
		return false
	}
}

// worldRange returns the first range of the rule that is the internet.
func (g groupRule) worldRange() (string, bool) {
	for _, cidr := range g.cidrs {
		if worldCIDRs[cidr] {
			return cidr, true
		}
	}
	return "", false
}

// portText describes the protocol and ports of the rule.
func (g groupRule) portText() string {
	switch {
	case g.allProtocols():
		return "all protocols and ports"
	case !g.known:
		return fmt.Sprintf("protocol %s on ports that cannot be evaluated", g.protocol)
	case g.fromPort == g.toPort:
		return fmt.Sprintf("protocol %s port %d", g.protocol, g.fromPort)
	default:
		return fmt.Sprintf("protocol %s ports %d-%d", g.protocol, g.fromPort, g.toPort)
	}
}

// exposedPort is a port that must stay closed to the internet.
type exposedPort struct {
	// number is the TCP or UDP port.
	number int64
	// service names what usually listens on it, or is "" when no service
	// is named.
	service string
}

// String names the port for messages, such as "RDP (port 3389)".
func (p exposedPort) String() string {
	if p.service == "" {
		return fmt.Sprintf("port %d", p.number)
	}
	return fmt.Sprintf("%s (port %d)", p.service, p.number)
}

// commonPorts are the ports of cdk-nag's EC2RestrictedCommonPorts rule.
// NOTE: cdk-nag also lists port 3309, beside MySQL's 3306; the rule
// follows it and names no service for it.
var commonPorts = []exposedPort{
	{20, "FTP data"},
	{21, "FTP"},
	{3306, "MySQL"},
	{3309, ""},
	{3389, "RDP"},
	{4333, "mSQL"},
}

// checkPublicPorts returns a check that forbids ingress from the internet
// on any of ports; each rule reports once, naming the ports it admits.
func checkPublicPorts(ports ...exposedPort) func(*stack) []violation {
	return func(s *stack) []violation {
		var out []violation
		for _, g := range groupRules(s) {
			// Skip egress and rules that keep the internet out.
			cidr, open := g.worldRange()
			if g.egress || !open {
				continue
			}

			// Name each listed port that the rule admits.
			var admitted []string
			for _, port := range ports {
				if g.coversPort(port.number) {
					admitted = append(admitted, port.String())
				}
			}
			if len(admitted) > 0 {
				out = append(out, fail(g.owner, "ingress from %s on %s admits %s",
					cidr, g.portText(), strings.Join(admitted, ", ")))
			}
		}
		return out
	}
}

// checkUnrestrictedEgress forbids egress to the internet.
func checkUnrestrictedEgress(s *stack) []violation {
	var out []violation
	for _, g := range groupRules(s) {
		if cidr, open := g.worldRange(); g.egress && open {
			out = append(out, fail(g.owner, "egress to %s on %s", cidr, g.portText()))
		}
	}
	return out
}

// principalConditionKeys are condition keys that narrow a "*" principal
// to known callers.
var principalConditionKeys = map[string]bool{
	"aws:principalaccount":  true,
	"aws:principalarn":      true,
	"aws:principalorgid":    true,
	"aws:principalorgpaths": true,
}

// checkEndpointPolicy requires a narrow policy on each interface endpoint
// and on any endpoint that sets one.
func checkEndpointPolicy(s *stack) []violation {
	var out []violation
	for _, endpoint := range s.ofType("aws_vpc_endpoint") {
		// Require a policy on interface endpoints; gateway endpoints are
		// checked only when they set one.
		interfaceType := strings.EqualFold(stringAttr(endpoint.attrs, "vpc_endpoint_type"),
			"Interface")
		statements, err := s.loadPolicy(endpoint.attrs["policy"])
		switch {
		case errors.Is(err, errNoPolicy) && interfaceType:
			out = append(out, fail(endpoint, "the interface endpoint has no policy, so "+
				"it allows every action by every principal"))
			continue
		case errors.Is(err, errNoPolicy):
			continue
		case err != nil:
			out = append(out, fail(endpoint, "the endpoint policy cannot be evaluated: %v", err))
			continue
		}

		// Flag Allow statements with a wildcard action or an open principal.
		for i, st := range statements {
			if !st.allow {
				continue
			}
			for _, action := range st.actions {
				if isWildcardAction(action) {
					out = append(out, fail(endpoint, "statement %d allows action %q", i+1, action))
				}
			}
			if len(st.notActions) > 0 {
				out = append(out, fail(endpoint, "statement %d allows every action except "+
					"its NotAction list", i+1))
			}
			if openPrincipal(st) {
				out = append(out, fail(endpoint, "statement %d allows principal \"*\" without "+
					"an aws:PrincipalAccount, aws:PrincipalOrgID or aws:PrincipalArn "+
					"condition", i+1))
			}
		}
	}
	return out
}

// openPrincipal reports whether an Allow statement admits anyone: a "*"
// principal, a NotPrincipal, or no principal at all, with no condition
// that narrows the caller.
func openPrincipal(st statement) bool {
	open := st.notPrincipal || len(st.principals) == 0
	for _, p := range st.principals {
		open = open || isAnyone(p)
	}
	if !open {
		return false
	}
	for _, c := range st.conditions {
		if principalConditionKeys[strings.ToLower(c.variable)] && len(c.values) > 0 {
			return false
		}
	}
	return true
}
