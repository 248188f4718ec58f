// Command chatd serves the Bedrock chat API, configured by the environment.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-chat/stack/app/internal/bedrock"
	"github.com/bedrock-chat/stack/app/internal/config"
	"github.com/bedrock-chat/stack/app/internal/server"
	"github.com/bedrock-chat/stack/app/timeouts"
)

// version is set with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "chatd: %v\n", err)
		os.Exit(1)
	}
}

// run serves the API until ctx ends or SIGTERM arrives, then gives requests
// in flight timeouts.Drain to finish.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The service is configured by its environment alone.
	if len(args) > 1 {
		return fmt.Errorf("unexpected arguments %q: chatd is configured by CHAT_* "+
			"environment variables only", args[1:])
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stdout, nil))

	// Build the Bedrock client from the SDK's default chain.
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(cfg.Region))
	if err != nil {
		return fmt.Errorf("load aws configuration: %w", err)
	}
	model := bedrock.New(bedrockruntime.NewFromConfig(awsCfg), cfg.ModelID)

	// Serve the API within the timeouts package's bounds.
	srv := newHTTPServer(cfg, server.NewServer(logger, cfg, model, version), logger)

	// Listen first, so that a bad address fails before the service is up.
	listener, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on CHAT_LISTEN_ADDR=%q: %w", cfg.ListenAddr, err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(listener) }()
	logger.Info("listening", "addr", listener.Addr().String())

	// Wait for a signal, or for the server to fail on its own.
	select {
	case err := <-served:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}

	// Stop accepting and let requests in flight finish within the bound.
	return drain(srv, timeouts.Drain(cfg.UpstreamTimeout), logger)
}
