// Package timeouts holds the chat server's HTTP timeouts and the bound on
// its graceful drain. It is not internal, so that the user-data renderer
// can give the systemd unit a stop timeout that outlasts the drain.
package timeouts

import (
	"cmp"
	"fmt"
	"time"
)

// Fixed bounds of the HTTP server.
const (
	// ReadHeader bounds reading a request's headers.
	ReadHeader = 5 * time.Second

	// Read bounds reading a whole request, headers and body.
	Read = 15 * time.Second

	// Idle bounds how long a keep-alive connection waits for a request.
	Idle = time.Minute

	// Margin is the time left to write a reply once the model answered.
	Margin = 5 * time.Second
)

// Bounds of CHAT_UPSTREAM_TIMEOUT, the limit on one model call.
const (
	// DefaultUpstream applies when CHAT_UPSTREAM_TIMEOUT is unset or empty.
	DefaultUpstream = 30 * time.Second

	// MinUpstream is the shortest upstream timeout allowed.
	MinUpstream = 100 * time.Millisecond

	// MaxUpstream is the longest upstream timeout allowed.
	MaxUpstream = 10 * time.Minute
)

// ParseUpstream reads a value of CHAT_UPSTREAM_TIMEOUT: empty means
// DefaultUpstream, anything else must be a Go duration from MinUpstream to
// MaxUpstream.
func ParseUpstream(value string) (time.Duration, error) {
	value = cmp.Or(value, DefaultUpstream.String())
	d, err := time.ParseDuration(value)
	if err != nil || d < MinUpstream || d > MaxUpstream {
		return 0, fmt.Errorf("CHAT_UPSTREAM_TIMEOUT=%q: must be a duration "+
			"from 100ms to 10m, such as 30s", value)
	}
	return d, nil
}

// Write returns the server's WriteTimeout for an upstream timeout. Its
// clock starts once a request's headers are read, so it covers the rest of
// the body (within Read), the model call (within upstream) and Margin to
// write the reply; a slow body then never costs a finished reply.
func Write(upstream time.Duration) time.Duration {
	return Read + upstream + Margin
}

// Drain returns how long a shutdown waits for requests in flight: the
// whole of the longest request, which is Write(upstream). A request that
// arrived just before the signal has had its chance to finish by then.
func Drain(upstream time.Duration) time.Duration {
	return Write(upstream)
}
