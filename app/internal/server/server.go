// Package server is the chat API's HTTP layer.
package server

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"regexp"
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
// cfg.MaxConcurrent times at once.
func NewServer(log *slog.Logger, cfg config.Config, model Model, version string) http.Handler {
	s := &server{log, cfg, model, version, make(chan struct{}, cfg.MaxConcurrent)}
	mux := http.NewServeMux()
	s.addRoutes(mux)
	return s.logRequests(mux)
}

// entry is a response writer that keeps what the log line needs.
type entry struct {
	http.ResponseWriter
	status, bytes                int
	modelID, errorCode, upstream string
	usage                        chat.Usage
}

func (e *entry) WriteHeader(status int) {
	e.status = status
	e.ResponseWriter.WriteHeader(status)
}

func (e *entry) Write(b []byte) (int, error) {
	n, err := e.ResponseWriter.Write(b)
	e.bytes += n
	return n, err
}

type entryKey struct{}

var requestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// logRequests gives each request an ID and logs one line for it, which
// holds no body, query or header.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Keep a sane incoming request ID, or make one.
		id := r.Header.Get("X-Request-Id")
		if !requestID.MatchString(id) {
			id = rand.Text()
		}
		w.Header().Set("X-Request-Id", id)

		start := time.Now()
		e := &entry{ResponseWriter: w, status: http.StatusOK}
		r = r.WithContext(context.WithValue(r.Context(), entryKey{}, e))
		next.ServeHTTP(e, r)

		// Log the outcome, naming the route rather than the path it matched.
		s.log.Info("request", "method", r.Method, "path", r.Pattern,
			"status", e.status, "duration_ms", time.Since(start).Milliseconds(),
			"bytes", e.bytes, "request_id", id, "model_id", e.modelID,
			"input_tokens", e.usage.InputTokens, "output_tokens", e.usage.OutputTokens,
			"error_code", e.errorCode, "upstream_code", e.upstream)
	})
}
