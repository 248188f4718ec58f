package compliance

// computeRules returns the rules for EC2 instances and their volumes.
func computeRules() []Rule {
	return []Rule{
		{
			ID:            "HIPAA.Security-EC2IMDSv2Enabled",
			Safeguard:     SafeguardAccessControl,
			Description:   "Every instance requires IMDSv2 session tokens.",
			Fix:           "Set metadata_options.http_tokens to \"required\".",
			ResourceTypes: []string{"aws_instance"},
			check:         checkIMDSv2,
		},
		{
			ID:        "HIPAA.Security-EC2InstanceNoPublicIp",
			Safeguard: SafeguardAccessControl,
			Description: "No instance gets a public IP address, directly, from its " +
				"subnet or from an Elastic IP.",
			Fix: "Place the instance in a private subnet, set associate_public_ip_address " +
				"to false and remove any aws_eip bound to it.",
			ResourceTypes: []string{"aws_instance"},
			check:         checkNoPublicIP,
		},
		{
			ID:            "HIPAA.Security-EC2InstanceProfileAttached",
			Safeguard:     SafeguardAccessControl,
			Description:   "Every instance has an IAM instance profile.",
			Fix:           "Set iam_instance_profile to an aws_iam_instance_profile.",
			ResourceTypes: []string{"aws_instance"},
			check:         checkInstanceProfile,
		},
		{
			ID:            "HIPAA.Security-EC2InstanceDetailedMonitoringEnabled",
			Safeguard:     SafeguardAuditControls,
			Description:   "Every instance has detailed CloudWatch monitoring.",
			Fix:           "Set monitoring to true.",
			ResourceTypes: []string{"aws_instance"},
			check:         checkDetailedMonitoring,
		},
		{
			ID:        "HIPAA.Security-EC2EBSOptimizedInstance",
			Safeguard: SafeguardContingencyPlan,
			Description: "Every instance sets ebs_optimized, so that EBS traffic " +
				"has its own bandwidth.",
			Fix:           "Set ebs_optimized to true.",
			ResourceTypes: []string{"aws_instance"},
			check:         checkEBSOptimized,
		},
		{
			ID:        "HIPAA.Custom-EBSEncrypted",
			Safeguard: SafeguardEncryption,
			Description: "Every EBS volume, root, attached or standalone, is encrypted " +
				"with a KMS key that the stack names.",
			Fix: "Set encrypted to true and kms_key_id to an aws_kms_key on " +
				"root_block_device, each ebs_block_device and each aws_ebs_volume, or " +
				"enable aws_ebs_encryption_by_default with an aws_ebs_default_kms_key.",
			ResourceTypes: []string{"aws_instance", "aws_ebs_volume"},
			check:         checkEBSEncrypted,
		},
	}
}

// checkIMDSv2 requires session tokens for the instance metadata service.
func checkIMDSv2(s *stack) []violation {
	var out []violation
	for _, instance := range s.ofType("aws_instance") {
		options := blocks(instance.attrs["metadata_options"])
		if len(options) == 0 {
			out = append(out, fail(instance, "metadata_options is not set, so IMDSv1 "+
				"stays available"))
			continue
		}
		tokens := stringAttr(options[0], "http_tokens")
		disabled := stringAttr(options[0], "http_endpoint") == "disabled"
		if tokens != "required" && !disabled {
			out = append(out, fail(instance, "metadata_options.%s, want \"required\"",
				describe(options[0], "http_tokens")))
		}
	}
	return out
}

// checkNoPublicIP forbids public addresses on instances.
func checkNoPublicIP(s *stack) []violation {
	var out []violation
	for _, instance := range s.ofType("aws_instance") {
		// Flag an explicit request for a public address.
		if isTrue(instance.attrs, "associate_public_ip_address") {
			out = append(out, fail(instance, "associate_public_ip_address is true"))
		}

		// Flag a subnet that hands out public addresses, unless the instance
		// opts out.
		_, explicit := instance.attrs["associate_public_ip_address"]
		for _, subnet := range s.ofType("aws_subnet") {
			if !explicit && refersTo(instance.attrs["subnet_id"], subnet) &&
				isTrue(subnet.attrs, "map_public_ip_on_launch") {
				out = append(out, fail(instance, "the instance is in %s, which has "+
					"map_public_ip_on_launch set to true", subnet.address()))
			}
		}

		// Flag Elastic IPs bound to the instance.
		for _, eip := range s.referencing("aws_eip", "instance", instance) {
			out = append(out, fail(instance, "%s gives the instance a public address",
				eip.address()))
		}
		for _, assoc := range s.referencing("aws_eip_association", "instance_id", instance) {
			out = append(out, fail(instance, "%s gives the instance a public address",
				assoc.address()))
		}
	}
	return out
}

// checkInstanceProfile requires an instance profile on each instance.
func checkInstanceProfile(s *stack) []violation {
	var out []violation
	for _, instance := range s.ofType("aws_instance") {
		if stringAttr(instance.attrs, "iam_instance_profile") == "" {
			out = append(out, fail(instance, "iam_instance_profile is not set"))
		}
	}
	return out
}

// checkDetailedMonitoring requires one-minute metrics on each instance.
func checkDetailedMonitoring(s *stack) []violation {
	return requireInstanceFlag(s, "monitoring")
}

// checkEBSOptimized requires EBS optimization on each instance.
//
// NOTE: unlike cdk-nag, which asks only instance types where it is optional,
// the rule asks every instance, since current types ignore a true value.
func checkEBSOptimized(s *stack) []violation {
	return requireInstanceFlag(s, "ebs_optimized")
}

// requireInstanceFlag reports each instance whose boolean attribute is not
// true.
func requireInstanceFlag(s *stack, attr string) []violation {
	var out []violation
	for _, instance := range s.ofType("aws_instance") {
		if !isTrue(instance.attrs, attr) {
			out = append(out, fail(instance, "%s, want true", describe(instance.attrs, attr)))
		}
	}
	return out
}

// checkEBSEncrypted requires KMS encryption of every volume.
func checkEBSEncrypted(s *stack) []violation {
	// Accept every volume when the stack turns on account-wide encryption
	// with a key of its own.
	for _, def := range s.ofType("aws_ebs_encryption_by_default") {
		_, set := def.attrs["enabled"]
		enabled := !set || isTrue(def.attrs, "enabled")
		if enabled && len(s.ofType("aws_ebs_default_kms_key")) > 0 {
			return nil
		}
	}

	// Check the root and attached devices of each instance.
	var out []violation
	for _, instance := range s.ofType("aws_instance") {
		roots := blocks(instance.attrs["root_block_device"])
		if len(roots) == 0 {
			out = append(out, fail(instance, "root_block_device is not set, so the root "+
				"volume is encrypted only if the account default says so"))
		}
		for _, root := range roots {
			if problem := volumeProblem(root); problem != "" {
				out = append(out, fail(instance, "root_block_device: %s", problem))
			}
		}
		for i, device := range blocks(instance.attrs["ebs_block_device"]) {
			if problem := volumeProblem(device); problem != "" {
				out = append(out, fail(instance, "ebs_block_device %d: %s", i+1, problem))
			}
		}
	}

	// Check standalone volumes.
	for _, volume := range s.ofType("aws_ebs_volume") {
		if problem := volumeProblem(volume.attrs); problem != "" {
			out = append(out, fail(volume, "%s", problem))
		}
	}
	return out
}

// volumeProblem says what is wrong with the encryption of one volume, or
// returns "".
func volumeProblem(attrs map[string]any) string {
	switch {
	case !isTrue(attrs, "encrypted"):
		return describe(attrs, "encrypted") + ", want true"
	case stringAttr(attrs, "kms_key_id") == "":
		return "kms_key_id is not set, so the AWS managed key is used"
	default:
		return ""
	}
}
