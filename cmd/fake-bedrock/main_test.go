package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	// Accepts -update, so that go test ./... -update runs this package too.
	_ "github.com/bedrock-chat/stack/internal/golden"
)

func TestConverse(t *testing.T) {
	var logs bytes.Buffer
	server := httptest.NewServer(newHandler(slog.New(slog.NewJSONHandler(&logs, nil))))
	defer server.Close()

	tests := []struct {
		name   string
		path   string
		body   string
		status int
		want   string
	}{
		{
			name:   "a reply that counts the last message",
			path:   "/model/mistral.mistral-large-2402-v1:0/converse",
			body:   `{"messages":[{"role":"user","content":[{"text":"secret marker"}]}]}`,
			status: http.StatusOK,
			want: `{"output":{"message":{"role":"assistant","content":[{"text":` +
				`"This is fake-bedrock: your message had 13 characters."}]}},` +
				`"stopReason":"end_turn","usage":{"inputTokens":4,"outputTokens":8,` +
				`"totalTokens":12},"metrics":{"latencyMs":1}}`,
		},
		{
			name:   "a body that is not JSON",
			path:   "/model/m/converse",
			body:   `{"messages":`,
			status: http.StatusBadRequest,
			want:   `{"message":"the request body is not JSON"}`,
		},
		{
			name:   "a path that is not Converse",
			path:   "/model/m/invoke",
			body:   `{}`,
			status: http.StatusNotFound,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			response, err := http.Post(server.URL+tt.path, "application/json",
				strings.NewReader(tt.body))
			require.NoError(t, err)
			defer response.Body.Close()
			body, err := io.ReadAll(response.Body)
			require.NoError(t, err)

			assert.Equal(t, tt.status, response.StatusCode)
			if tt.want != "" {
				assert.JSONEq(t, tt.want, string(body))
			}
		})
	}

	// The log names the model but never the message.
	assert.Contains(t, logs.String(), `"model_id":"mistral.mistral-large-2402-v1:0"`)
	assert.NotContains(t, logs.String(), "secret marker")
}
