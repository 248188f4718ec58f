package constructs_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/constructs"
)

func TestWebACLRefusesIncompleteProps(t *testing.T) {
	valid := constructs.WebACLProps{
		NamePrefix:       "chat",
		LoadBalancerARN:  jsii.String("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/a/b"),
		RateLimit:        2000,
		LogKeyARN:        jsii.String("arn:aws:kms:us-east-1:1:key/k"),
		LogRetentionDays: 365,
	}
	tests := []struct {
		name   string
		change func(*constructs.WebACLProps)
		want   []string
	}{
		{"no name prefix", func(p *constructs.WebACLProps) { p.NamePrefix = "" },
			[]string{"name prefix is empty"}},
		{"no load balancer", func(p *constructs.WebACLProps) { p.LoadBalancerARN = nil },
			[]string{"load balancer ARN is missing"}},
		{"rate limit zero", func(p *constructs.WebACLProps) { p.RateLimit = 0 },
			[]string{"rate limit 0", "outside 100-2000000000"}},
		{"rate limit too low", func(p *constructs.WebACLProps) { p.RateLimit = 99 },
			[]string{"rate limit 99", "outside 100-2000000000"}},
		{"rate limit too high", func(p *constructs.WebACLProps) { p.RateLimit = 2_000_000_001 },
			[]string{"rate limit 2000000001", "outside 100-2000000000"}},
		{"no log key", func(p *constructs.WebACLProps) { p.LogKeyARN = nil },
			[]string{"log key ARN is missing", "customer-managed KMS key"}},
		{"no retention", func(p *constructs.WebACLProps) { p.LogRetentionDays = 0 },
			[]string{"log retention 0 days", "want one of 1, 3, 5, 7, 14,"}},
		{"retention CloudWatch refuses", func(p *constructs.WebACLProps) {
			p.LogRetentionDays = 366
		}, []string{"log retention 366 days", "365, 400", "3288, 3653"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := valid
			tt.change(&props)
			_, err := constructs.NewWebACLConstruct(nil, "web-acl", props)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `web ACL "web-acl"`)
			for _, want := range tt.want {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}
