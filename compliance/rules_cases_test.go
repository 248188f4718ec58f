package compliance

// ruleCase is one small stack that a rule must flag or must pass.
type ruleCase struct {
	// rule is the ID of the rule under test.
	rule string
	// name describes the case.
	name string
	// stack is a Terraform JSON document without metadata; synth adds it.
	stack string
	// violates is true when the rule must report a finding.
	violates bool
	// message is a fragment that one finding's message must contain.
	message string
}

// Stacks shared by several cases.
const (
	vpcOnly = `{"resource": {"aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}}}}`

	instanceBase = `"ami": "ami-1", "instance_type": "t3.small"`

	albBase = `"load_balancer_type": "application", "subnets": ["subnet-1"]`
)

// ruleCases holds at least one violating and one compliant stack per rule;
// TestEveryRuleHasCases keeps it that way.
var ruleCases = []ruleCase{
	// HIPAA.Security-VPCFlowLogsEnabled
	{
		rule:     "HIPAA.Security-VPCFlowLogsEnabled",
		name:     "no flow log",
		stack:    vpcOnly,
		violates: true,
		message:  "no aws_flow_log",
	},
	{
		rule: "HIPAA.Security-VPCFlowLogsEnabled",
		name: "rejected traffic only",
		stack: `{"resource": {
			"aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}},
			"aws_flow_log": {"log": {"vpc_id": "${aws_vpc.main.id}", "traffic_type": "REJECT"}}
		}}`,
		violates: true,
		message:  `traffic_type is "REJECT"`,
	},
	{
		rule: "HIPAA.Security-VPCFlowLogsEnabled",
		name: "all traffic",
		stack: `{"resource": {
			"aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}},
			"aws_flow_log": {"log": {"vpc_id": "${aws_vpc.main.id}", "traffic_type": "ALL"}}
		}}`,
	},

	// HIPAA.Security-VPCDefaultSecurityGroupClosed
	{
		rule:     "HIPAA.Security-VPCDefaultSecurityGroupClosed",
		name:     "default group not managed",
		stack:    vpcOnly,
		violates: true,
		message:  "no aws_default_security_group",
	},
	{
		rule: "HIPAA.Security-VPCDefaultSecurityGroupClosed",
		name: "default group with ingress",
		stack: `{"resource": {
			"aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}},
			"aws_default_security_group": {"default": {
				"vpc_id": "${aws_vpc.main.id}",
				"ingress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "self": true}]
			}}
		}}`,
		violates: true,
		message:  "1 ingress rule(s)",
	},
	{
		rule: "HIPAA.Security-VPCDefaultSecurityGroupClosed",
		name: "default group closed",
		stack: `{"resource": {
			"aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}},
			"aws_default_security_group": {"default": {
				"vpc_id": "${aws_vpc.main.id}", "ingress": [], "egress": []
			}}
		}}`,
	},

	// HIPAA.Security-EC2RestrictedSSH
	{
		rule: "HIPAA.Security-EC2RestrictedSSH",
		name: "inline ingress on 22",
		stack: `{"resource": {"aws_security_group": {"sg": {"ingress": [
			{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}
		]}}}}`,
		violates: true,
		message:  "ingress from 0.0.0.0/0 on protocol tcp port 22 admits SSH",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedSSH",
		name: "all protocols from IPv6 internet",
		stack: `{"resource": {"aws_vpc_security_group_ingress_rule": {"any": {
			"security_group_id": "sg-1", "ip_protocol": "-1", "cidr_ipv6": "::/0"
		}}}}`,
		violates: true,
		message:  "::/0 on all protocols and ports",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedSSH",
		name: "port range through aws_security_group_rule",
		stack: `{"resource": {"aws_security_group_rule": {"range": {
			"type": "ingress", "security_group_id": "sg-1", "protocol": "tcp",
			"from_port": 0, "to_port": 1024, "cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"]
		}}}}`,
		violates: true,
		message:  "ports 0-1024",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedSSH",
		name: "SSH from a private range and HTTPS from anywhere",
		stack: `{"resource": {"aws_security_group": {"sg": {"ingress": [
			{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["10.0.0.0/8"]},
			{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}
		]}}}}`,
	},

	// HIPAA.Security-EC2RestrictedCommonPorts
	{
		rule: "HIPAA.Security-EC2RestrictedCommonPorts",
		name: "FTP data from the internet",
		stack: `{"resource": {"aws_security_group": {"sg": {"ingress": [
			{"protocol": "tcp", "from_port": 20, "to_port": 20, "cidr_blocks": ["0.0.0.0/0"]}
		]}}}}`,
		violates: true,
		message:  "ingress from 0.0.0.0/0 on protocol tcp port 20 admits FTP data (port 20)",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedCommonPorts",
		name: "FTP from the IPv6 internet",
		stack: `{"resource": {"aws_security_group": {"sg": {"ingress": [
			{"protocol": "tcp", "from_port": 21, "to_port": 21, "ipv6_cidr_blocks": ["::/0"]}
		]}}}}`,
		violates: true,
		message:  "ingress from ::/0 on protocol tcp port 21 admits FTP (port 21)",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedCommonPorts",
		name: "MySQL from the internet",
		stack: `{"resource": {"aws_security_group_rule": {"mysql": {
			"type": "ingress", "security_group_id": "sg-1", "protocol": "tcp",
			"from_port": 3306, "to_port": 3306, "cidr_blocks": ["0.0.0.0/0"]
		}}}}`,
		violates: true,
		message:  "admits MySQL (port 3306)",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedCommonPorts",
		name: "port 3309 from the internet",
		stack: `{"resource": {"aws_vpc_security_group_ingress_rule": {"db": {
			"security_group_id": "sg-1", "ip_protocol": "tcp",
			"from_port": 3309, "to_port": 3309, "cidr_ipv4": "0.0.0.0/0"
		}}}}`,
		violates: true,
		message:  "on protocol tcp port 3309 admits port 3309",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedCommonPorts",
		name: "RDP from the internet",
		stack: `{"resource": {"aws_vpc_security_group_ingress_rule": {"rdp": {
			"security_group_id": "sg-1", "ip_protocol": "tcp",
			"from_port": 3389, "to_port": 3389, "cidr_ipv4": "0.0.0.0/0"
		}}}}`,
		violates: true,
		message:  "admits RDP (port 3389)",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedCommonPorts",
		name: "mSQL from the IPv6 internet",
		stack: `{"resource": {"aws_vpc_security_group_ingress_rule": {"msql": {
			"security_group_id": "sg-1", "ip_protocol": "tcp",
			"from_port": 4333, "to_port": 4333, "cidr_ipv6": "::/0"
		}}}}`,
		violates: true,
		message:  "admits mSQL (port 4333)",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedCommonPorts",
		name: "port range that covers the database and RDP ports",
		stack: `{"resource": {"aws_security_group": {"sg": {"ingress": [
			{"protocol": "tcp", "from_port": 3000, "to_port": 3999, "cidr_blocks": ["0.0.0.0/0"]}
		]}}}}`,
		violates: true,
		message: "ports 3000-3999 admits MySQL (port 3306), port 3309, " +
			"RDP (port 3389)",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedCommonPorts",
		name: "all protocols from the internet",
		stack: `{"resource": {"aws_security_group": {"sg": {"ingress": [
			{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}
		]}}}}`,
		violates: true,
		message: "all protocols and ports admits FTP data (port 20), FTP (port 21), " +
			"MySQL (port 3306), port 3309, RDP (port 3389), mSQL (port 4333)",
	},
	{
		rule: "HIPAA.Security-EC2RestrictedCommonPorts",
		name: "RDP from the VPC",
		stack: `{"resource": {"aws_vpc_security_group_ingress_rule": {"rdp": {
			"security_group_id": "sg-1", "ip_protocol": "tcp",
			"from_port": 3389, "to_port": 3389, "cidr_ipv4": "10.0.0.0/16"
		}}}}`,
	},
	{
		rule: "HIPAA.Security-EC2RestrictedCommonPorts",
		name: "HTTP and HTTPS from the internet",
		stack: `{"resource": {"aws_security_group": {"sg": {"ingress": [
			{"protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_blocks": ["0.0.0.0/0"]},
			{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}
		]}}}}`,
	},

	// HIPAA.Custom-NoUnrestrictedEgress
	{
		rule: "HIPAA.Custom-NoUnrestrictedEgress",
		name: "inline allow-all egress",
		stack: `{"resource": {"aws_security_group": {"sg": {"egress": [
			{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}
		]}}}}`,
		violates: true,
		message:  "egress to 0.0.0.0/0 on all protocols and ports",
	},
	{
		rule: "HIPAA.Custom-NoUnrestrictedEgress",
		name: "HTTPS egress to the IPv6 internet",
		stack: `{"resource": {"aws_vpc_security_group_egress_rule": {"out": {
			"security_group_id": "sg-1", "ip_protocol": "tcp",
			"from_port": 443, "to_port": 443, "cidr_ipv6": "::/0"
		}}}}`,
		violates: true,
		message:  "egress to ::/0 on protocol tcp port 443",
	},
	{
		rule: "HIPAA.Custom-NoUnrestrictedEgress",
		name: "egress to another security group",
		stack: `{"resource": {"aws_vpc_security_group_egress_rule": {"out": {
			"security_group_id": "sg-1", "ip_protocol": "tcp", "from_port": 443,
			"to_port": 443, "referenced_security_group_id": "sg-2"
		}}}}`,
	},

	// HIPAA.Custom-NoWildcardEndpointPolicy
	{
		rule: "HIPAA.Custom-NoWildcardEndpointPolicy",
		name: "interface endpoint without policy",
		stack: `{"resource": {"aws_vpc_endpoint": {"ssm": {
			"vpc_id": "vpc-1", "service_name": "com.amazonaws.us-east-1.ssm",
			"vpc_endpoint_type": "Interface"
		}}}}`,
		violates: true,
		message:  "has no policy",
	},
	{
		rule: "HIPAA.Custom-NoWildcardEndpointPolicy",
		name: "JSON policy with every action",
		stack: `{"resource": {"aws_vpc_endpoint": {"ssm": {
			"vpc_endpoint_type": "Interface", "service_name": "com.amazonaws.us-east-1.ssm",
			"policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",` +
			`\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},` +
			`\"Resource\":\"*\"}]}"
		}}}}`,
		violates: true,
		message:  `statement 1 allows action "*"`,
	},
	{
		rule: "HIPAA.Custom-NoWildcardEndpointPolicy",
		name: "data source policy with an open principal",
		stack: `{
			"data": {"aws_iam_policy_document": {"open": {"statement": [{
				"actions": ["bedrock:InvokeModel"], "resources": ["*"],
				"principals": [{"type": "AWS", "identifiers": ["*"]}]
			}]}}},
			"resource": {"aws_vpc_endpoint": {"bedrock": {
				"vpc_endpoint_type": "Interface",
				"service_name": "com.amazonaws.us-east-1.bedrock-runtime",
				"policy": "${data.aws_iam_policy_document.open.json}"
			}}}
		}`,
		violates: true,
		message:  `statement 1 allows principal "*"`,
	},
	{
		rule: "HIPAA.Custom-NoWildcardEndpointPolicy",
		name: "policy that cannot be evaluated",
		stack: `{"resource": {"aws_vpc_endpoint": {"ssm": {
			"vpc_endpoint_type": "Interface", "service_name": "com.amazonaws.us-east-1.ssm",
			"policy": "${file(\"policy.json\")}"
		}}}}`,
		violates: true,
		message:  "cannot be evaluated",
	},
	{
		rule: "HIPAA.Custom-NoWildcardEndpointPolicy",
		name: "open principal narrowed to the account",
		stack: `{
			"data": {"aws_iam_policy_document": {"narrow": {"statement": [{
				"actions": ["bedrock:InvokeModel"], "resources": ["*"],
				"principals": [{"type": "AWS", "identifiers": ["*"]}],
				"condition": [{"test": "StringEquals", "variable": "aws:PrincipalAccount",
					"values": ["111122223333"]}]
			}]}}},
			"resource": {"aws_vpc_endpoint": {"bedrock": {
				"vpc_endpoint_type": "Interface",
				"service_name": "com.amazonaws.us-east-1.bedrock-runtime",
				"policy": "${data.aws_iam_policy_document.narrow.json}"
			}}}
		}`,
	},
	{
		rule: "HIPAA.Custom-NoWildcardEndpointPolicy",
		name: "gateway endpoint without policy",
		stack: `{"resource": {"aws_vpc_endpoint": {"s3": {
			"vpc_id": "vpc-1", "service_name": "com.amazonaws.us-east-1.s3"
		}}}}`,
	},

	// HIPAA.Security-EC2IMDSv2Enabled
	{
		rule:     "HIPAA.Security-EC2IMDSv2Enabled",
		name:     "no metadata options",
		stack:    `{"resource": {"aws_instance": {"app": {` + instanceBase + `}}}}`,
		violates: true,
		message:  "metadata_options is not set",
	},
	{
		rule: "HIPAA.Security-EC2IMDSv2Enabled",
		name: "tokens optional",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"metadata_options": {"http_tokens": "optional"}}}}}`,
		violates: true,
		message:  `http_tokens is "optional"`,
	},
	{
		rule: "HIPAA.Security-EC2IMDSv2Enabled",
		name: "tokens required as an object",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"metadata_options": {"http_tokens": "required"}}}}}`,
	},
	{
		rule: "HIPAA.Security-EC2IMDSv2Enabled",
		name: "tokens required as a list",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"metadata_options": [{"http_tokens": "required"}]}}}}`,
	},

	// HIPAA.Security-EC2InstanceNoPublicIp
	{
		rule: "HIPAA.Security-EC2InstanceNoPublicIp",
		name: "public address requested",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"associate_public_ip_address": true}}}}`,
		violates: true,
		message:  "associate_public_ip_address is true",
	},
	{
		rule: "HIPAA.Security-EC2InstanceNoPublicIp",
		name: "public subnet",
		stack: `{"resource": {
			"aws_subnet": {"public": {"vpc_id": "vpc-1", "map_public_ip_on_launch": true}},
			"aws_instance": {"app": {` + instanceBase + `, "subnet_id": "${aws_subnet.public.id}"}}
		}}`,
		violates: true,
		message:  "map_public_ip_on_launch",
	},
	{
		rule: "HIPAA.Security-EC2InstanceNoPublicIp",
		name: "elastic IP",
		stack: `{"resource": {
			"aws_instance": {"app": {` + instanceBase + `}},
			"aws_eip": {"ip": {"instance": "${aws_instance.app.id}"}}
		}}`,
		violates: true,
		message:  "aws_eip.ip gives the instance a public address",
	},
	{
		rule: "HIPAA.Security-EC2InstanceNoPublicIp",
		name: "private subnet",
		stack: `{"resource": {
			"aws_subnet": {"private": {"vpc_id": "vpc-1"}},
			"aws_instance": {"app": {` + instanceBase + `, "subnet_id": "${aws_subnet.private.id}"}}
		}}`,
	},

	// HIPAA.Security-EC2InstanceProfileAttached
	{
		rule:     "HIPAA.Security-EC2InstanceProfileAttached",
		name:     "no profile",
		stack:    `{"resource": {"aws_instance": {"app": {` + instanceBase + `}}}}`,
		violates: true,
		message:  "iam_instance_profile is not set",
	},
	{
		rule: "HIPAA.Security-EC2InstanceProfileAttached",
		name: "profile",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"iam_instance_profile": "${aws_iam_instance_profile.app.name}"}}}}`,
	},

	// HIPAA.Security-EC2InstanceDetailedMonitoringEnabled
	{
		rule:     "HIPAA.Security-EC2InstanceDetailedMonitoringEnabled",
		name:     "basic monitoring",
		stack:    `{"resource": {"aws_instance": {"app": {` + instanceBase + `}}}}`,
		violates: true,
		message:  "monitoring is not set",
	},
	{
		rule: "HIPAA.Security-EC2InstanceDetailedMonitoringEnabled",
		name: "detailed monitoring",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"monitoring": true}}}}`,
	},

	// HIPAA.Security-EC2EBSOptimizedInstance
	{
		rule:     "HIPAA.Security-EC2EBSOptimizedInstance",
		name:     "optimization not set",
		stack:    `{"resource": {"aws_instance": {"app": {` + instanceBase + `}}}}`,
		violates: true,
		message:  "ebs_optimized is not set, want true",
	},
	{
		rule: "HIPAA.Security-EC2EBSOptimizedInstance",
		name: "optimization off",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"ebs_optimized": false}}}}`,
		violates: true,
		message:  "ebs_optimized is false, want true",
	},
	{
		rule: "HIPAA.Security-EC2EBSOptimizedInstance",
		name: "optimization on",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"ebs_optimized": true}}}}`,
	},

	// HIPAA.Custom-EBSEncrypted
	{
		rule:     "HIPAA.Custom-EBSEncrypted",
		name:     "root device not declared",
		stack:    `{"resource": {"aws_instance": {"app": {` + instanceBase + `}}}}`,
		violates: true,
		message:  "root_block_device is not set",
	},
	{
		rule: "HIPAA.Custom-EBSEncrypted",
		name: "encrypted with the AWS managed key",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"root_block_device": {"encrypted": true}}}}}`,
		violates: true,
		message:  "kms_key_id is not set",
	},
	{
		rule: "HIPAA.Custom-EBSEncrypted",
		name: "unencrypted standalone volume",
		stack: `{"resource": {"aws_ebs_volume": {"data": {
			"availability_zone": "us-east-1a", "size": 10}}}}`,
		violates: true,
		message:  "encrypted is not set",
	},
	{
		rule: "HIPAA.Custom-EBSEncrypted",
		name: "unencrypted attached device",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"root_block_device": {"encrypted": true, "kms_key_id": "${aws_kms_key.ebs.arn}"},
			"ebs_block_device": [{"device_name": "/dev/sdf", "encrypted": false}]}}}}`,
		violates: true,
		message:  "ebs_block_device 1: encrypted is false",
	},
	{
		rule: "HIPAA.Custom-EBSEncrypted",
		name: "root device with a stack key",
		stack: `{"resource": {"aws_instance": {"app": {` + instanceBase + `,
			"root_block_device": {"encrypted": true, "kms_key_id": "${aws_kms_key.ebs.arn}"}}}}}`,
	},
	{
		rule: "HIPAA.Custom-EBSEncrypted",
		name: "account default encryption",
		stack: `{"resource": {
			"aws_ebs_encryption_by_default": {"on": {"enabled": true}},
			"aws_ebs_default_kms_key": {"key": {"key_arn": "${aws_kms_key.ebs.arn}"}},
			"aws_instance": {"app": {` + instanceBase + `}}
		}}`,
	},

	// HIPAA.Security-ALBHttpToHttpsRedirection
	{
		rule: "HIPAA.Security-ALBHttpToHttpsRedirection",
		name: "HTTP listener forwards",
		stack: `{"resource": {
			"aws_lb": {"alb": {` + albBase + `}},
			"aws_lb_listener": {"http": {"load_balancer_arn": "${aws_lb.alb.arn}", "port": 80,
				"default_action": [{"type": "forward", "target_group_arn": "tg"}]}}
		}}`,
		violates: true,
		message:  "does not redirect to HTTPS",
	},
	{
		rule: "HIPAA.Security-ALBHttpToHttpsRedirection",
		name: "listener rule forwards plain HTTP",
		stack: `{"resource": {
			"aws_lb_listener": {"http": {"load_balancer_arn": "lb", "protocol": "HTTP",
				"default_action": [{"type": "redirect",
					"redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}}]}},
			"aws_lb_listener_rule": {"api": {"listener_arn": "${aws_lb_listener.http.arn}",
				"action": [{"type": "forward", "target_group_arn": "tg"}]}}
		}}`,
		violates: true,
		message:  "has a forward action",
	},
	{
		rule: "HIPAA.Security-ALBHttpToHttpsRedirection",
		name: "HTTP listener redirects",
		stack: `{"resource": {"aws_lb_listener": {"http": {
			"load_balancer_arn": "lb", "protocol": "HTTP", "port": 80,
			"default_action": {"type": "redirect",
				"redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}}
		}}}}`,
	},

	// HIPAA.Security-ELBv2ACMCertificateRequired
	{
		rule: "HIPAA.Security-ELBv2ACMCertificateRequired",
		name: "ALB without HTTPS",
		stack: `{"resource": {
			"aws_lb": {"alb": {` + albBase + `}},
			"aws_lb_listener": {"http": {"load_balancer_arn": "${aws_lb.alb.arn}",
				"protocol": "HTTP", "port": 80, "default_action": [{"type": "forward"}]}}
		}}`,
		violates: true,
		message:  "the ALB has no HTTPS listener",
	},
	{
		rule: "HIPAA.Security-ELBv2ACMCertificateRequired",
		name: "IAM server certificate",
		stack: `{"resource": {"aws_lb_listener": {"https": {
			"load_balancer_arn": "lb", "protocol": "HTTPS", "port": 443,
			"certificate_arn": "arn:aws:iam::111122223333:server-certificate/chat",
			"default_action": [{"type": "forward"}]
		}}}}`,
		violates: true,
		message:  "want an ACM certificate",
	},
	{
		rule: "HIPAA.Security-ELBv2ACMCertificateRequired",
		name: "HTTPS with a validated ACM certificate",
		stack: `{"resource": {
			"aws_lb": {"alb": {` + albBase + `}},
			"aws_lb_listener": {"https": {"load_balancer_arn": "${aws_lb.alb.arn}",
				"protocol": "HTTPS", "port": 443,
				"certificate_arn": "${aws_acm_certificate_validation.cert.certificate_arn}",
				"default_action": [{"type": "forward"}]}}
		}}`,
	},

	// HIPAA.Custom-ELBTLS13Policy
	{
		rule: "HIPAA.Custom-ELBTLS13Policy",
		name: "default policy",
		stack: `{"resource": {"aws_lb_listener": {"https": {
			"load_balancer_arn": "lb", "protocol": "HTTPS", "port": 443,
			"certificate_arn": "${aws_acm_certificate.cert.arn}"
		}}}}`,
		violates: true,
		message:  "ssl_policy is not set",
	},
	{
		rule: "HIPAA.Custom-ELBTLS13Policy",
		name: "TLS 1.2 policy",
		stack: `{"resource": {"aws_lb_listener": {"https": {
			"load_balancer_arn": "lb", "protocol": "HTTPS", "port": 443,
			"ssl_policy": "ELBSecurityPolicy-TLS-1-2-2017-01"
		}}}}`,
		violates: true,
		message:  `ssl_policy is "ELBSecurityPolicy-TLS-1-2-2017-01"`,
	},
	{
		rule: "HIPAA.Custom-ELBTLS13Policy",
		name: "TLS 1.3 policy that accepts TLS 1.0",
		stack: `{"resource": {"aws_lb_listener": {"https": {
			"load_balancer_arn": "lb", "protocol": "HTTPS", "port": 443,
			"ssl_policy": "ELBSecurityPolicy-TLS13-1-0-2021-06"
		}}}}`,
		violates: true,
		message:  `ssl_policy is "ELBSecurityPolicy-TLS13-1-0-2021-06"`,
	},
	{
		rule: "HIPAA.Custom-ELBTLS13Policy",
		name: "TLS 1.3 FIPS policy that accepts TLS 1.1",
		stack: `{"resource": {"aws_lb_listener": {"tls": {
			"load_balancer_arn": "lb", "protocol": "TLS", "port": 443,
			"ssl_policy": "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04"
		}}}}`,
		violates: true,
		message:  `ssl_policy is "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04"`,
	},
	{
		rule: "HIPAA.Custom-ELBTLS13Policy",
		name: "TLS 1.3 policy",
		stack: `{"resource": {"aws_lb_listener": {"https": {
			"load_balancer_arn": "lb", "protocol": "HTTPS", "port": 443,
			"ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"
		}}}}`,
	},
	{
		rule: "HIPAA.Custom-ELBTLS13Policy",
		name: "TLS 1.2 and 1.3 FIPS policy",
		stack: `{"resource": {"aws_lb_listener": {"https": {
			"load_balancer_arn": "lb", "protocol": "HTTPS", "port": 443,
			"ssl_policy": "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"
		}}}}`,
	},
	{
		rule: "HIPAA.Custom-ELBTLS13Policy",
		name: "TLS 1.3 only FIPS policy",
		stack: `{"resource": {"aws_lb_listener": {"https": {
			"load_balancer_arn": "lb", "protocol": "HTTPS", "port": 443,
			"ssl_policy": "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04"
		}}}}`,
	},

	// HIPAA.Security-ALBHttpDropInvalidHeaderEnabled
	{
		rule:     "HIPAA.Security-ALBHttpDropInvalidHeaderEnabled",
		name:     "headers kept",
		stack:    `{"resource": {"aws_lb": {"alb": {` + albBase + `}}}}`,
		violates: true,
		message:  "drop_invalid_header_fields is not set",
	},
	{
		rule: "HIPAA.Security-ALBHttpDropInvalidHeaderEnabled",
		name: "headers dropped",
		stack: `{"resource": {"aws_lb": {"alb": {` + albBase + `,
			"drop_invalid_header_fields": true}}}}`,
	},
	{
		rule: "HIPAA.Security-ALBHttpDropInvalidHeaderEnabled",
		name: "network load balancer",
		stack: `{"resource": {"aws_lb": {"nlb": {
			"load_balancer_type": "network", "subnets": ["subnet-1"]}}}}`,
	},

	// HIPAA.Security-ELBLoggingEnabled
	{
		rule:     "HIPAA.Security-ELBLoggingEnabled",
		name:     "no access logs",
		stack:    `{"resource": {"aws_lb": {"alb": {` + albBase + `}}}}`,
		violates: true,
		message:  "access_logs is not set",
	},
	{
		rule: "HIPAA.Security-ELBLoggingEnabled",
		name: "access logs disabled",
		stack: `{"resource": {"aws_lb": {"alb": {` + albBase + `,
			"access_logs": {"bucket": "logs", "enabled": false}}}}}`,
		violates: true,
		message:  "access_logs.enabled is false",
	},
	{
		rule: "HIPAA.Security-ELBLoggingEnabled",
		name: "access logs enabled",
		stack: `{"resource": {"aws_alb": {"alb": {` + albBase + `,
			"access_logs": [{"bucket": "${aws_s3_bucket.logs.id}", "enabled": true}]}}}}`,
	},

	// HIPAA.Security-ELBDeletionProtectionEnabled
	{
		rule: "HIPAA.Security-ELBDeletionProtectionEnabled",
		name: "unprotected",
		stack: `{"resource": {"aws_lb": {"alb": {` + albBase + `,
			"enable_deletion_protection": false}}}}`,
		violates: true,
		message:  "enable_deletion_protection is false",
	},
	{
		rule: "HIPAA.Security-ELBDeletionProtectionEnabled",
		name: "protected",
		stack: `{"resource": {"aws_lb": {"alb": {` + albBase + `,
			"enable_deletion_protection": true}}}}`,
	},

	// HIPAA.Custom-ALBWAFEnabled
	{
		rule:     "HIPAA.Custom-ALBWAFEnabled",
		name:     "no web ACL",
		stack:    `{"resource": {"aws_lb": {"alb": {` + albBase + `}}}}`,
		violates: true,
		message:  "no aws_wafv2_web_acl_association",
	},
	{
		rule: "HIPAA.Custom-ALBWAFEnabled",
		name: "web ACL associated",
		stack: `{"resource": {
			"aws_lb": {"alb": {` + albBase + `}},
			"aws_wafv2_web_acl_association": {"waf": {"resource_arn": "${aws_lb.alb.arn}",
				"web_acl_arn": "${aws_wafv2_web_acl.acl.arn}"}}
		}}`,
	},

	// HIPAA.Security-WAFv2LoggingEnabled
	{
		rule: "HIPAA.Security-WAFv2LoggingEnabled",
		name: "no logging",
		stack: `{"resource": {"aws_wafv2_web_acl": {"acl": {
			"name": "acl", "scope": "REGIONAL", "default_action": {"allow": {}}}}}}`,
		violates: true,
		message:  "no aws_wafv2_web_acl_logging_configuration",
	},
	{
		rule: "HIPAA.Security-WAFv2LoggingEnabled",
		name: "logging configured",
		stack: `{"resource": {
			"aws_wafv2_web_acl": {"acl": {"name": "acl", "scope": "REGIONAL"}},
			"aws_wafv2_web_acl_logging_configuration": {"logs": {
				"resource_arn": "${aws_wafv2_web_acl.acl.arn}",
				"log_destination_configs": ["${aws_cloudwatch_log_group.waf.arn}"]}}
		}}`,
	},

	// HIPAA.Security-IAMNoInlinePolicy
	{
		rule: "HIPAA.Security-IAMNoInlinePolicy",
		name: "role policy resource",
		stack: `{"resource": {"aws_iam_role_policy": {"inline": {
			"role": "app", "policy": "{\"Statement\":[]}"}}}}`,
		violates: true,
		message:  "aws_iam_role_policy is an inline policy",
	},
	{
		rule: "HIPAA.Security-IAMNoInlinePolicy",
		name: "inline_policy block",
		stack: `{"resource": {"aws_iam_role": {"app": {"assume_role_policy": "{}",
			"inline_policy": [{"name": "extra", "policy": "{\"Statement\":[]}"}]}}}}`,
		violates: true,
		message:  `inline_policy block named "extra"`,
	},
	{
		rule: "HIPAA.Security-IAMNoInlinePolicy",
		name: "managed policy and an empty inline_policy block",
		stack: `{"resource": {
			"aws_iam_role": {"app": {"assume_role_policy": "{}", "inline_policy": [{}]}},
			"aws_iam_policy": {"app": {"policy": "{\"Statement\":[{\"Effect\":\"Allow\",` +
			`\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"}},
			"aws_iam_role_policy_attachment": {"app": {"role": "${aws_iam_role.app.name}",
				"policy_arn": "${aws_iam_policy.app.arn}"}}
		}}`,
	},

	// HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess",
		name: "JSON policy with everything",
		stack: `{"resource": {"aws_iam_policy": {"admin": {
			"policy": "{\"Version\":\"2012-10-17\",` +
			`\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"
		}}}}`,
		violates: true,
		message:  `policy statement 1 allows action "*" on resource "*"`,
	},
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess",
		name: "AdministratorAccess attached",
		stack: `{"resource": {"aws_iam_role_policy_attachment": {"admin": {
			"role": "app", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}}}}`,
		violates: true,
		message:  "attaches the AWS managed policy AdministratorAccess",
	},
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess",
		name: "AdministratorAccess attached with the partition interpolated",
		stack: `{"resource": {"aws_iam_role_policy_attachment": {"admin": {
			"role": "app", "policy_arn": "arn:${data.aws_partition.current.partition}:` +
			`iam::aws:policy/AdministratorAccess"}}}}`,
		violates: true,
		message:  "attaches the AWS managed policy AdministratorAccess",
	},
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess",
		name: "jsonencode with a function call",
		stack: `{"resource": {"aws_iam_policy": {"merged": {
			"policy": "${jsonencode({\"Statement\" = concat(local.base, local.extra)})}"
		}}}}`,
		violates: true,
		message:  "policy cannot be evaluated",
	},
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess",
		name: "jsonencode policy scoped to Bedrock",
		stack: `{"resource": {"aws_iam_policy": {"app": {
			"policy": "${jsonencode({\"Statement\" = [{\"Action\" = [\"bedrock:InvokeModel\"],` +
			` \"Effect\" = \"Allow\", \"Resource\" = \"*\"}],` +
			` \"Version\" = \"2012-10-17\"})}"
		}}}}`,
	},

	// HIPAA.Security-IAMPolicyNoStatementsWithFullAccess
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess",
		name: "data source with a service wildcard",
		stack: `{
			"data": {"aws_iam_policy_document": {"s3": {"statement": [{
				"actions": ["s3:*"], "resources": ["${aws_s3_bucket.logs.arn}"]}]}}},
			"resource": {"aws_iam_policy": {"s3": {
				"policy": "${data.aws_iam_policy_document.s3.json}"}}}
		}`,
		violates: true,
		message:  `policy statement 1 allows "s3:*"`,
	},
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess",
		name: "FullAccess managed policy in the role",
		stack: `{"resource": {"aws_iam_role": {"app": {"assume_role_policy": "{}",
			"managed_policy_arns": ["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"]}}}}`,
		violates: true,
		message:  "AmazonBedrockFullAccess",
	},
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess",
		name: "FullAccess managed policy attached with the partition interpolated",
		stack: `{"resource": {"aws_iam_role_policy_attachment": {"bedrock": {
			"role": "app", "policy_arn": "arn:${data.aws_partition.current.partition}:` +
			`iam::aws:policy/AmazonBedrockFullAccess"}}}}`,
		violates: true,
		message:  "attaches the AWS managed policy AmazonBedrockFullAccess",
	},
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess",
		name: "narrow managed policy attached with the partition interpolated",
		stack: `{"resource": {"aws_iam_role_policy_attachment": {"ssm": {
			"role": "app", "policy_arn": "arn:${data.aws_partition.current.partition}:` +
			`iam::aws:policy/AmazonSSMManagedInstanceCore"}}}}`,
	},
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess",
		name: "NotAction",
		stack: `{"resource": {"aws_iam_policy": {"broad": {
			"policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",` +
			`\"Resource\":\"*\"}]}"
		}}}}`,
		violates: true,
		message:  "every action except its NotAction list",
	},
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess",
		name: "jsonencode with a reference and a service wildcard",
		stack: `{"resource": {"aws_iam_policy": {"logs": {
			"policy": "${jsonencode({\"Statement\" = [{\"Action\" = \"logs:*\",` +
			` \"Effect\" = \"Allow\",` +
			` \"Resource\" = aws_cloudwatch_log_group.app.arn}]})}"
		}}}}`,
		violates: true,
		message:  `allows "logs:*"`,
	},
	{
		rule: "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess",
		name: "named actions and a deny with a wildcard",
		stack: `{"resource": {"aws_iam_policy": {"app": {
			"policy": "{\"Statement\":[{\"Effect\":\"Allow\",` +
			`\"Action\":[\"s3:GetObject\"],\"Resource\":\"*\"},{\"Effect\":\"Deny\",` +
			`\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"
		}}}}`,
	},

	// HIPAA.Security-S3BucketLevelPublicAccessProhibited
	{
		rule:     "HIPAA.Security-S3BucketLevelPublicAccessProhibited",
		name:     "no public access block",
		stack:    `{"resource": {"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-"}}}}`,
		violates: true,
		message:  "no aws_s3_bucket_public_access_block",
	},
	{
		rule: "HIPAA.Security-S3BucketLevelPublicAccessProhibited",
		name: "partial block",
		stack: `{"resource": {
			"aws_s3_bucket": {"logs": {"bucket": "chat-logs"}},
			"aws_s3_bucket_public_access_block": {"logs": {"bucket": "chat-logs",
				"block_public_acls": true, "block_public_policy": true}}
		}}`,
		violates: true,
		message:  "ignore_public_acls, restrict_public_buckets",
	},
	{
		rule: "HIPAA.Security-S3BucketLevelPublicAccessProhibited",
		name: "complete block",
		stack: `{"resource": {
			"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-"}},
			"aws_s3_bucket_public_access_block": {"logs": {"bucket": "${aws_s3_bucket.logs.id}",
				"block_public_acls": true, "block_public_policy": true,
				"ignore_public_acls": true, "restrict_public_buckets": true}}
		}}`,
	},
	{
		rule: "HIPAA.Security-S3BucketLevelPublicAccessProhibited",
		name: "account-wide block",
		stack: `{"resource": {
			"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-"}},
			"aws_s3_account_public_access_block": {"account": {
				"block_public_acls": true, "block_public_policy": true,
				"ignore_public_acls": true, "restrict_public_buckets": true}}
		}}`,
	},

	// HIPAA.Security-S3BucketSSLRequestsOnly
	{
		rule:     "HIPAA.Security-S3BucketSSLRequestsOnly",
		name:     "no bucket policy",
		stack:    `{"resource": {"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-"}}}}`,
		violates: true,
		message:  "the bucket has no policy",
	},
	{
		rule: "HIPAA.Security-S3BucketSSLRequestsOnly",
		name: "deny covers objects only",
		stack: `{
			"data": {"aws_iam_policy_document": {"tls": {"statement": [{
				"effect": "Deny", "actions": ["s3:*"],
				"principals": [{"type": "*", "identifiers": ["*"]}],
				"resources": ["${aws_s3_bucket.logs.arn}/*"],
				"condition": [{"test": "Bool", "variable": "aws:SecureTransport",
					"values": ["false"]}]}]}}},
			"resource": {
				"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-"}},
				"aws_s3_bucket_policy": {"logs": {"bucket": "${aws_s3_bucket.logs.id}",
					"policy": "${data.aws_iam_policy_document.tls.json}"}}
			}
		}`,
		violates: true,
		message:  "no bucket policy statement denies",
	},
	{
		rule: "HIPAA.Security-S3BucketSSLRequestsOnly",
		name: "policy from a missing data source",
		stack: `{"resource": {
			"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-"}},
			"aws_s3_bucket_policy": {"logs": {"bucket": "${aws_s3_bucket.logs.id}",
				"policy": "${data.aws_iam_policy_document.gone.json}"}}
		}}`,
		violates: true,
		message:  "the bucket policy cannot be evaluated",
	},
	{
		rule: "HIPAA.Security-S3BucketSSLRequestsOnly",
		name: "data source denies insecure transport",
		stack: `{
			"data": {"aws_iam_policy_document": {"tls": {"statement": [{
				"effect": "Deny", "actions": ["s3:*"],
				"principals": [{"type": "AWS", "identifiers": ["*"]}],
				"resources": ["${aws_s3_bucket.logs.arn}", "${aws_s3_bucket.logs.arn}/*"],
				"condition": [{"test": "Bool", "variable": "aws:SecureTransport",
					"values": ["false"]}]}]}}},
			"resource": {
				"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-"}},
				"aws_s3_bucket_policy": {"logs": {"bucket": "${aws_s3_bucket.logs.id}",
					"policy": "${data.aws_iam_policy_document.tls.json}"}}
			}
		}`,
	},
	{
		rule: "HIPAA.Security-S3BucketSSLRequestsOnly",
		name: "JSON policy on a literal bucket name",
		stack: `{"resource": {
			"aws_s3_bucket": {"logs": {"bucket": "chat-logs"}},
			"aws_s3_bucket_policy": {"logs": {"bucket": "chat-logs",
				"policy": "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",` +
			`\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::chat-logs\",` +
			`\"arn:aws:s3:::chat-logs/*\"],` +
			`\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"}}
		}}`,
	},

	// HIPAA.Security-S3BucketVersioningEnabled
	{
		rule:     "HIPAA.Security-S3BucketVersioningEnabled",
		name:     "no versioning",
		stack:    `{"resource": {"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-"}}}}`,
		violates: true,
		message:  "no aws_s3_bucket_versioning",
	},
	{
		rule: "HIPAA.Security-S3BucketVersioningEnabled",
		name: "versioning suspended",
		stack: `{"resource": {
			"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-"}},
			"aws_s3_bucket_versioning": {"logs": {"bucket": "${aws_s3_bucket.logs.id}",
				"versioning_configuration": {"status": "Suspended"}}}
		}}`,
		violates: true,
		message:  "does not set versioning_configuration.status to Enabled",
	},
	{
		rule: "HIPAA.Security-S3BucketVersioningEnabled",
		name: "versioning enabled",
		stack: `{"resource": {
			"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-"}},
			"aws_s3_bucket_versioning": {"logs": {"bucket": "${aws_s3_bucket.logs.id}",
				"versioning_configuration": {"status": "Enabled"}}}
		}}`,
	},
	{
		rule: "HIPAA.Security-S3BucketVersioningEnabled",
		name: "legacy versioning block",
		stack: `{"resource": {"aws_s3_bucket": {"logs": {"bucket_prefix": "logs-",
			"versioning": {"enabled": true}}}}}`,
	},

	// HIPAA.Security-CloudWatchLogGroupEncrypted
	{
		rule: "HIPAA.Security-CloudWatchLogGroupEncrypted",
		name: "no key",
		stack: `{"resource": {"aws_cloudwatch_log_group": {"app": {
			"name": "app", "retention_in_days": 365}}}}`,
		violates: true,
		message:  "kms_key_id is not set",
	},
	{
		rule: "HIPAA.Security-CloudWatchLogGroupEncrypted",
		name: "key",
		stack: `{"resource": {"aws_cloudwatch_log_group": {"app": {
			"name": "app", "kms_key_id": "${aws_kms_key.logs.arn}"}}}}`,
	},

	// HIPAA.Security-CloudWatchLogGroupRetentionPeriod
	{
		rule:     "HIPAA.Security-CloudWatchLogGroupRetentionPeriod",
		name:     "retention not set",
		stack:    `{"resource": {"aws_cloudwatch_log_group": {"app": {"name": "app"}}}}`,
		violates: true,
		message:  "retention_in_days is not set",
	},
	{
		rule: "HIPAA.Security-CloudWatchLogGroupRetentionPeriod",
		name: "one month",
		stack: `{"resource": {"aws_cloudwatch_log_group": {"app": {
			"name": "app", "retention_in_days": 30}}}}`,
		violates: true,
		message:  "retention_in_days is 30, want at least 365 days",
	},
	{
		rule: "HIPAA.Security-CloudWatchLogGroupRetentionPeriod",
		name: "six years",
		stack: `{"resource": {"aws_cloudwatch_log_group": {"app": {
			"name": "app", "retention_in_days": 2192}}}}`,
	},

	// HIPAA.Security-KMSBackingKeyRotationEnabled
	{
		rule:     "HIPAA.Security-KMSBackingKeyRotationEnabled",
		name:     "rotation off",
		stack:    `{"resource": {"aws_kms_key": {"logs": {"description": "logs"}}}}`,
		violates: true,
		message:  "enable_key_rotation is not set",
	},
	{
		rule: "HIPAA.Security-KMSBackingKeyRotationEnabled",
		name: "rotation on",
		stack: `{"resource": {"aws_kms_key": {"logs": {
			"description": "logs", "enable_key_rotation": true}}}}`,
	},
	{
		rule: "HIPAA.Security-KMSBackingKeyRotationEnabled",
		name: "asymmetric key",
		stack: `{"resource": {"aws_kms_key": {"signing": {
			"customer_master_key_spec": "RSA_2048", "key_usage": "SIGN_VERIFY"}}}}`,
	},

	// HIPAA.Custom-SSMSessionLogging
	{
		rule:     "HIPAA.Custom-SSMSessionLogging",
		name:     "instance without session preferences",
		stack:    `{"resource": {"aws_instance": {"app": {` + instanceBase + `}}}}`,
		violates: true,
		message:  "no aws_ssm_document named SSM-SessionManagerRunShell",
	},
	{
		rule: "HIPAA.Custom-SSMSessionLogging",
		name: "logging without encryption",
		stack: `{"resource": {"aws_ssm_document": {"prefs": {
			"name": "SSM-SessionManagerRunShell", "document_type": "Session",
			"content": "{\"schemaVersion\":\"1.0\",` +
			`\"inputs\":{\"cloudWatchLogGroupName\":\"sessions\",` +
			`\"cloudWatchEncryptionEnabled\":false}}"
		}}}}`,
		violates: true,
		message:  "sets neither cloudWatchLogGroupName",
	},
	{
		rule: "HIPAA.Custom-SSMSessionLogging",
		name: "preferences under another name",
		stack: `{"resource": {"aws_ssm_document": {"prefs": {
			"name": "chat-sessions", "document_type": "Session",
			"content": "{\"schemaVersion\":\"1.0\",` +
			`\"inputs\":{\"s3BucketName\":\"sessions\",\"s3EncryptionEnabled\":true}}"
		}}}}`,
		violates: true,
		message:  `the Session document is named "chat-sessions"`,
	},
	{
		rule: "HIPAA.Custom-SSMSessionLogging",
		name: "encrypted logging to CloudWatch",
		stack: `{"resource": {
			"aws_instance": {"app": {` + instanceBase + `}},
			"aws_ssm_document": {"prefs": {
				"name": "SSM-SessionManagerRunShell", "document_type": "Session",
				"content": "{\"schemaVersion\":\"1.0\",` +
			`\"inputs\":{\"cloudWatchLogGroupName\":` +
			`\"${aws_cloudwatch_log_group.sessions.name}\",` +
			`\"cloudWatchEncryptionEnabled\":true}}"
			}}
		}}`,
	},
}
