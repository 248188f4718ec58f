package server

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"

	"github.com/bedrock-chat/stack/app/internal/chat"
)

// encode writes v as a JSON response with status.
func encode(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)

	// A failed write means the client has gone.
	_ = json.NewEncoder(w).Encode(v)
}

// decode reads one JSON value of at most limit bytes into v, refusing
// unknown fields.
func decode(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || media != "application/json" {
		return &chat.Error{Code: chat.CodeMediaType}
	}

	// Decode the value, then make sure nothing follows it.
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err = dec.Decode(v); err == nil && dec.More() {
		err = errors.New("trailing data")
	}

	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &chat.Error{Code: chat.CodeTooLarge}
	case err != nil:
		return &chat.Error{Code: chat.CodeInvalid}
	}
	return nil
}
