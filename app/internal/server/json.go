package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/bedrock-chat/stack/app/internal/chat"
)

// encode writes v as a JSON response with status.
func encode(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)

	// A failed write means the client has gone.
	_ = json.NewEncoder(w).Encode(v)
}

// decode reads one JSON object of at most limit bytes, decoding each member
// into the pointer that fields holds under its exact name. Unknown names,
// names that differ in case, repeated names and trailing data are refused.
func decode(w http.ResponseWriter, r *http.Request, limit int64, fields map[string]any) error {
	media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || media != "application/json" {
		return &chat.Error{Code: chat.CodeMediaType}
	}

	// Decode the object, then make sure nothing follows it.
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	err = decodeObject(dec, fields)
	if err == nil {
		if _, err = dec.Token(); err == io.EOF {
			err = nil
		} else if err == nil {
			err = invalid("trailing data after the JSON object")
		}
	}

	var tooLarge *http.MaxBytesError
	var ce *chat.Error
	switch {
	case errors.As(err, &tooLarge):
		return &chat.Error{Code: chat.CodeTooLarge}
	case errors.As(err, &ce):
		return ce
	case err != nil:
		return &chat.Error{Code: chat.CodeInvalid}
	}
	return nil
}

// decodeObject reads one object from dec, member by member, so that it
// sees every name as it was written.
func decodeObject(dec *json.Decoder, fields map[string]any) error {
	// The value must be an object.
	if token, err := dec.Token(); err != nil {
		return err
	} else if token != json.Delim('{') {
		return invalid("the body must be a JSON object")
	}

	// Decode each member into its field, refusing names that do not fit.
	seen := make(map[string]bool, len(fields))
	for dec.More() {
		token, err := dec.Token()
		if err != nil {
			return err
		}
		name := token.(string)
		field, known := fields[name]
		switch {
		case !known:
			return invalid(unknownField(name, fields))
		case seen[name]:
			return invalid(fmt.Sprintf("field %q appears more than once", name))
		}
		seen[name] = true
		if err := dec.Decode(field); err != nil {
			return err
		}
	}

	// Read the closing brace.
	_, err := dec.Token()
	return err
}

// unknownField describes a name that is not in fields, pointing out a
// known one that differs only in case, since names are case-sensitive.
func unknownField(name string, fields map[string]any) string {
	for known := range fields {
		if strings.EqualFold(name, known) {
			return fmt.Sprintf("unknown field %q; names are case-sensitive: use %q",
				name, known)
		}
	}
	return fmt.Sprintf("unknown field %q", name)
}

// invalid returns an invalid-request error with message.
func invalid(message string) *chat.Error {
	return &chat.Error{Code: chat.CodeInvalid, Message: message}
}
