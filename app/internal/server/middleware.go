package server

import (
	"errors"
	"net/http"
	"path"
	"runtime/debug"
	"strings"

	"github.com/bedrock-chat/stack/app/internal/chat"
)

// recoverPanics turns a panic in next into a 500 in the API's error shape
// and one log line with the request ID and the stack, which holds no body.
// http.ErrAbortHandler passes through, to abort the response as intended.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}

			// Log where it happened, but not the value, which may hold data.
			e := r.Context().Value(entryKey{}).(*entry)
			s.log.Error("panic", "request_id", w.Header().Get("X-Request-Id"),
				"path", r.Pattern, "stack", string(debug.Stack()))

			// Answer, unless the handler had already begun to.
			if !e.written {
				writeError(w, r, &chat.Error{Code: chat.CodeInternal})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// rejectUncleanPaths answers a path that is not in clean form, such as
// //chat or /a/../chat, with a 404 in the API's error shape, where
// http.ServeMux would redirect with an HTML body.
func rejectUncleanPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect && r.URL.Path != cleanPath(r.URL.Path) {
			writeError(w, r, &chat.Error{
				Code:    chat.CodeNotFound,
				Message: "no such path; use its clean form, such as /chat",
			})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// cleanPath returns p as http.ServeMux cleans it before it matches a route:
// rooted, without . or .. elements or repeated slashes, keeping a trailing
// slash.
func cleanPath(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean
}
