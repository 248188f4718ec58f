package compliance

import (
	"regexp"
	"slices"
	"strings"
)

// identityRules returns the rules for IAM policies and their attachments.
func identityRules() []Rule {
	return []Rule{
		{
			ID:        "HIPAA.Security-IAMNoInlinePolicy",
			Safeguard: SafeguardAccessControl,
			Description: "No role, user or group carries an inline policy; permissions " +
				"live in customer-managed policies.",
			Fix: "Move the document into an aws_iam_policy and attach it with an " +
				"aws_iam_role_policy_attachment.",
			ResourceTypes: []string{
				"aws_iam_group_policy",
				"aws_iam_role",
				"aws_iam_role_policy",
				"aws_iam_user_policy",
			},
			check: checkNoInlinePolicy,
		},
		{
			ID:        "HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess",
			Safeguard: SafeguardAccessControl,
			Description: "No IAM policy allows action \"*\" on resource \"*\", and no " +
				"principal gets the AdministratorAccess managed policy.",
			Fix:           "Grant only the actions and resources the workload uses.",
			ResourceTypes: iamPolicyTypes,
			check:         checkAdminAccess,
		},
		{
			ID:        "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess",
			Safeguard: SafeguardAccessControl,
			Description: "No IAM policy allows every action of a service (such as s3:*), " +
				"allows by NotAction, or attaches an AWS managed *FullAccess or " +
				"PowerUserAccess policy.",
			Fix: "List the actions the workload calls, such as " +
				"bedrock:InvokeModelWithResponseStream, in a customer-managed policy.",
			ResourceTypes: iamPolicyTypes,
			check:         checkFullAccess,
		},
	}
}

// iamPolicyTypes lists the types that hold or attach identity policies.
var iamPolicyTypes = []string{
	"aws_iam_group_policy",
	"aws_iam_group_policy_attachment",
	"aws_iam_policy",
	"aws_iam_policy_attachment",
	"aws_iam_role",
	"aws_iam_role_policy",
	"aws_iam_role_policy_attachment",
	"aws_iam_role_policy_attachments_exclusive",
	"aws_iam_user_policy",
	"aws_iam_user_policy_attachment",
}

// inlinePolicyTypes lists the resources that are inline policies.
var inlinePolicyTypes = []string{
	"aws_iam_group_policy",
	"aws_iam_role_policy",
	"aws_iam_user_policy",
}

// checkNoInlinePolicy forbids inline policies.
func checkNoInlinePolicy(s *stack) []violation {
	var out []violation

	// Flag the standalone inline policy resources.
	for _, r := range s.ofType(inlinePolicyTypes...) {
		out = append(out, fail(r, "%s is an inline policy", r.kind))
	}

	// Flag inline_policy blocks of roles; an empty block only clears them.
	for _, role := range s.ofType("aws_iam_role") {
		for _, block := range blocks(role.attrs["inline_policy"]) {
			if stringAttr(block, "policy") != "" {
				out = append(out, fail(role, "the role has an inline_policy block named %q",
					stringAttr(block, "name")))
			}
		}
	}
	return out
}

// identityPolicy is one identity policy document of the stack.
type identityPolicy struct {
	// owner is the resource that holds the document.
	owner *resource
	// label names the document in messages.
	label string
	// value is the policy argument as written.
	value any
}

// identityPolicies collects managed, inline and role-embedded policies.
func identityPolicies(s *stack) []identityPolicy {
	var out []identityPolicy
	for _, r := range s.ofType(slices.Concat([]string{"aws_iam_policy"}, inlinePolicyTypes)...) {
		out = append(out, identityPolicy{owner: r, label: "policy", value: r.attrs["policy"]})
	}
	for _, role := range s.ofType("aws_iam_role") {
		for _, block := range blocks(role.attrs["inline_policy"]) {
			if value, ok := block["policy"]; ok {
				label := "inline_policy " + stringAttr(block, "name")
				out = append(out, identityPolicy{owner: role, label: label, value: value})
			}
		}
	}
	return out
}

// managedPolicyARN matches an AWS managed policy ARN and captures its name.
// The partition is literal (aws, aws-cn, aws-us-gov and the other aws-*
// partitions) or a Terraform interpolation such as
// ${data.aws_partition.current.partition}, the form CDKTF stacks write.
var managedPolicyARN = regexp.MustCompile(
	`^arn:(?:aws[a-z-]*|\$\{[^}]+\}):iam::aws:policy/(?:.*/)?([^/]+)$`)

// managedAttachment is one AWS managed policy attached by the stack.
type managedAttachment struct {
	// owner is the attachment resource or role.
	owner *resource
	// name is the managed policy's name, such as AmazonS3FullAccess.
	name string
}

// managedAttachments collects the AWS managed policies the stack attaches.
func managedAttachments(s *stack) []managedAttachment {
	var out []managedAttachment
	add := func(owner *resource, arns []string) {
		for _, arn := range arns {
			if m := managedPolicyARN.FindStringSubmatch(arn); m != nil {
				out = append(out, managedAttachment{owner: owner, name: m[1]})
			}
		}
	}

	// Read attachment resources and the role's own list of ARNs.
	for _, r := range s.ofType(
		"aws_iam_group_policy_attachment",
		"aws_iam_policy_attachment",
		"aws_iam_role_policy_attachment",
		"aws_iam_user_policy_attachment",
	) {
		add(r, stringList(r.attrs["policy_arn"]))
	}
	for _, r := range s.ofType("aws_iam_role_policy_attachments_exclusive") {
		add(r, stringList(r.attrs["policy_arns"]))
	}
	for _, role := range s.ofType("aws_iam_role") {
		add(role, stringList(role.attrs["managed_policy_arns"]))
	}
	return out
}

// checkAdminAccess forbids administrator access.
func checkAdminAccess(s *stack) []violation {
	// Flag each statement that allows every action on every resource.
	out := eachIdentityStatement(s, func(p identityPolicy, i int, st statement) []violation {
		if st.allow && slices.ContainsFunc(st.actions, isWildcardAction) &&
			slices.Contains(st.resources, "*") {
			return []violation{fail(p.owner, "%s statement %d allows action \"*\" on "+
				"resource \"*\"", p.label, i+1)}
		}
		return nil
	})

	// Flag the AdministratorAccess managed policy.
	for _, a := range managedAttachments(s) {
		if a.name == "AdministratorAccess" {
			out = append(out, fail(a.owner, "attaches the AWS managed policy %s", a.name))
		}
	}
	return out
}

// eachIdentityStatement runs visit on every statement of every identity
// policy and gathers its violations. A policy that cannot be read is a
// violation itself: the rule fails closed.
func eachIdentityStatement(s *stack,
	visit func(p identityPolicy, index int, st statement) []violation) []violation {
	var out []violation
	for _, p := range identityPolicies(s) {
		statements, err := s.loadPolicy(p.value)
		if err != nil {
			out = append(out, fail(p.owner, "%s cannot be evaluated: %v", p.label, err))
			continue
		}
		for i, st := range statements {
			out = append(out, visit(p, i, st)...)
		}
	}
	return out
}

// checkFullAccess forbids service-wide grants.
func checkFullAccess(s *stack) []violation {
	// Flag each Allow statement that grants a whole service.
	out := eachIdentityStatement(s, func(p identityPolicy, i int, st statement) []violation {
		if !st.allow {
			return nil
		}
		return fullAccessViolations(p, i, st)
	})

	// Flag managed policies that grant whole services.
	for _, a := range managedAttachments(s) {
		if strings.HasSuffix(a.name, "FullAccess") || a.name == "PowerUserAccess" {
			out = append(out, fail(a.owner, "attaches the AWS managed policy %s", a.name))
		}
	}
	return out
}

// fullAccessViolations returns the service-wide grants of one Allow
// statement. Action "*" on resource "*" is left to the admin access rule.
func fullAccessViolations(p identityPolicy, index int, st statement) []violation {
	var out []violation
	admin := slices.Contains(st.resources, "*")
	for _, action := range st.actions {
		switch {
		case isServiceWildcard(action):
			out = append(out, fail(p.owner, "%s statement %d allows %q", p.label, index+1,
				action))
		case isWildcardAction(action) && !admin:
			out = append(out, fail(p.owner, "%s statement %d allows every action on %s",
				p.label, index+1, strings.Join(st.resources, ", ")))
		}
	}
	if len(st.notActions) > 0 {
		out = append(out, fail(p.owner, "%s statement %d allows every action except "+
			"its NotAction list", p.label, index+1))
	}
	return out
}
