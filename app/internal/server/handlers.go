package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/bedrock-chat/stack/app/internal/chat"
)

// allow refuses requests whose method is not one of methods, and every
// request when h is nil.
func allow(h http.Handler, methods ...string) http.Handler {
	allowed := strings.Join(methods, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case h == nil:
			writeError(w, r, &chat.Error{Code: chat.CodeNotFound})
		case !slices.Contains(methods, r.Method):
			w.Header().Set("Allow", allowed)
			writeError(w, r, &chat.Error{Code: chat.CodeMethod, Message: "use " + allowed})
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// handleHealth answers the health check without calling the model.
func (s *server) handleHealth() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		encode(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
	})
}

// handleChat sends one message to the model and returns its reply.
func (s *server) handleChat() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Decode and check the request before taking a slot.
		e := r.Context().Value(entryKey{}).(*entry)
		e.modelID = s.cfg.ModelID
		req, err := s.decodeChat(w, r)
		if err != nil {
			writeError(w, r, err)
			return
		}

		// Take a slot for the call, or refuse at once when none is free.
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
		default:
			writeError(w, r, &chat.Error{Code: chat.CodeBusy})
			return
		}

		// Call the model within the upstream timeout.
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.UpstreamTimeout)
		defer cancel()
		reply, err := s.model.Chat(ctx, req)
		if err != nil {
			writeError(w, r, err)
			return
		}

		e.usage = reply.Usage
		encode(w, http.StatusOK, reply)
	})
}

// decodeChat reads a request from the JSON body or, when the body is empty,
// from the message query parameter.
func (s *server) decodeChat(w http.ResponseWriter, r *http.Request) (chat.Request, error) {
	var body struct {
		Message, System string
		MaxTokens       *int
	}
	fields := map[string]any{
		"message":    &body.Message,
		"system":     &body.System,
		"max_tokens": &body.MaxTokens,
	}

	// Peek at the body, since a chunked one has no length even when empty.
	peek := bufio.NewReaderSize(r.Body, 16)
	if _, err := peek.Peek(1); err == io.EOF {
		message, err := queryMessage(r.URL.RawQuery, s.cfg.MaxBodyBytes)
		if err != nil {
			return chat.Request{}, err
		}
		body.Message = message
	} else {
		r.Body = readCloser{peek, r.Body}
		if err := decode(w, r, s.cfg.MaxBodyBytes, fields); err != nil {
			return chat.Request{}, err
		}
	}

	// Check the message and the bound on the reply.
	req := chat.Request{Message: body.Message, MaxTokens: s.cfg.DefaultMaxTokens}
	if strings.TrimSpace(body.System) != "" {
		req.System = body.System
	}
	if body.MaxTokens != nil {
		req.MaxTokens = *body.MaxTokens
	}
	switch {
	case strings.TrimSpace(req.Message) == "":
		return chat.Request{}, invalid("message must not be empty")
	case req.MaxTokens < 1 || req.MaxTokens > s.cfg.MaxTokensLimit:
		return chat.Request{}, invalid("max_tokens must be from 1 to " +
			strconv.Itoa(s.cfg.MaxTokensLimit))
	}
	return req, nil
}

// queryMessage returns the one message parameter of query, the form of the
// original walkthrough, refusing other parameters and a message over limit
// bytes, as a body over limit would be.
func queryMessage(query string, limit int64) (string, error) {
	values, err := url.ParseQuery(query)
	if err != nil {
		return "", invalid("the query string is malformed")
	}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		switch {
		case name != "message":
			return "", invalid(fmt.Sprintf("unknown query parameter %q", name))
		case len(values[name]) > 1:
			return "", invalid("query parameter \"message\" appears more than once")
		}
	}
	message := values.Get("message")
	if int64(len(message)) > limit {
		return "", &chat.Error{Code: chat.CodeTooLarge}
	}
	return message, nil
}

// readCloser reads from a buffered view of a body and closes the body.
type readCloser struct {
	io.Reader
	io.Closer
}
