// Command fake-bedrock answers the Bedrock Converse API on loopback with a
// canned reply, so that the chat API can be run and tried locally without
// an AWS account:
//
//	go run ./cmd/fake-bedrock -addr 127.0.0.1:8080
//	AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:8080 ... go run ./cmd/chatd
//
// It echoes how many characters the last user message had, never the
// message itself, and logs one line per call without the request body.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "fake-bedrock: %v\n", err)
		os.Exit(1)
	}
}

// run serves the fake on the address given by -addr until SIGINT or
// SIGTERM.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("fake-bedrock", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:8080", "loopback address to listen on")
	if err := flags.Parse(args); err != nil {
		return err
	}

	// Listen first, so that a bad address fails at once.
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	logger := slog.New(slog.NewJSONHandler(stdout, nil))
	logger.Info("listening", "addr", listener.Addr().String())
	server := &http.Server{Handler: newHandler(logger), ReadHeaderTimeout: 5 * time.Second}

	// Serve until a signal arrives.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// converseRequest is the part of a Converse request the fake reads.
type converseRequest struct {
	Messages []struct {
		Role    string `json:"role"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
	} `json:"messages"`
}

// newHandler answers POST /model/{modelId}/converse.
func newHandler(logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /model/{modelId}/converse", func(w http.ResponseWriter, r *http.Request) {
		// Read the request as Bedrock would, refusing what is not JSON.
		var request converseRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&request); err != nil {
			w.Header().Set("X-Amzn-Errortype", "ValidationException")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"message":"the request body is not JSON"}`)
			return
		}

		// Answer with the length of the last message, not its text.
		characters := 0
		if n := len(request.Messages); n > 0 {
			for _, block := range request.Messages[n-1].Content {
				characters += len(block.Text)
			}
		}
		reply := fmt.Sprintf("This is fake-bedrock: your message had %d characters.", characters)

		// Count tokens roughly as four characters or one word each.
		inputTokens := (characters + 3) / 4
		outputTokens := len(strings.Fields(reply))
		w.Header().Set("Content-Type", "application/json")
		err := json.NewEncoder(w).Encode(map[string]any{
			"output": map[string]any{"message": map[string]any{
				"role":    "assistant",
				"content": []map[string]string{{"text": reply}},
			}},
			"stopReason": "end_turn",
			"usage": map[string]int{
				"inputTokens":  inputTokens,
				"outputTokens": outputTokens,
				"totalTokens":  inputTokens + outputTokens,
			},
			"metrics": map[string]int{"latencyMs": 1},
		})
		if err != nil {
			logger.Error("write reply", "error", err.Error())
			return
		}
		logger.Info("converse", "model_id", r.PathValue("modelId"), "messages", len(request.Messages))
	})
	return mux
}
