// Package chat holds the types that the HTTP layer and the model share.
package chat

// Request is one user turn; only System may be empty.
type Request struct {
	Message   string
	System    string
	MaxTokens int
}

// Usage counts the tokens that one model call consumed.
type Usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// Reply is the model's answer to a Request, in the API's JSON form.
type Reply struct {
	Text       string `json:"reply"`
	ModelID    string `json:"model_id"`
	StopReason string `json:"stop_reason"`
	Usage      Usage  `json:"usage"`
}

// Codes that an Error carries; writeError maps each to one HTTP status.
const (
	CodeInvalid     = "invalid_request"
	CodeTooLarge    = "request_too_large"
	CodeMediaType   = "unsupported_media_type"
	CodeMethod      = "method_not_allowed"
	CodeNotFound    = "not_found"
	CodeBusy        = "busy"
	CodeThrottled   = "throttled"
	CodeTimeout     = "upstream_timeout"
	CodeUnavailable = "upstream_unavailable"
	CodeUpstream    = "upstream_error"
	CodeCanceled    = "client_closed_request"
	CodeInternal    = "internal"
)

// Error is a failure that the client sees as Code and Message, or the code's
// generic message. The Upstream fields describe a failed Bedrock call and
// are only logged: Bedrock's error code, the HTTP status and AWS request ID
// when there was a response, and for a fault without an error code, such
// as a dropped connection, the SDK's text. Bedrock's own message is never
// kept, since it can echo the prompt.
type Error struct {
	Code              string
	Message           string
	Upstream          string
	UpstreamStatus    int
	UpstreamRequestID string
	UpstreamDetail    string
}

// Error returns the code and the message.
func (e *Error) Error() string {
	return e.Code + ": " + e.Message
}
