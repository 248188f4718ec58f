package constructs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/constructs"
)

func TestAccessLogsRefuseIncompleteProps(t *testing.T) {
	valid := constructs.AccessLogsProps{
		NamePrefix:     "chat",
		ExpirationDays: 365,
	}
	tests := []struct {
		name   string
		change func(*constructs.AccessLogsProps)
		want   []string
	}{
		{"no name prefix", func(p *constructs.AccessLogsProps) { p.NamePrefix = "" },
			[]string{"name prefix is empty"}},
		{"no expiration", func(p *constructs.AccessLogsProps) { p.ExpirationDays = 0 },
			[]string{"expiration days 0", "want 1 or more"}},
		{"negative expiration", func(p *constructs.AccessLogsProps) { p.ExpirationDays = -30 },
			[]string{"expiration days -30", "want 1 or more"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := valid
			tt.change(&props)
			_, err := constructs.NewAccessLogsConstruct(nil, "access-logs", props)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `access logs "access-logs"`)
			for _, want := range tt.want {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}
