// Package server is the chat API's HTTP layer.
package server

import (
	"cmp"
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"time"

	"github.com/bedrock-chat/stack/app/internal/chat"
	"github.com/bedrock-chat/stack/app/internal/config"
)

// Model answers chat requests; the Bedrock client implements it.
type Model interface {
	Chat(ctx context.Context, req chat.Request) (chat.Reply, error)
}

type server struct {
	log     *slog.Logger
	cfg     config.Config
	model   Model
	version string
	slots   chan struct{}
}

// NewServer returns the API's handler, which calls model at most
// cfg.MaxConcurrent times at once, answers a panic with a 500 and a path
// that is not in clean form with a 404, both in the API's error shape.
func NewServer(log *slog.Logger, cfg config.Config, model Model, version string) http.Handler {
	s := &server{log, cfg, model, version, make(chan struct{}, cfg.MaxConcurrent)}
	mux := http.NewServeMux()
	s.addRoutes(mux)
	return s.logRequests(s.recoverPanics(rejectUncleanPaths(mux)))
}

// entry is a response writer that keeps what the log line needs.
type entry struct {
	http.ResponseWriter
	status, bytes int
	written       bool
	modelID       string
	failure       chat.Error
	usage         chat.Usage
}

// WriteHeader notes the status and sends it.
func (e *entry) WriteHeader(status int) {
	e.status, e.written = status, true
	e.ResponseWriter.WriteHeader(status)
}

// Write counts the bytes of the body and sends them.
func (e *entry) Write(b []byte) (int, error) {
	e.written = true
	n, err := e.ResponseWriter.Write(b)
	e.bytes += n
	return n, err
}

type entryKey struct{}

// logRequests gives each request a new random ID and logs one line for it,
// which holds no body, query or header. A caller's own X-Request-Id is
// ignored, since whatever text it carries would reach the log.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Make the request's ID, whatever the caller sent.
		id := rand.Text()
		w.Header().Set("X-Request-Id", id)

		start := time.Now()
		e := &entry{ResponseWriter: w, status: http.StatusOK}
		r = r.WithContext(context.WithValue(r.Context(), entryKey{}, e))
		next.ServeHTTP(e, r)

		// Log the outcome, naming the route rather than the path it matched.
		s.log.Info("request", "method", r.Method, "path", cmp.Or(r.Pattern, "/"),
			"status", e.status, "duration_ms", time.Since(start).Milliseconds(),
			"bytes", e.bytes, "request_id", id, "model_id", e.modelID,
			"input_tokens", e.usage.InputTokens, "output_tokens", e.usage.OutputTokens,
			"error_code", e.failure.Code, "upstream_code", e.failure.Upstream,
			"upstream_status", e.failure.UpstreamStatus,
			"upstream_request_id", e.failure.UpstreamRequestID,
			"upstream_detail", e.failure.UpstreamDetail)
	})
}
