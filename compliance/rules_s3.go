package compliance

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// storageRules returns the rules for S3 buckets.
func storageRules() []Rule {
	return []Rule{
		{
			ID:        "HIPAA.Security-S3BucketLevelPublicAccessProhibited",
			Safeguard: SafeguardAccessControl,
			Description: "Every bucket, or the whole account, blocks public ACLs and " +
				"public policies.",
			Fix: "Add an aws_s3_bucket_public_access_block for the bucket with all four " +
				"block_public_acls, block_public_policy, ignore_public_acls and " +
				"restrict_public_buckets set to true.",
			ResourceTypes: []string{"aws_s3_bucket"},
			check:         checkPublicAccessBlock,
		},
		{
			ID:        "HIPAA.Security-S3BucketSSLRequestsOnly",
			Safeguard: SafeguardTransmission,
			Description: "Every bucket policy denies requests that do not use TLS, on " +
				"the bucket and on its objects.",
			Fix: "Add a bucket policy statement that denies s3:* to principal \"*\" on " +
				"the bucket ARN and ARN/* when aws:SecureTransport is false.",
			ResourceTypes: []string{"aws_s3_bucket"},
			check:         checkSSLRequestsOnly,
		},
		{
			ID:          "HIPAA.Security-S3BucketVersioningEnabled",
			Safeguard:   SafeguardIntegrity,
			Description: "Every bucket keeps object versions.",
			Fix: "Add an aws_s3_bucket_versioning for the bucket with " +
				"versioning_configuration.status set to Enabled.",
			ResourceTypes: []string{"aws_s3_bucket"},
			check:         checkVersioning,
		},
	}
}

// bucketChildren returns the resources of kind whose bucket argument names
// the bucket, by reference or by its literal name.
func bucketChildren(s *stack, kind string, bucket *resource) []*resource {
	name := stringAttr(bucket.attrs, "bucket")
	var out []*resource
	for _, r := range s.ofType(kind) {
		literal := name != "" && !isExpression(name) && stringAttr(r.attrs, "bucket") == name
		if literal || refersTo(r.attrs["bucket"], bucket) {
			out = append(out, r)
		}
	}
	return out
}

// publicAccessFlags are the four settings of a public access block.
var publicAccessFlags = []string{
	"block_public_acls",
	"block_public_policy",
	"ignore_public_acls",
	"restrict_public_buckets",
}

// missingFlags returns the public access flags that are not true.
func missingFlags(attrs map[string]any) []string {
	var out []string
	for _, flag := range publicAccessFlags {
		if !isTrue(attrs, flag) {
			out = append(out, flag)
		}
	}
	return out
}

// checkPublicAccessBlock requires a complete public access block.
func checkPublicAccessBlock(s *stack) []violation {
	// Accept every bucket when the account blocks public access.
	for _, account := range s.ofType("aws_s3_account_public_access_block") {
		if len(missingFlags(account.attrs)) == 0 {
			return nil
		}
	}

	// Otherwise require a complete block for each bucket.
	var out []violation
	for _, bucket := range s.ofType("aws_s3_bucket") {
		blocksOfBucket := bucketChildren(s, "aws_s3_bucket_public_access_block", bucket)
		if len(blocksOfBucket) == 0 {
			out = append(out, fail(bucket, "no aws_s3_bucket_public_access_block names "+
				"this bucket"))
			continue
		}
		if missing := missingFlags(blocksOfBucket[0].attrs); len(missing) > 0 {
			out = append(out, fail(bucket, "%s does not set %s to true",
				blocksOfBucket[0].address(), strings.Join(missing, ", ")))
		}
	}
	return out
}

// checkSSLRequestsOnly requires a policy that denies plain HTTP requests.
func checkSSLRequestsOnly(s *stack) []violation {
	var out []violation
	for _, bucket := range s.ofType("aws_s3_bucket") {
		// Gather the bucket's policies: the legacy argument and the resources.
		var values []any
		if v, ok := bucket.attrs["policy"]; ok {
			values = append(values, v)
		}
		for _, p := range bucketChildren(s, "aws_s3_bucket_policy", bucket) {
			values = append(values, p.attrs["policy"])
		}
		if len(values) == 0 {
			out = append(out, fail(bucket, "the bucket has no policy, so plain HTTP "+
				"requests are not denied"))
			continue
		}

		// Accept the bucket when one policy denies insecure transport.
		var problems []error
		enforced := false
		for _, value := range values {
			statements, err := s.loadPolicy(value)
			if err != nil {
				problems = append(problems, fmt.Errorf("the bucket policy cannot be "+
					"evaluated: %w", err))
				continue
			}
			enforced = enforced || slices.ContainsFunc(statements, func(st statement) bool {
				return deniesInsecureTransport(st, bucket)
			})
		}
		switch {
		case enforced:
		case len(problems) > 0:
			out = append(out, fail(bucket, "%v", errors.Join(problems...)))
		default:
			out = append(out, fail(bucket, "no bucket policy statement denies s3:* to "+
				"\"*\" on the bucket and its objects when aws:SecureTransport is false"))
		}
	}
	return out
}

// deniesInsecureTransport reports whether st denies every S3 action to
// everyone on the bucket and its objects when TLS is not used.
func deniesInsecureTransport(st statement, bucket *resource) bool {
	// Require a Deny of every S3 action to every principal.
	if st.allow || !slices.ContainsFunc(st.principals, isAnyone) {
		return false
	}
	if !slices.ContainsFunc(st.actions, func(a string) bool {
		return a == "s3:*" || isWildcardAction(a)
	}) {
		return false
	}

	// Require the aws:SecureTransport false condition.
	insecure := slices.ContainsFunc(st.conditions, func(c condition) bool {
		return strings.HasPrefix(c.test, "Bool") &&
			strings.EqualFold(c.variable, "aws:SecureTransport") &&
			slices.Contains(c.values, "false")
	})
	if !insecure {
		return false
	}

	// Require both the bucket and its objects among the resources.
	var onBucket, onObjects bool
	for _, arn := range st.resources {
		bucketLevel, objectLevel := bucketResourceScope(arn, bucket)
		onBucket = onBucket || bucketLevel
		onObjects = onObjects || objectLevel
	}
	return onBucket && onObjects
}

// bucketResourceScope reports whether a policy resource covers the bucket
// itself and whether it covers all of its objects.
func bucketResourceScope(arn string, bucket *resource) (bucketLevel, objectLevel bool) {
	if arn == "*" {
		return true, true
	}

	// Strip the reference to the bucket, or its literal ARN, and look at
	// what follows it.
	var rest string
	name := stringAttr(bucket.attrs, "bucket")
	switch {
	case refersTo(arn, bucket):
		rest = interpolation.ReplaceAllString(arn, "")
	case name != "" && !isExpression(name) && strings.HasPrefix(arn, "arn:aws:s3:::"+name):
		rest = strings.TrimPrefix(arn, "arn:aws:s3:::"+name)
	default:
		return false, false
	}
	return rest == "", rest == "/*"
}

// checkVersioning requires versioning on every bucket.
func checkVersioning(s *stack) []violation {
	var out []violation
	for _, bucket := range s.ofType("aws_s3_bucket") {
		// Accept the legacy versioning block.
		legacy := slices.ContainsFunc(blocks(bucket.attrs["versioning"]),
			func(b map[string]any) bool { return isTrue(b, "enabled") })
		if legacy {
			continue
		}

		// Otherwise require an aws_s3_bucket_versioning that enables it.
		configs := bucketChildren(s, "aws_s3_bucket_versioning", bucket)
		if len(configs) == 0 {
			out = append(out, fail(bucket, "no aws_s3_bucket_versioning names this bucket"))
			continue
		}
		for _, config := range configs {
			settings := blocks(config.attrs["versioning_configuration"])
			if len(settings) == 0 || stringAttr(settings[0], "status") != "Enabled" {
				out = append(out, fail(bucket, "%s does not set "+
					"versioning_configuration.status to Enabled", config.address()))
			}
		}
	}
	return out
}
