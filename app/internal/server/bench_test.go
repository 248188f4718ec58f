package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-chat/stack/app/internal/chat"
	"github.com/bedrock-chat/stack/app/internal/server"
)

// staticModel answers every call with okReply and keeps no record.
type staticModel struct{}

func (staticModel) Chat(context.Context, chat.Request) (chat.Reply, error) {
	return okReply, nil
}

const benchBody = `{"message":"What are the visiting hours?","max_tokens":200}`

// BenchmarkChatHandler serves POST /chat in process, with the JSON log
// written to io.Discard and a fake model that answers at once.
func BenchmarkChatHandler(b *testing.B) {
	cfg := testConfig()
	cfg.MaxConcurrent = 1024
	h := server.NewServer(slog.New(slog.NewJSONHandler(io.Discard, nil)), cfg,
		staticModel{}, "v")

	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/chat", strings.NewReader(benchBody))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkChatLoopback serves POST /chat over HTTP on loopback, with
// keep-alive connections and the same fake model.
func BenchmarkChatLoopback(b *testing.B) {
	cfg := testConfig()
	cfg.MaxConcurrent = 1024
	srv := httptest.NewServer(server.NewServer(
		slog.New(slog.NewJSONHandler(io.Discard, nil)), cfg, staticModel{}, "v"))
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64

	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(srv.URL+"/chat", "application/json",
				strings.NewReader(benchBody))
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
