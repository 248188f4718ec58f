package server_test

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/app/internal/chat"
	"github.com/bedrock-chat/stack/app/internal/config"
	"github.com/bedrock-chat/stack/app/internal/server"
)

// fakeModel answers every call with reply or err, after running block.
type fakeModel struct {
	mu    sync.Mutex
	calls []chat.Request
	reply chat.Reply
	err   error
	block func(ctx context.Context) error
}

func (f *fakeModel) Chat(ctx context.Context, req chat.Request) (chat.Reply, error) {
	f.mu.Lock()
	f.calls = append(f.calls, req)
	f.mu.Unlock()
	if f.block != nil {
		if err := f.block(ctx); err != nil {
			return chat.Reply{}, err
		}
	}
	return f.reply, f.err
}

func testConfig() config.Config {
	return config.Config{
		ListenAddr:       ":0",
		Region:           "us-east-1",
		ModelID:          "test.model-v1:0",
		DefaultMaxTokens: 200,
		MaxTokensLimit:   1000,
		MaxBodyBytes:     1024,
		UpstreamTimeout:  time.Second,
		MaxConcurrent:    4,
	}
}

var okReply = chat.Reply{
	Text:       "hello back",
	ModelID:    "test.model-v1:0",
	StopReason: "end_turn",
	Usage:      chat.Usage{InputTokens: 3, OutputTokens: 5},
}

func TestHandlers(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		target      string
		contentType string
		body        string
		chunked     bool
		modelReply  *chat.Reply
		modelErr    error
		modelPanic  bool
		wantStatus  int
		wantCode    string
		wantMessage string
		wantHeader  map[string]string
		wantCall    *chat.Request
		wantLogs    int
	}{
		{name: "health", method: "GET", target: "/", wantStatus: 200},
		{name: "health head", method: "HEAD", target: "/", wantStatus: 200},
		{
			name: "chat json", method: "POST", target: "/chat", contentType: "application/json",
			body:       `{"message":"hi","system":"be brief","max_tokens":50}`,
			wantStatus: 200,
			wantCall:   &chat.Request{Message: "hi", System: "be brief", MaxTokens: 50},
		},
		{
			name: "chat json default tokens", method: "POST", target: "/chat",
			contentType: "application/json; charset=utf-8", body: `{"message":"hi"}`,
			wantStatus: 200, wantCall: &chat.Request{Message: "hi", MaxTokens: 200},
		},
		{
			name: "chat query", method: "POST", target: "/chat?message=hi%20there",
			wantStatus: 200, wantCall: &chat.Request{Message: "hi there", MaxTokens: 200},
		},
		{
			name: "chat query chunked empty body", method: "POST", target: "/chat?message=hi",
			chunked: true, wantStatus: 200, wantCall: &chat.Request{Message: "hi", MaxTokens: 200},
		},
		{
			name: "chat json chunked body", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":"hi"}`, chunked: true,
			wantStatus: 200, wantCall: &chat.Request{Message: "hi", MaxTokens: 200},
		},
		{
			name: "chat query at the size limit", method: "POST",
			target:     "/chat?message=" + strings.Repeat("a", 1024),
			wantStatus: 200, wantCall: &chat.Request{Message: strings.Repeat("a", 1024), MaxTokens: 200},
		},
		{
			name: "chat query over the size limit", method: "POST",
			target:     "/chat?message=" + strings.Repeat("a", 1025),
			wantStatus: 413, wantCode: chat.CodeTooLarge,
		},
		{
			name: "chat query percent-encoded over the size limit", method: "POST",
			target:     "/chat?message=" + strings.Repeat("%C3%A9", 513),
			wantStatus: 413, wantCode: chat.CodeTooLarge,
		},
		{
			name: "chat query unknown parameter", method: "POST", target: "/chat?message=hi&temp=1",
			wantStatus: 400, wantCode: chat.CodeInvalid,
			wantMessage: `unknown query parameter "temp"`,
		},
		{
			name: "chat query parameter without message", method: "POST", target: "/chat?msg=hi",
			wantStatus: 400, wantCode: chat.CodeInvalid,
			wantMessage: `unknown query parameter "msg"`,
		},
		{
			name: "chat query repeated message", method: "POST",
			target:     "/chat?message=a&message=b",
			wantStatus: 400, wantCode: chat.CodeInvalid, wantMessage: "more than once",
		},
		{
			name: "chat query malformed", method: "POST", target: "/chat?message=%zz",
			wantStatus: 400, wantCode: chat.CodeInvalid, wantMessage: "malformed",
		},
		{
			name: "chat query empty chunked body without message", method: "POST",
			target: "/chat", chunked: true, wantStatus: 400, wantCode: chat.CodeInvalid,
		},
		{
			name: "field in other case", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"Message":"hi"}`,
			wantStatus: 400, wantCode: chat.CodeInvalid,
			wantMessage: `unknown field "Message"; names are case-sensitive: use "message"`,
		},
		{
			name: "field in capitals", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":"hi","MAX_TOKENS":5}`,
			wantStatus: 400, wantCode: chat.CodeInvalid, wantMessage: `use "max_tokens"`,
		},
		{
			name: "duplicate field", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":"hi","message":"again"}`,
			wantStatus: 400, wantCode: chat.CodeInvalid,
			wantMessage: `field "message" appears more than once`,
		},
		{
			name: "duplicate field that differs in case", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":"hi","mEssage":"again"}`,
			wantStatus: 400, wantCode: chat.CodeInvalid, wantMessage: "case-sensitive",
		},
		{
			name: "duplicate null field", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":"hi","max_tokens":null,"max_tokens":5}`,
			wantStatus: 400, wantCode: chat.CodeInvalid, wantMessage: "more than once",
		},
		{
			name: "not an object", method: "POST", target: "/chat",
			contentType: "application/json", body: `["hi"]`,
			wantStatus: 400, wantCode: chat.CodeInvalid, wantMessage: "must be a JSON object",
		},
		{
			name: "trailing brace", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":"hi"}}`,
			wantStatus: 400, wantCode: chat.CodeInvalid,
		},
		{
			name: "invalid json", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":`,
			wantStatus: 400, wantCode: chat.CodeInvalid,
		},
		{
			name: "unknown field", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":"hi","temperature":1}`,
			wantStatus: 400, wantCode: chat.CodeInvalid,
		},
		{
			name: "trailing data", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":"hi"} {"message":"again"}`,
			wantStatus: 400, wantCode: chat.CodeInvalid,
		},
		{
			name: "empty message", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":""}`,
			wantStatus: 400, wantCode: chat.CodeInvalid,
		},
		{
			name: "whitespace message", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":" \n\t "}`,
			wantStatus: 400, wantCode: chat.CodeInvalid,
		},
		{
			name: "no message at all", method: "POST", target: "/chat",
			wantStatus: 400, wantCode: chat.CodeInvalid,
		},
		{
			name: "max_tokens zero", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":"hi","max_tokens":0}`,
			wantStatus: 400, wantCode: chat.CodeInvalid,
		},
		{
			name: "max_tokens over limit", method: "POST", target: "/chat",
			contentType: "application/json", body: `{"message":"hi","max_tokens":1001}`,
			wantStatus: 400, wantCode: chat.CodeInvalid,
		},
		{
			name: "body over limit", method: "POST", target: "/chat",
			contentType: "application/json",
			body:        `{"message":"` + strings.Repeat("a", 2000) + `"}`,
			wantStatus:  413, wantCode: chat.CodeTooLarge,
		},
		{
			name: "wrong content type", method: "POST", target: "/chat",
			contentType: "text/plain", body: `{"message":"hi"}`,
			wantStatus: 415, wantCode: chat.CodeMediaType,
		},
		{
			name: "missing content type", method: "POST", target: "/chat",
			body: `{"message":"hi"}`, wantStatus: 415, wantCode: chat.CodeMediaType,
		},
		{
			name: "chat wrong method", method: "GET", target: "/chat",
			wantStatus: 405, wantCode: chat.CodeMethod,
			wantHeader: map[string]string{"Allow": "POST"},
		},
		{
			name: "health wrong method", method: "POST", target: "/",
			wantStatus: 405, wantCode: chat.CodeMethod,
			wantHeader: map[string]string{"Allow": "GET, HEAD"},
		},
		{
			name: "unknown path", method: "GET", target: "/nope",
			wantStatus: 404, wantCode: chat.CodeNotFound,
		},
		{
			name: "throttled", method: "POST", target: "/chat?message=hi",
			modelErr: &chat.Error{
				Code: chat.CodeThrottled, Upstream: "ThrottlingException",
				UpstreamStatus: 429, UpstreamRequestID: "req-throttled",
			},
			wantStatus: 429, wantCode: chat.CodeThrottled,
			wantMessage: "the model is throttled",
			wantHeader:  map[string]string{"Retry-After": "1"},
		},
		{
			name: "upstream timeout", method: "POST", target: "/chat?message=hi",
			modelErr:   &chat.Error{Code: chat.CodeTimeout, Upstream: "Timeout"},
			wantStatus: 504, wantCode: chat.CodeTimeout,
			wantMessage: "the model did not answer in time",
		},
		{
			name: "model timeout", method: "POST", target: "/chat?message=hi",
			modelErr: &chat.Error{
				Code: chat.CodeTimeout, Upstream: "ModelTimeoutException",
				UpstreamStatus: 408, UpstreamRequestID: "req-model-timeout",
			},
			wantStatus: 504, wantCode: chat.CodeTimeout,
			wantMessage: "the model did not answer in time",
		},
		{
			name: "deadline from context", method: "POST", target: "/chat?message=hi",
			modelErr:   context.DeadlineExceeded,
			wantStatus: 504, wantCode: chat.CodeTimeout,
		},
		{
			name: "model not ready", method: "POST", target: "/chat?message=hi",
			modelErr: &chat.Error{
				Code: chat.CodeUnavailable, Upstream: "ModelNotReadyException",
				UpstreamStatus: 429, UpstreamRequestID: "req-not-ready",
			},
			wantStatus: 503, wantCode: chat.CodeUnavailable,
			wantMessage: "the model is unavailable",
		},
		{
			name: "service unavailable", method: "POST", target: "/chat?message=hi",
			modelErr: &chat.Error{
				Code: chat.CodeUnavailable, Upstream: "ServiceUnavailableException",
				UpstreamStatus: 503, UpstreamRequestID: "req-unavailable",
			},
			wantStatus: 503, wantCode: chat.CodeUnavailable,
			wantMessage: "the model is unavailable",
		},
		{
			name: "access denied", method: "POST", target: "/chat?message=hi",
			modelErr: &chat.Error{
				Code: chat.CodeUpstream, Upstream: "AccessDeniedException",
				UpstreamStatus: 403, UpstreamRequestID: "req-1",
			},
			wantStatus: 502, wantCode: chat.CodeUpstream,
			wantMessage: "the model failed to answer",
		},
		{
			name: "validation error", method: "POST", target: "/chat?message=hi",
			modelErr: &chat.Error{
				Code: chat.CodeUpstream, Upstream: "ValidationException",
				UpstreamStatus: 400, UpstreamRequestID: "req-validation",
			},
			wantStatus: 502, wantCode: chat.CodeUpstream,
			wantMessage: "the model failed to answer",
		},
		{
			name: "server error", method: "POST", target: "/chat?message=hi",
			modelErr: &chat.Error{
				Code: chat.CodeUpstream, Upstream: "InternalServerException",
				UpstreamStatus: 500, UpstreamRequestID: "req-server-error",
			},
			wantStatus: 502, wantCode: chat.CodeUpstream,
			wantMessage: "the model failed to answer",
		},
		{
			name: "reply without usage or text", method: "POST", target: "/chat?message=hi",
			modelErr:   &chat.Error{Code: chat.CodeUpstream, Upstream: "MalformedReply"},
			wantStatus: 502, wantCode: chat.CodeUpstream,
			wantMessage: "the model failed to answer",
		},
		{
			name: "unreadable reply", method: "POST", target: "/chat?message=hi",
			modelErr: &chat.Error{
				Code: chat.CodeUpstream, Upstream: "Transport",
				UpstreamStatus: 200, UpstreamRequestID: "req-unreadable",
				UpstreamDetail: "deserialization failed",
			},
			wantStatus: 502, wantCode: chat.CodeUpstream,
			wantMessage: "the model failed to answer",
		},
		{
			name: "dropped connection", method: "POST", target: "/chat?message=hi",
			modelErr: &chat.Error{
				Code: chat.CodeUpstream, Upstream: "Transport",
				UpstreamDetail: "read: connection reset by peer",
			},
			wantStatus: 502, wantCode: chat.CodeUpstream,
			wantMessage: "the model failed to answer",
		},
		{
			name: "unknown error", method: "POST", target: "/chat?message=hi",
			modelErr:   io.ErrUnexpectedEOF,
			wantStatus: 500, wantCode: chat.CodeInternal,
		},
		{
			name: "client closed the request", method: "POST", target: "/chat?message=hi",
			modelErr:   &chat.Error{Code: chat.CodeCanceled, Upstream: "Canceled"},
			wantStatus: 499, wantCode: chat.CodeCanceled,
		},
		{
			name: "cancel from context", method: "POST", target: "/chat?message=hi",
			modelErr:   context.Canceled,
			wantStatus: 499, wantCode: chat.CodeCanceled,
		},
		{
			name: "guardrail withheld the reply", method: "POST", target: "/chat?message=hi",
			modelReply: &chat.Reply{
				ModelID: "test.model-v1:0", StopReason: "guardrail_intervened",
				Usage: chat.Usage{InputTokens: 3},
			},
			wantStatus: 200,
		},
		{
			name: "content filter withheld the reply", method: "POST", target: "/chat?message=hi",
			modelReply: &chat.Reply{ModelID: "test.model-v1:0", StopReason: "content_filtered"},
			wantStatus: 200,
		},
		{
			name: "panic in the handler", method: "POST", target: "/chat?message=hi",
			modelPanic: true, wantStatus: 500, wantCode: chat.CodeInternal, wantLogs: 2,
		},
		{
			name: "repeated slash", method: "POST", target: "//chat?message=hi",
			wantStatus: 404, wantCode: chat.CodeNotFound, wantMessage: "clean form",
		},
		{
			name: "dot-dot element", method: "POST", target: "/a/../chat?message=hi",
			wantStatus: 404, wantCode: chat.CodeNotFound, wantMessage: "clean form",
		},
		{
			name: "dot element", method: "GET", target: "/./",
			wantStatus: 404, wantCode: chat.CodeNotFound, wantMessage: "clean form",
		},
		{
			name: "trailing slash", method: "POST", target: "/chat/",
			wantStatus: 404, wantCode: chat.CodeNotFound,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			model := &fakeModel{reply: okReply, err: tt.modelErr}
			if tt.modelReply != nil {
				model.reply = *tt.modelReply
			}
			if tt.modelPanic {
				model.block = func(context.Context) error { panic("boom") }
			}
			var logs bytes.Buffer
			h := server.NewServer(slog.New(slog.NewJSONHandler(&logs, nil)), testConfig(),
				model, "v-test")

			// Serve the request.
			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			switch {
			case tt.chunked:
				req.Body = io.NopCloser(strings.NewReader(tt.body))
				req.ContentLength = -1
				req.TransferEncoding = []string{"chunked"}
			case tt.body == "":
				req.Body = http.NoBody
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			// Check the status and headers.
			assert.Equal(t, tt.wantStatus, rec.Code)
			for k, v := range tt.wantHeader {
				assert.Equal(t, v, rec.Header().Get(k), k)
			}
			id := rec.Header().Get("X-Request-Id")
			assert.NotEmpty(t, id)

			// Check the one request line, field by field, after a panic's.
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			require.Len(t, lines, cmp.Or(tt.wantLogs, 1), logs.String())
			if tt.modelPanic {
				assert.Contains(t, lines[0], `"msg":"panic","request_id":"`+id+`"`)
				assert.NotContains(t, logs.String(), "boom")
			}
			var line map[string]any
			require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &line))
			assert.IsType(t, float64(0), line["duration_ms"], "duration_ms")
			delete(line, "duration_ms")
			delete(line, "time")
			var upstream chat.Error
			if ce := (*chat.Error)(nil); errors.As(tt.modelErr, &ce) {
				upstream = *ce
			}
			var modelID string
			var usage chat.Usage
			if route(tt.target) == "/chat" && tt.method == "POST" {
				modelID = testConfig().ModelID
			}
			if modelID != "" && tt.wantStatus == 200 {
				usage = model.reply.Usage
			}
			assert.Equal(t, map[string]any{
				"level":               "INFO",
				"msg":                 "request",
				"method":              tt.method,
				"path":                route(tt.target),
				"status":              float64(tt.wantStatus),
				"bytes":               float64(rec.Body.Len()),
				"request_id":          id,
				"model_id":            modelID,
				"input_tokens":        float64(usage.InputTokens),
				"output_tokens":       float64(usage.OutputTokens),
				"error_code":          tt.wantCode,
				"upstream_code":       upstream.Upstream,
				"upstream_status":     float64(upstream.UpstreamStatus),
				"upstream_request_id": upstream.UpstreamRequestID,
				"upstream_detail":     upstream.UpstreamDetail,
			}, line)

			// Check the model calls and the body.
			if tt.wantCall != nil {
				require.Len(t, model.calls, 1)
				assert.Equal(t, *tt.wantCall, model.calls[0])
			}
			if tt.method == "HEAD" {
				return
			}
			var body map[string]any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			switch {
			case tt.wantCode != "":
				errBody := body["error"].(map[string]any)
				assert.Equal(t, tt.wantCode, errBody["code"])
				assert.NotEmpty(t, errBody["message"])
				assert.Contains(t, errBody["message"], tt.wantMessage)
				assert.Equal(t, id, body["request_id"])

				// What the log says of Bedrock never reaches the client.
				assert.Len(t, body, 2, "the body holds only the error and request_id")
				assert.Len(t, errBody, 2, "the error holds only the code and message")
				for _, v := range []string{upstream.Upstream, upstream.UpstreamRequestID,
					upstream.UpstreamDetail, strconv.Itoa(upstream.UpstreamStatus)} {
					if v != "" && v != "0" {
						assert.NotContains(t, rec.Body.String(), v)
					}
				}
			case tt.target == "/":
				assert.Equal(t, map[string]any{"status": "ok", "version": "v-test"}, body)
				assert.Empty(t, model.calls)
			default:
				want := model.reply
				assert.Equal(t, map[string]any{
					"reply":       want.Text,
					"model_id":    want.ModelID,
					"stop_reason": want.StopReason,
					"usage": map[string]any{
						"input_tokens":  float64(want.Usage.InputTokens),
						"output_tokens": float64(want.Usage.OutputTokens),
					},
				}, body)
			}
		})
	}
}

// route returns the pattern that the log line names for target: the
// health check, the chat route, or "/" for any other path.
func route(target string) string {
	path, _, _ := strings.Cut(target, "?")
	switch path {
	case "/":
		return "/{$}"
	case "/chat":
		return "/chat"
	}
	return "/"
}

// TestRequestID checks that every request gets a new random ID, whatever
// X-Request-Id the caller sent, since the ID is logged.
func TestRequestID(t *testing.T) {
	tests := []struct {
		name     string
		incoming string
	}{
		{name: "missing", incoming: ""},
		{name: "token characters", incoming: "abc-123_X.y"},
		{name: "patient identifier", incoming: "MRN-12345678"},
		{name: "bad characters", incoming: "a b;c"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := server.NewServer(slog.New(slog.DiscardHandler), testConfig(), &fakeModel{}, "v")
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("X-Request-Id", tt.incoming)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			got := rec.Header().Get("X-Request-Id")
			assert.NotEqual(t, tt.incoming, got)
			assert.Regexp(t, `^[A-Z2-7]{26}$`, got)
			assert.False(t, seen[got], "request ID %s was given twice", got)
			seen[got] = true
		})
	}
}

func TestBusyAndTimeout(t *testing.T) {
	tests := []struct {
		name       string
		timeout    time.Duration
		wantStatus int
	}{
		{name: "all slots taken", timeout: 5 * time.Second, wantStatus: 503},
		{name: "upstream too slow", timeout: 50 * time.Millisecond, wantStatus: 504},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.MaxConcurrent = 1
			cfg.UpstreamTimeout = tt.timeout
			entered := make(chan struct{}, 1)
			release := make(chan struct{})
			model := &fakeModel{reply: okReply, block: func(ctx context.Context) error {
				entered <- struct{}{}
				select {
				case <-release:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}}
			h := server.NewServer(slog.New(slog.DiscardHandler), cfg, model, "v")
			send := func() *httptest.ResponseRecorder {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("POST", "/chat?message=hi", http.NoBody))
				return rec
			}

			// Hold the only slot with a first call.
			first := make(chan int, 1)
			go func() { first <- send().Code }()
			select {
			case <-entered:
			case <-time.After(5 * time.Second):
				t.Fatal("first call never reached the model")
			}

			// A second call is refused while the first is held.
			if tt.wantStatus == 503 {
				rec := send()
				assert.Equal(t, 503, rec.Code)
				assert.Equal(t, "1", rec.Header().Get("Retry-After"))
				close(release)
				assert.Equal(t, 200, <-first)
				return
			}
			select {
			case code := <-first:
				assert.Equal(t, tt.wantStatus, code)
			case <-time.After(5 * time.Second):
				t.Fatal("the upstream timeout did not fire")
			}
		})
	}
}

// TestQueryFormOverChunkedEmptyBody sends the query form with an empty
// chunked body over loopback, as curl -H 'Transfer-Encoding: chunked' does.
func TestQueryFormOverChunkedEmptyBody(t *testing.T) {
	model := &fakeModel{reply: okReply}
	srv := httptest.NewServer(server.NewServer(slog.New(slog.DiscardHandler), testConfig(),
		model, "v"))
	defer srv.Close()

	// Write the request by hand, since Go's client never sends this form.
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /chat?message=hi HTTP/1.1\r\nHost: chat\r\n"+
		"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n")
	require.NoError(t, err)

	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, model.calls, 1)
	assert.Equal(t, "hi", model.calls[0].Message)
}

// TestLogsCarryNoPatientData sends a marker through every field a client
// controls, X-Request-Id included, on success and failure, and checks that
// no log line holds it.
func TestLogsCarryNoPatientData(t *testing.T) {
	const marker = "PHI-MARKER-8c1f"
	tests := []struct {
		name        string
		target      string
		contentType string
		body        string
		modelErr    error
		panics      bool
	}{
		{
			name: "success", target: "/chat?x=" + marker, contentType: "application/json",
			body: `{"message":"` + marker + `","system":"` + marker + `"}`,
		},
		{name: "query form", target: "/chat?message=" + marker},
		{
			name: "unknown field", target: "/chat", contentType: "application/json",
			body: `{"` + marker + `":1}`,
		},
		{
			name: "invalid json", target: "/chat", contentType: "application/json",
			body: `{"message":"` + marker,
		},
		{
			name: "upstream error", target: "/chat?message=" + marker,
			modelErr: &chat.Error{Code: chat.CodeUpstream, Upstream: "ValidationException"},
		},
		{name: "unknown path", target: "/" + marker},
		{name: "unclean path", target: "//" + marker},
		{name: "unknown query parameter", target: "/chat?message=hi&" + marker + "=1"},
		{
			name: "field in other case", target: "/chat", contentType: "application/json",
			body: `{"Message":"` + marker + `"}`,
		},
		{
			name: "duplicate field", target: "/chat", contentType: "application/json",
			body: `{"message":"` + marker + `","message":"` + marker + `"}`,
		},
		{
			name: "client closed the request", target: "/chat?message=" + marker,
			modelErr: context.Canceled,
		},
		{name: "panic", target: "/chat?message=" + marker, panics: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{
				Level: slog.LevelDebug,
			}))
			model := &fakeModel{err: tt.modelErr, reply: chat.Reply{
				Text:  "reply " + marker,
				Usage: chat.Usage{InputTokens: 1, OutputTokens: 1},
			}}
			if tt.panics {
				model.block = func(context.Context) error { panic(marker) }
			}
			h := server.NewServer(logger, testConfig(), model, "v")

			req := httptest.NewRequest("POST", tt.target, strings.NewReader(tt.body))
			if tt.body == "" {
				req.Body = http.NoBody
			}
			req.Header.Set("Content-Type", tt.contentType)
			req.Header.Set("User-Agent", marker)
			req.Header.Set("X-Request-Id", marker)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			require.NotEmpty(t, lines)
			for _, line := range lines {
				assert.NotContains(t, line, marker)
			}
			assert.Contains(t, lines[len(lines)-1], `"msg":"request"`)
			assert.NotContains(t, rec.Header().Get("X-Request-Id"), marker)
		})
	}
}

// FuzzDecodeChatRequest feeds arbitrary bodies to POST /chat and checks
// that every answer is a success or a client error in the one error shape.
func FuzzDecodeChatRequest(f *testing.F) {
	seeds := []string{
		`{"message":"hi"}`,
		`{"message":"hi","system":"s","max_tokens":5}`,
		`{"message":"","max_tokens":-1}`,
		`{"message":"hi"} trailing`,
		`{"max_tokens":1e400}`,
		`[]`,
		`null`,
		`{"message":"\ud800"}`,
		`{"message":"hi","message":"again"}`,
		`{"Message":"hi"}`,
		`{"message":"hi"}}`,
		"\x00\xff",
	}
	for _, seed := range seeds {
		f.Add([]byte(seed), "application/json")
	}
	f.Add([]byte(`{"message":"hi"}`), "text/plain")

	cfg := testConfig()
	model := &fakeModel{reply: okReply}
	h := server.NewServer(slog.New(slog.DiscardHandler), cfg, model, "v")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		model.calls = nil
		req := httptest.NewRequest("POST", "/chat", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		// A request that reached the model must have passed every check.
		if rec.Code == 200 {
			require.Len(t, model.calls, 1)
			call := model.calls[0]
			assert.NotEmpty(t, strings.TrimSpace(call.Message))
			assert.True(t, call.MaxTokens >= 1 && call.MaxTokens <= cfg.MaxTokensLimit)
		}
		switch rec.Code {
		case 200, 400, 413, 415:
		default:
			t.Fatalf("status %d for body %q", rec.Code, body)
		}
		var got map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
		if rec.Code != 200 {
			assert.Contains(t, got, "error")
		}
	})
}
