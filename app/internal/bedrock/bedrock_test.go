package bedrock_test

import (
	"cmp"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/app/internal/bedrock"
	"github.com/bedrock-chat/stack/app/internal/chat"
)

const modelID = "mistral.mistral-large-2402-v1:0"

const okReply = `{"output":{"message":{"role":"assistant","content":[{"text":"Hello"},` +
	`{"text":" there"}]}},"stopReason":"end_turn",` +
	`"usage":{"inputTokens":7,"outputTokens":2,"totalTokens":9},"metrics":{"latencyMs":5}}`

// newClient returns a Client that sends signed requests, with retries
// off, to handler served on loopback.
func newClient(t *testing.T, handler http.HandlerFunc) *bedrock.Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	api := bedrockruntime.New(bedrockruntime.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		RetryMaxAttempts: 1,
	})
	return bedrock.New(api, modelID)
}

// fail answers with a Bedrock error of code and status.
func fail(status int, code string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", code)
		w.Header().Set("X-Amzn-Requestid", "req-"+code)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"message":"detail that may echo the prompt"}`))
	}
}

// hold answers nothing until the client goes away or limit passes. It
// reads the body first, since only then does the server notice a client
// that closes its connection.
func hold(limit time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(limit):
		}
	}
}

func TestChatSendsSignedConverseRequest(t *testing.T) {
	var got struct {
		Messages []struct {
			Role    string `json:"role"`
			Content []struct {
				Text string `json:"text"`
			} `json:"content"`
		} `json:"messages"`
		System          []map[string]string `json:"system"`
		InferenceConfig map[string]int      `json:"inferenceConfig"`
	}
	client := newClient(t, func(w http.ResponseWriter, r *http.Request) {
		// Check the path, the signature and decode the body.
		assert.Equal(t, "POST", r.Method)
		assert.Equal(t, "/model/"+modelID+"/converse", r.URL.Path)
		assert.True(t, strings.HasPrefix(r.Header.Get("Authorization"),
			"AWS4-HMAC-SHA256 Credential=AKIDTEST/"), r.Header.Get("Authorization"))
		assert.NoError(t, json.NewDecoder(r.Body).Decode(&got))

		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(okReply))
	})

	reply, err := client.Chat(context.Background(),
		chat.Request{Message: "hi", System: "be brief", MaxTokens: 50})
	require.NoError(t, err)

	assert.Equal(t, chat.Reply{
		Text:       "Hello there",
		ModelID:    modelID,
		StopReason: "end_turn",
		Usage:      chat.Usage{InputTokens: 7, OutputTokens: 2},
	}, reply)
	require.Len(t, got.Messages, 1)
	assert.Equal(t, "user", got.Messages[0].Role)
	assert.Equal(t, "hi", got.Messages[0].Content[0].Text)
	assert.Equal(t, []map[string]string{{"text": "be brief"}}, got.System)
	assert.Equal(t, 50, got.InferenceConfig["maxTokens"])
}

func TestChatErrors(t *testing.T) {
	tests := []struct {
		name         string
		handler      http.HandlerFunc
		timeout      time.Duration
		cancelAfter  time.Duration
		wantCode     string
		wantUpstream string
		wantStatus   int
		wantDetail   string
	}{
		{
			name:     "throttling",
			handler:  fail(429, "ThrottlingException"),
			wantCode: chat.CodeThrottled, wantUpstream: "ThrottlingException",
			wantStatus: 429,
		},
		{
			name:     "server error",
			handler:  fail(500, "InternalServerException"),
			wantCode: chat.CodeUpstream, wantUpstream: "InternalServerException",
			wantStatus: 500,
		},
		{
			name:     "service unavailable",
			handler:  fail(503, "ServiceUnavailableException"),
			wantCode: chat.CodeUnavailable, wantUpstream: "ServiceUnavailableException",
			wantStatus: 503,
		},
		{
			name:     "access denied",
			handler:  fail(403, "AccessDeniedException"),
			wantCode: chat.CodeUpstream, wantUpstream: "AccessDeniedException",
			wantStatus: 403,
		},
		{
			name:     "model not ready",
			handler:  fail(429, "ModelNotReadyException"),
			wantCode: chat.CodeUnavailable, wantUpstream: "ModelNotReadyException",
			wantStatus: 429,
		},
		{
			name:     "validation",
			handler:  fail(400, "ValidationException"),
			wantCode: chat.CodeUpstream, wantUpstream: "ValidationException",
			wantStatus: 400,
		},
		{
			name:     "timeout",
			handler:  hold(500 * time.Millisecond),
			timeout:  100 * time.Millisecond,
			wantCode: chat.CodeTimeout, wantUpstream: "Timeout",
		},
		{
			name: "malformed json",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"output": not json`))
			},
			wantCode: chat.CodeUpstream, wantUpstream: "Transport",
			wantStatus: 200, wantDetail: "deserialization failed",
		},
		{
			name: "dropped connection",
			handler: func(w http.ResponseWriter, r *http.Request) {
				// Read the whole request first, so that the client sees the
				// connection drop while it waits for the reply.
				_, _ = io.Copy(io.Discard, r.Body)
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
			},
			wantCode: chat.CodeUpstream, wantUpstream: "Transport",
			wantDetail: "EOF",
		},
		{
			name:        "client closed the request",
			handler:     hold(2 * time.Second),
			cancelAfter: 100 * time.Millisecond,
			wantCode:    chat.CodeCanceled, wantUpstream: "Canceled",
		},
		{
			name: "reply with usage but no text",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"output":{"message":{"role":"assistant",` +
					`"content":[]}},"stopReason":"end_turn",` +
					`"usage":{"inputTokens":7,"outputTokens":0,"totalTokens":7}}`))
			},
			wantCode: chat.CodeUpstream, wantUpstream: "MalformedReply",
		},
		{
			name: "reply without text",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"stopReason":"end_turn"}`))
			},
			wantCode: chat.CodeUpstream, wantUpstream: "MalformedReply",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := newClient(t, tt.handler)
			timeout := cmp.Or(tt.timeout, 5*time.Second)
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			if tt.cancelAfter > 0 {
				time.AfterFunc(tt.cancelAfter, cancel)
			}

			_, err := client.Chat(ctx, chat.Request{Message: "prompt-marker", MaxTokens: 10})

			// The code, status and request ID are kept; Bedrock's message
			// and the prompt are not.
			var ce *chat.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.wantCode, ce.Code)
			assert.Equal(t, tt.wantUpstream, ce.Upstream)
			assert.Equal(t, tt.wantStatus, ce.UpstreamStatus)
			if tt.wantStatus >= 400 {
				assert.Equal(t, "req-"+tt.wantUpstream, ce.UpstreamRequestID)
				assert.Empty(t, ce.UpstreamDetail)
			}
			assert.Contains(t, ce.UpstreamDetail, tt.wantDetail)
			for _, text := range []string{err.Error(), ce.UpstreamDetail} {
				assert.NotContains(t, text, "detail that")
				assert.NotContains(t, text, "prompt-marker")
			}
		})
	}
}

func TestChatFilteredReplies(t *testing.T) {
	tests := []struct {
		stopReason string
	}{
		{stopReason: "guardrail_intervened"},
		{stopReason: "content_filtered"},
	}
	for _, tt := range tests {
		t.Run(tt.stopReason, func(t *testing.T) {
			client := newClient(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"output":{"message":{"role":"assistant",` +
					`"content":[]}},"stopReason":"` + tt.stopReason + `",` +
					`"usage":{"inputTokens":7,"outputTokens":0,"totalTokens":7}}`))
			})

			reply, err := client.Chat(context.Background(),
				chat.Request{Message: "hi", MaxTokens: 10})

			// The withheld reply is empty and says why.
			require.NoError(t, err)
			assert.Equal(t, chat.Reply{
				ModelID:    modelID,
				StopReason: tt.stopReason,
				Usage:      chat.Usage{InputTokens: 7},
			}, reply)
		})
	}
}
