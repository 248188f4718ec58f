package server

import "net/http"

// addRoutes lists the whole API.
func (s *server) addRoutes(mux *http.ServeMux) {
	mux.Handle("/{$}", allow(s.handleHealth(), "GET", "HEAD"))
	mux.Handle("/chat", allow(s.handleChat(), "POST"))
	mux.Handle("/", allow(nil))
}
