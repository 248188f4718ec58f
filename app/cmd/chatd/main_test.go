package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const converseReply = `{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},` +
	`"stopReason":"end_turn","usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4}}`

func TestRunRejectsBadConfiguration(t *testing.T) {
	getenv := func(name string) string {
		return map[string]string{"AWS_REGION": "us-east-1", "CHAT_MAX_CONCURRENT": "0"}[name]
	}

	err := run(context.Background(), []string{"chatd"}, getenv, io.Discard)

	require.Error(t, err)
	assert.Contains(t, err.Error(), `CHAT_MAX_CONCURRENT="0"`)
}

func TestRunRejectsArguments(t *testing.T) {
	getenv := func(name string) string { return map[string]string{"AWS_REGION": "us-east-1"}[name] }

	err := run(context.Background(), []string{"chatd", "--port", "80"}, getenv, io.Discard)

	require.Error(t, err)
	assert.Contains(t, err.Error(), `unexpected arguments ["--port" "80"]`)
}

// TestEndToEnd builds chatd, runs it against a fake Bedrock on loopback,
// and stops it with SIGTERM while a request is in flight.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}

	// Build the binary.
	bin := filepath.Join(t.TempDir(), "chatd")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	// A bad configuration exits non-zero with the variable named.
	bad := exec.Command(bin)
	bad.Env = []string{"AWS_REGION=us-east-1", "CHAT_UPSTREAM_TIMEOUT=forever"}
	out, err = bad.CombinedOutput()
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr)
	assert.Equal(t, 1, exitErr.ExitCode())
	assert.Contains(t, string(out), `CHAT_UPSTREAM_TIMEOUT="forever"`)

	// Start a fake Bedrock that holds each reply until told to answer.
	entered := make(chan struct{}, 4)
	release := make(chan struct{})
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/converse") {
			entered <- struct{}{}
			select {
			case <-release:
			case <-time.After(5 * time.Second):
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, converseReply)
	}))
	defer fake.Close()

	// Start chatd on a free loopback port.
	addr := freeAddr(t)
	var logs bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"CHAT_LISTEN_ADDR=" + addr,
		"AWS_REGION=us-east-1",
		"AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + fake.URL,
		"AWS_ACCESS_KEY_ID=AKIDTEST",
		"AWS_SECRET_ACCESS_KEY=secret",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(t.TempDir(), "none"),
		"AWS_MAX_ATTEMPTS=1",
		"CHAT_UPSTREAM_TIMEOUT=5s",
	}
	cmd.Stdout = &logs
	cmd.Stderr = &logs
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	base := "http://" + addr
	waitReady(t, base)

	// Send a chat request and, once the fake holds it, SIGTERM the server.
	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.Post(base+"/chat", "application/json",
			strings.NewReader(`{"message":"hello"}`))
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		done <- result{status: resp.StatusCode, body: string(body), err: err}
	}()
	select {
	case <-entered:
	case <-time.After(5 * time.Second):
		t.Fatalf("the request never reached the fake; logs:\n%s", logs.String())
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	time.Sleep(200 * time.Millisecond)
	close(release)

	// The held request completes, and the process exits 0.
	select {
	case res := <-done:
		require.NoError(t, res.err)
		assert.Equal(t, http.StatusOK, res.status)
		assert.Contains(t, res.body, `"reply":"hi"`)
	case <-time.After(10 * time.Second):
		t.Fatal("the in-flight request did not complete")
	}
	select {
	case err := <-exited:
		assert.NoError(t, err, logs.String())
	case <-time.After(10 * time.Second):
		t.Fatal("chatd did not exit after SIGTERM")
	}
	assert.Contains(t, logs.String(), `"msg":"request"`)
	assert.NotContains(t, logs.String(), "hello")
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// waitReady polls the health endpoint for up to ten seconds.
func waitReady(t *testing.T, base string) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	for range 100 {
		resp, err := client.Get(base + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal(fmt.Sprintf("chatd at %s never became ready", base))
}
