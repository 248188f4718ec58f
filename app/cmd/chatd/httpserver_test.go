package main

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/app/internal/config"
	"github.com/bedrock-chat/stack/app/timeouts"
)

func TestNewHTTPServer(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
	}{
		{name: "defaults", env: map[string]string{"AWS_REGION": "us-east-1"}},
		{name: "long upstream, small body", env: map[string]string{
			"AWS_REGION":            "us-east-1",
			"CHAT_UPSTREAM_TIMEOUT": "2m",
			"CHAT_MAX_BODY_BYTES":   "1024",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Load(func(name string) string { return tt.env[name] })
			require.NoError(t, err)
			handler := http.NewServeMux()
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, nil))

			srv := newHTTPServer(cfg, handler, logger)

			// Every bound comes from the timeouts package and the config.
			assert.Same(t, handler, srv.Handler)
			assert.Equal(t, timeouts.ReadHeader, srv.ReadHeaderTimeout)
			assert.Equal(t, timeouts.Read, srv.ReadTimeout)
			assert.Equal(t, timeouts.Write(cfg.UpstreamTimeout), srv.WriteTimeout)
			assert.Equal(t, timeouts.Idle, srv.IdleTimeout)
			assert.Equal(t, cfg.MaxHeaderBytes(), srv.MaxHeaderBytes)

			// net/http's own complaints reach the JSON log as errors.
			require.NotNil(t, srv.ErrorLog)
			srv.ErrorLog.Print("http: TLS handshake error")
			assert.Contains(t, logs.String(), `"level":"ERROR"`)
			assert.Contains(t, logs.String(), `"msg":"http: TLS handshake error"`)
		})
	}
}

// TestHTTPServerDropsSlowHeaders sends half a request's headers, then one
// byte at a time, and checks that a server built by newHTTPServer hangs up
// after about timeouts.ReadHeader without calling the handler.
func TestHTTPServerDropsSlowHeaders(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out timeouts.ReadHeader")
	}

	// Serve a handler that counts its calls on a loopback port.
	cfg, err := config.Load(func(name string) string {
		return map[string]string{"AWS_REGION": "us-east-1"}[name]
	})
	require.NoError(t, err)
	var calls atomic.Int32
	handler := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls.Add(1) })
	srv := newHTTPServer(cfg, handler, slog.New(slog.DiscardHandler))
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(listener) }()
	defer srv.Close()

	// Send half a header, then dribble the rest until the server hangs up.
	start := time.Now()
	conn, err := net.Dial("tcp", listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: chat\r\nX-Slow: ")
	require.NoError(t, err)
	go func() {
		for {
			time.Sleep(200 * time.Millisecond)
			if _, err := conn.Write([]byte("a")); err != nil {
				return
			}
		}
	}()

	// The server closes the connection at the header bound, answering nothing.
	require.NoError(t, conn.SetReadDeadline(start.Add(timeouts.ReadHeader+2*time.Second)))
	n, err := conn.Read(make([]byte, 1))
	elapsed := time.Since(start)
	var netErr net.Error
	require.False(t, errors.As(err, &netErr) && netErr.Timeout(),
		"the server kept the connection open past timeouts.ReadHeader")
	assert.Error(t, err)
	assert.Zero(t, n)
	assert.GreaterOrEqual(t, elapsed, timeouts.ReadHeader-100*time.Millisecond)
	assert.Less(t, elapsed, timeouts.ReadHeader+time.Second)
	assert.Zero(t, calls.Load())
}
