package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/bedrock-chat/stack/app/internal/chat"
)

// kinds maps each error code to its status, generic message and Retry-After.
var kinds = map[string]struct {
	status     int
	message    string
	retryAfter string
}{
	chat.CodeInvalid:     {400, "the body is not a chat request", ""},
	chat.CodeTooLarge:    {413, "the body is over the size limit", ""},
	chat.CodeMediaType:   {415, "use Content-Type application/json", ""},
	chat.CodeMethod:      {405, "", ""},
	chat.CodeNotFound:    {404, "no such path", ""},
	chat.CodeBusy:        {503, "too many requests in flight", "1"},
	chat.CodeThrottled:   {429, "the model is throttled", "1"},
	chat.CodeTimeout:     {504, "the model did not answer in time", ""},
	chat.CodeUnavailable: {503, "the model is unavailable", ""},
	chat.CodeUpstream:    {502, "the model failed to answer", ""},
	chat.CodeCanceled:    {499, "the client closed the request", ""},
	chat.CodeInternal:    {500, "internal error", ""},
}

// writeError answers with err's status in the API's one error shape.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	// Reduce err to a chat.Error; one of unknown kind is internal.
	var ce *chat.Error
	switch {
	case errors.As(err, &ce):
	case errors.Is(err, context.DeadlineExceeded):
		ce = &chat.Error{Code: chat.CodeTimeout}
	case errors.Is(err, context.Canceled):
		ce = &chat.Error{Code: chat.CodeCanceled}
	default:
		ce = &chat.Error{Code: chat.CodeInternal}
	}
	kind := kinds[ce.Code]
	message := ce.Message
	if message == "" {
		message = kind.message
	}

	// Note the failure for the log line and answer.
	e := r.Context().Value(entryKey{}).(*entry)
	e.failure = *ce
	if kind.retryAfter != "" {
		w.Header().Set("Retry-After", kind.retryAfter)
	}
	encode(w, kind.status, map[string]any{
		"error":      map[string]string{"code": ce.Code, "message": message},
		"request_id": w.Header().Get("X-Request-Id"),
	})
}
