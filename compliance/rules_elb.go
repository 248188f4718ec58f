package compliance

import (
	"regexp"
	"strings"
)

// loadBalancerTypes lists the two names of the load balancer resource.
var loadBalancerTypes = []string{"aws_alb", "aws_lb"}

// listenerTypes lists the two names of the listener resource.
var listenerTypes = []string{"aws_alb_listener", "aws_lb_listener"}

// loadBalancerRules returns the rules for load balancers and listeners.
func loadBalancerRules() []Rule {
	return []Rule{
		{
			ID:          "HIPAA.Security-ALBHttpToHttpsRedirection",
			Safeguard:   SafeguardTransmission,
			Description: "Every HTTP listener of an ALB redirects to HTTPS and nothing else.",
			Fix: "Give the HTTP listener a default_action of type redirect with " +
				"protocol HTTPS, and remove listener rules that forward.",
			ResourceTypes: []string{"aws_alb_listener", "aws_lb_listener", "aws_lb_listener_rule"},
			check:         checkHTTPRedirect,
		},
		{
			ID:        "HIPAA.Security-ELBv2ACMCertificateRequired",
			Safeguard: SafeguardTransmission,
			Description: "Every ALB has an HTTPS listener, and every HTTPS or TLS " +
				"listener uses an ACM certificate.",
			Fix: "Add an HTTPS listener with certificate_arn set to an " +
				"aws_acm_certificate (or its validation) from the stack.",
			ResourceTypes: []string{"aws_alb", "aws_alb_listener", "aws_lb", "aws_lb_listener"},
			check:         checkACMCertificate,
		},
		{
			ID:        "HIPAA.Custom-ELBTLS13Policy",
			Safeguard: SafeguardTransmission,
			Description: "Every HTTPS or TLS listener uses a TLS 1.3 security policy " +
				"that refuses TLS 1.0 and 1.1 (ELBSecurityPolicy-TLS13-1-2-* or " +
				"ELBSecurityPolicy-TLS13-1-3-*).",
			Fix: "Set ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06 or a " +
				"stricter TLS13 policy.",
			ResourceTypes: listenerTypes,
			check:         checkTLSPolicy,
		},
		{
			ID:            "HIPAA.Security-ALBHttpDropInvalidHeaderEnabled",
			Safeguard:     SafeguardTransmission,
			Description:   "Every ALB drops HTTP headers that are not valid.",
			Fix:           "Set drop_invalid_header_fields to true.",
			ResourceTypes: loadBalancerTypes,
			check:         checkDropInvalidHeaders,
		},
		{
			ID:            "HIPAA.Security-ELBLoggingEnabled",
			Safeguard:     SafeguardAuditControls,
			Description:   "Every load balancer writes access logs to S3.",
			Fix:           "Set access_logs with enabled true and bucket set to the log bucket.",
			ResourceTypes: loadBalancerTypes,
			check:         checkLoadBalancerLogging,
		},
		{
			ID:            "HIPAA.Security-ELBDeletionProtectionEnabled",
			Safeguard:     SafeguardIntegrity,
			Description:   "Every load balancer has deletion protection.",
			Fix:           "Set enable_deletion_protection to true.",
			ResourceTypes: loadBalancerTypes,
			check:         checkDeletionProtection,
		},
		{
			ID:          "HIPAA.Custom-ALBWAFEnabled",
			Safeguard:   SafeguardAccessControl,
			Description: "Every ALB is associated with a WAFv2 web ACL.",
			Fix: "Add an aws_wafv2_web_acl_association with resource_arn set to " +
				"the ALB.",
			ResourceTypes: loadBalancerTypes,
			check:         checkALBWAF,
		},
	}
}

// isApplication reports whether a load balancer is an ALB, the default type.
func isApplication(lb *resource) bool {
	kind := stringAttr(lb.attrs, "load_balancer_type")
	return kind == "" || kind == "application"
}

// listenerBalancer returns the load balancer a listener belongs to, or nil.
func listenerBalancer(s *stack, listener *resource) *resource {
	for _, lb := range s.ofType(loadBalancerTypes...) {
		if refersTo(listener.attrs["load_balancer_arn"], lb) {
			return lb
		}
	}
	return nil
}

// listenerProtocol returns a listener's protocol, upper case, with the
// provider's default of HTTP for an ALB.
func listenerProtocol(s *stack, listener *resource) string {
	protocol := strings.ToUpper(stringAttr(listener.attrs, "protocol"))
	if protocol != "" {
		return protocol
	}
	if lb := listenerBalancer(s, listener); lb == nil || isApplication(lb) {
		return "HTTP"
	}
	return "TCP"
}

// isEncryptedProtocol reports whether a listener protocol terminates TLS.
func isEncryptedProtocol(protocol string) bool {
	return protocol == "HTTPS" || protocol == "TLS"
}

// redirectsToHTTPS reports whether an action block redirects to HTTPS.
func redirectsToHTTPS(action map[string]any) bool {
	if stringAttr(action, "type") != "redirect" {
		return false
	}
	for _, redirect := range blocks(action["redirect"]) {
		if strings.EqualFold(stringAttr(redirect, "protocol"), "HTTPS") {
			return true
		}
	}
	return false
}

// checkHTTPRedirect requires HTTP listeners to redirect to HTTPS.
func checkHTTPRedirect(s *stack) []violation {
	var out []violation
	for _, listener := range s.ofType(listenerTypes...) {
		if listenerProtocol(s, listener) != "HTTP" {
			continue
		}

		// Require a default action that redirects to HTTPS.
		redirects := false
		for _, action := range blocks(listener.attrs["default_action"]) {
			redirects = redirects || redirectsToHTTPS(action)
		}
		if !redirects {
			out = append(out, fail(listener, "the HTTP listener's default_action does "+
				"not redirect to HTTPS"))
		}

		// Flag rules on the listener that serve content over plain HTTP.
		for _, rule := range s.referencing("aws_lb_listener_rule", "listener_arn", listener) {
			for _, action := range blocks(rule.attrs["action"]) {
				kind := stringAttr(action, "type")
				if kind != "fixed-response" && !redirectsToHTTPS(action) {
					out = append(out, fail(rule, "the rule on HTTP listener %s has a %s "+
						"action, want a redirect to HTTPS", listener.address(), kind))
				}
			}
		}
	}
	return out
}

// isACMCertificate reports whether a certificate ARN comes from ACM.
func isACMCertificate(arn string) bool {
	for _, ref := range references(arn) {
		switch ref.kind {
		case "aws_acm_certificate", "aws_acm_certificate_validation":
			return true
		}
	}
	return strings.HasPrefix(arn, "arn:aws:acm:") ||
		strings.HasPrefix(arn, "arn:aws-us-gov:acm:")
}

// checkACMCertificate requires an HTTPS listener with an ACM certificate.
func checkACMCertificate(s *stack) []violation {
	var out []violation

	// Require every ALB to offer HTTPS.
	for _, lb := range s.ofType(loadBalancerTypes...) {
		if !isApplication(lb) {
			continue
		}
		secure := false
		for _, listener := range s.ofType(listenerTypes...) {
			if refersTo(listener.attrs["load_balancer_arn"], lb) &&
				listenerProtocol(s, listener) == "HTTPS" {
				secure = true
			}
		}
		if !secure {
			out = append(out, fail(lb, "the ALB has no HTTPS listener"))
		}
	}

	// Require an ACM certificate on every listener that terminates TLS.
	for _, listener := range s.ofType(listenerTypes...) {
		if !isEncryptedProtocol(listenerProtocol(s, listener)) {
			continue
		}
		arn := stringAttr(listener.attrs, "certificate_arn")
		if !isACMCertificate(arn) {
			out = append(out, fail(listener, "%s, want an ACM certificate",
				describe(listener.attrs, "certificate_arn")))
		}
	}
	return out
}

// tls13Policy matches the TLS 1.3 security policies whose oldest protocol is
// TLS 1.2 or TLS 1.3, FIPS and post-quantum variants included, such as
// ELBSecurityPolicy-TLS13-1-2-2021-06 and ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04.
// The TLS13-1-0 and TLS13-1-1 policies still accept TLS 1.0 and 1.1.
var tls13Policy = regexp.MustCompile(`^ELBSecurityPolicy-TLS13-1-[23]-`)

// checkTLSPolicy requires a TLS 1.3 security policy on TLS listeners.
func checkTLSPolicy(s *stack) []violation {
	var out []violation
	for _, listener := range s.ofType(listenerTypes...) {
		if !isEncryptedProtocol(listenerProtocol(s, listener)) {
			continue
		}
		policy := stringAttr(listener.attrs, "ssl_policy")
		if !tls13Policy.MatchString(policy) {
			out = append(out, fail(listener, "%s, want an ELBSecurityPolicy-TLS13-1-2-* "+
				"or ELBSecurityPolicy-TLS13-1-3-* policy",
				describe(listener.attrs, "ssl_policy")))
		}
	}
	return out
}

// checkDropInvalidHeaders requires ALBs to drop invalid header fields.
func checkDropInvalidHeaders(s *stack) []violation {
	var out []violation
	for _, lb := range s.ofType(loadBalancerTypes...) {
		if isApplication(lb) && !isTrue(lb.attrs, "drop_invalid_header_fields") {
			out = append(out, fail(lb, "%s, want true",
				describe(lb.attrs, "drop_invalid_header_fields")))
		}
	}
	return out
}

// checkLoadBalancerLogging requires access logs on every load balancer.
func checkLoadBalancerLogging(s *stack) []violation {
	var out []violation
	for _, lb := range s.ofType(loadBalancerTypes...) {
		logs := blocks(lb.attrs["access_logs"])
		switch {
		case len(logs) == 0:
			out = append(out, fail(lb, "access_logs is not set"))
		case !isTrue(logs[0], "enabled"):
			out = append(out, fail(lb, "access_logs.%s, want true",
				describe(logs[0], "enabled")))
		case stringAttr(logs[0], "bucket") == "":
			out = append(out, fail(lb, "access_logs.bucket is not set"))
		}
	}
	return out
}

// checkDeletionProtection requires deletion protection on load balancers.
func checkDeletionProtection(s *stack) []violation {
	var out []violation
	for _, lb := range s.ofType(loadBalancerTypes...) {
		if !isTrue(lb.attrs, "enable_deletion_protection") {
			out = append(out, fail(lb, "%s, want true",
				describe(lb.attrs, "enable_deletion_protection")))
		}
	}
	return out
}

// checkALBWAF requires a web ACL association for every ALB.
func checkALBWAF(s *stack) []violation {
	var out []violation
	for _, lb := range s.ofType(loadBalancerTypes...) {
		if !isApplication(lb) {
			continue
		}
		if len(s.referencing("aws_wafv2_web_acl_association", "resource_arn", lb)) == 0 {
			out = append(out, fail(lb, "no aws_wafv2_web_acl_association has "+
				"resource_arn set to this ALB"))
		}
	}
	return out
}
