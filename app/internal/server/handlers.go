package server

import (
	"context"
	"net/http"
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

// decodeChat reads a request from the JSON body or, when there is no body,
// from the message query parameter.
func (s *server) decodeChat(w http.ResponseWriter, r *http.Request) (chat.Request, error) {
	var body struct {
		Message   string `json:"message"`
		System    string `json:"system"`
		MaxTokens *int   `json:"max_tokens"`
	}
	if r.ContentLength == 0 {
		body.Message = r.URL.Query().Get("message")
	} else if err := decode(w, r, s.cfg.MaxBodyBytes, &body); err != nil {
		return chat.Request{}, err
	}

	// Check the message and the bound on the reply.
	req := chat.Request{Message: body.Message, MaxTokens: s.cfg.DefaultMaxTokens}
	if strings.TrimSpace(body.System) != "" {
		req.System = body.System
	}
	if body.MaxTokens != nil {
		req.MaxTokens = *body.MaxTokens
	}
	invalid := &chat.Error{Code: chat.CodeInvalid}
	switch {
	case strings.TrimSpace(req.Message) == "":
		invalid.Message = "message must not be empty"
	case req.MaxTokens < 1 || req.MaxTokens > s.cfg.MaxTokensLimit:
		invalid.Message = "max_tokens must be from 1 to " + strconv.Itoa(s.cfg.MaxTokensLimit)
	default:
		return req, nil
	}
	return chat.Request{}, invalid
}
