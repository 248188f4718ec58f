package main

import (
	"log/slog"
	"net/http"

	"github.com/bedrock-chat/stack/app/internal/config"
	"github.com/bedrock-chat/stack/app/timeouts"
)

// newHTTPServer returns the server that serves handler. Every connection
// is bounded by the timeouts package, leaving room for the slowest body and
// model call, its request line and headers by cfg.MaxHeaderBytes, and
// net/http's own complaints go to logger at level ERROR.
func newHTTPServer(cfg config.Config, handler http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: timeouts.ReadHeader,
		ReadTimeout:       timeouts.Read,
		WriteTimeout:      timeouts.Write(cfg.UpstreamTimeout),
		IdleTimeout:       timeouts.Idle,
		MaxHeaderBytes:    cfg.MaxHeaderBytes(),
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelError),
	}
}
