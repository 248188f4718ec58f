package config_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/app/internal/config"
)

func TestLoadDefaults(t *testing.T) {
	cfg, err := config.Load(env(map[string]string{"AWS_REGION": "eu-central-1"}))
	require.NoError(t, err)

	assert.Equal(t, config.Config{
		ListenAddr:       ":5212",
		Region:           "eu-central-1",
		ModelID:          "mistral.mistral-large-2402-v1:0",
		DefaultMaxTokens: 200,
		MaxTokensLimit:   4096,
		MaxBodyBytes:     65536,
		UpstreamTimeout:  30 * time.Second,
		MaxConcurrent:    16,
	}, cfg)
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		vars    map[string]string
		wantErr string
	}{
		{name: "region missing", vars: map[string]string{}, wantErr: `AWS_REGION=""`},
		{
			name:    "not a number",
			vars:    map[string]string{"CHAT_MAX_CONCURRENT": "many"},
			wantErr: `CHAT_MAX_CONCURRENT="many": must be an integer from 1 to 1024`,
		},
		{
			name:    "below range",
			vars:    map[string]string{"CHAT_MAX_BODY_BYTES": "10"},
			wantErr: `CHAT_MAX_BODY_BYTES="10": must be an integer from 1024 to 10485760`,
		},
		{
			name:    "bad duration",
			vars:    map[string]string{"CHAT_UPSTREAM_TIMEOUT": "30"},
			wantErr: `CHAT_UPSTREAM_TIMEOUT="30": must be a duration from 100ms to 10m`,
		},
		{
			name:    "duration too long",
			vars:    map[string]string{"CHAT_UPSTREAM_TIMEOUT": "1h"},
			wantErr: `CHAT_UPSTREAM_TIMEOUT="1h"`,
		},
		{
			name:    "listen address without a port",
			vars:    map[string]string{"CHAT_LISTEN_ADDR": "localhost"},
			wantErr: `CHAT_LISTEN_ADDR="localhost": must be host:port or :port`,
		},
		{
			name:    "region that is not a region",
			vars:    map[string]string{"AWS_REGION": "virginia"},
			wantErr: `AWS_REGION="virginia": must be a region such as us-east-1`,
		},
		{
			name:    "model ID with a space",
			vars:    map[string]string{"CHAT_MODEL_ID": "mistral large"},
			wantErr: `CHAT_MODEL_ID="mistral large": must be a Bedrock model ID without spaces`,
		},
		{
			name: "default above limit",
			vars: map[string]string{
				"CHAT_DEFAULT_MAX_TOKENS": "500",
				"CHAT_MAX_TOKENS_LIMIT":   "100",
			},
			wantErr: `CHAT_DEFAULT_MAX_TOKENS="500": must not exceed CHAT_MAX_TOKENS_LIMIT`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := tt.vars["AWS_REGION"]; !ok && tt.name != "region missing" {
				tt.vars["AWS_REGION"] = "us-east-1"
			}

			_, err := config.Load(env(tt.vars))

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestLoadReportsEveryBadVariable(t *testing.T) {
	_, err := config.Load(env(map[string]string{
		"CHAT_MAX_CONCURRENT":   "0",
		"CHAT_UPSTREAM_TIMEOUT": "soon",
	}))

	require.Error(t, err)
	for _, name := range []string{"AWS_REGION", "CHAT_MAX_CONCURRENT", "CHAT_UPSTREAM_TIMEOUT"} {
		assert.Contains(t, err.Error(), name)
	}
}

func TestMaxHeaderBytes(t *testing.T) {
	tests := []struct {
		maxBody int64
		want    int
	}{
		{maxBody: 1024, want: 3*1024 + 16<<10},
		{maxBody: 65536, want: 3*65536 + 16<<10},
		{maxBody: 10 << 20, want: 30<<20 + 16<<10},
	}
	for _, tt := range tests {
		t.Run(strconv.FormatInt(tt.maxBody, 10), func(t *testing.T) {
			cfg := config.Config{MaxBodyBytes: tt.maxBody}

			assert.Equal(t, tt.want, cfg.MaxHeaderBytes())
		})
	}
}

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}
