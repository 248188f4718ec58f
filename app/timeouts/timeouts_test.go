package timeouts_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/app/timeouts"
)

func TestParseUpstream(t *testing.T) {
	tests := []struct {
		value   string
		want    time.Duration
		wantErr string
	}{
		{value: "", want: 30 * time.Second},
		{value: "100ms", want: 100 * time.Millisecond},
		{value: "10m", want: 10 * time.Minute},
		{value: "90s", want: 90 * time.Second},
		{value: "30", wantErr: `CHAT_UPSTREAM_TIMEOUT="30": must be a duration from 100ms`},
		{value: "99ms", wantErr: `CHAT_UPSTREAM_TIMEOUT="99ms"`},
		{value: "1h", wantErr: `CHAT_UPSTREAM_TIMEOUT="1h"`},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, err := timeouts.ParseUpstream(tt.value)

			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestWriteAndDrain(t *testing.T) {
	tests := []struct {
		upstream time.Duration
		want     time.Duration
	}{
		{upstream: 100 * time.Millisecond, want: 20*time.Second + 100*time.Millisecond},
		{upstream: 30 * time.Second, want: 50 * time.Second},
		{upstream: 10 * time.Minute, want: 10*time.Minute + 20*time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.upstream.String(), func(t *testing.T) {
			write := timeouts.Write(tt.upstream)

			// A reply can be written after the slowest body and model call.
			assert.Equal(t, tt.want, write)
			assert.GreaterOrEqual(t, write, timeouts.Read+tt.upstream+timeouts.Margin)
			assert.Equal(t, write, timeouts.Drain(tt.upstream))
		})
	}
}
