package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// drain stops srv accepting and waits up to bound for requests in flight.
// A drain that outlasts bound is logged and cut short by closing every
// connection, and is still a clean stop: the bound is the service's own
// limit, and systemd's stop timeout is set to outlast it.
func drain(srv *http.Server, bound time.Duration, logger *slog.Logger) error {
	// Wait for requests in flight within the bound.
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	err := srv.Shutdown(ctx)
	switch {
	case err == nil:
		return nil
	case !errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("shut down http server: %w", err)
	}

	// Close what is left once the bound is spent; the listener already is.
	logger.Warn("drain timed out", "bound_ms", bound.Milliseconds())
	if err := srv.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("close http server after the drain timed out: %w", err)
	}
	return nil
}
