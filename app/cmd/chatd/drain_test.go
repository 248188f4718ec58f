package main

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDrain(t *testing.T) {
	tests := []struct {
		name     string
		inFlight bool
		wantLog  bool
	}{
		{name: "nothing in flight", inFlight: false, wantLog: false},
		{name: "request outlasts the bound", inFlight: true, wantLog: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Serve a handler that holds every request until the test ends.
			entered := make(chan struct{}, 1)
			release := make(chan struct{})
			defer close(release)
			srv := &http.Server{Handler: http.HandlerFunc(
				func(w http.ResponseWriter, r *http.Request) {
					entered <- struct{}{}
					<-release
				})}
			listener, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			go func() { _ = srv.Serve(listener) }()

			// Hold one request in flight when the row asks for it.
			failed := make(chan error, 1)
			if tt.inFlight {
				go func() {
					resp, err := http.Get("http://" + listener.Addr().String())
					if err == nil {
						resp.Body.Close()
					}
					failed <- err
				}()
				select {
				case <-entered:
				case <-time.After(5 * time.Second):
					t.Fatal("the request never reached the handler")
				}
			}

			// Drain within a short bound: a clean stop either way.
			var logs bytes.Buffer
			start := time.Now()
			err = drain(srv, 200*time.Millisecond, slog.New(slog.NewJSONHandler(&logs, nil)))

			assert.NoError(t, err)
			assert.Less(t, time.Since(start), 3*time.Second)
			assert.Equal(t, tt.wantLog, bytes.Contains(logs.Bytes(), []byte(`"drain timed out"`)),
				logs.String())
			if tt.inFlight {
				assert.Error(t, <-failed, "the held request should lose its connection")
			}
		})
	}
}
