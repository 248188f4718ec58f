// Package bedrock answers chat requests with Amazon Bedrock's Converse API.
package bedrock

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-chat/stack/app/internal/chat"
)

// Client sends chat requests to one Bedrock model.
type Client struct {
	api     *bedrockruntime.Client
	modelID string
}

// New returns a Client that calls modelID through api.
func New(api *bedrockruntime.Client, modelID string) *Client {
	return &Client{api: api, modelID: modelID}
}

// Chat sends req to the model as a single user turn.
func (c *Client) Chat(ctx context.Context, req chat.Request) (chat.Reply, error) {
	// Build a one-turn conversation with the optional system prompt.
	in := &bedrockruntime.ConverseInput{
		ModelId: aws.String(c.modelID),
		Messages: []types.Message{{
			Role:    types.ConversationRoleUser,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: req.Message}},
		}},
		InferenceConfig: &types.InferenceConfiguration{
			MaxTokens: aws.Int32(int32(req.MaxTokens)),
		},
	}
	if req.System != "" {
		in.System = []types.SystemContentBlock{
			&types.SystemContentBlockMemberText{Value: req.System},
		}
	}

	out, err := c.api.Converse(ctx, in)
	if err != nil {
		return chat.Reply{}, classify(ctx, err)
	}

	// Join the text; a reply without usage, or without text that no
	// filter explains, is malformed.
	var text strings.Builder
	if msg, ok := out.Output.(*types.ConverseOutputMemberMessage); ok {
		for _, block := range msg.Value.Content {
			if t, ok := block.(*types.ContentBlockMemberText); ok {
				text.WriteString(t.Value)
			}
		}
	}
	if (text.Len() == 0 && !filtered[out.StopReason]) || out.Usage == nil {
		return chat.Reply{}, &chat.Error{Code: chat.CodeUpstream, Upstream: "MalformedReply"}
	}

	return chat.Reply{
		Text:       text.String(),
		ModelID:    c.modelID,
		StopReason: string(out.StopReason),
		Usage: chat.Usage{
			InputTokens:  int(aws.ToInt32(out.Usage.InputTokens)),
			OutputTokens: int(aws.ToInt32(out.Usage.OutputTokens)),
		},
	}, nil
}

// classify keeps an SDK failure's code, status and request ID and drops
// its message, which may echo the prompt. A failure without an error code
// keeps the SDK's text instead, which holds no message from Bedrock.
func classify(ctx context.Context, err error) *chat.Error {
	// A spent deadline is a timeout, whatever the SDK wrapped around it; a
	// cancel means the client went away.
	switch {
	case ctx.Err() == context.DeadlineExceeded || errors.Is(err, context.DeadlineExceeded):
		return &chat.Error{Code: chat.CodeTimeout, Upstream: "Timeout"}
	case ctx.Err() == context.Canceled || errors.Is(err, context.Canceled):
		return &chat.Error{Code: chat.CodeCanceled, Upstream: "Canceled"}
	}

	// Note the response's status and request ID, when there was one.
	ce := &chat.Error{Code: chat.CodeUpstream, Upstream: "Transport"}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		ce.UpstreamStatus = respErr.HTTPStatusCode()
		ce.UpstreamRequestID = respErr.ServiceRequestID()
	}

	// Name the fault by Bedrock's code, or else keep the SDK's text.
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		ce.UpstreamDetail = err.Error()
		return ce
	}
	ce.Upstream = apiErr.ErrorCode()
	if kind, ok := kinds[ce.Upstream]; ok {
		ce.Code = kind
	}
	return ce
}

// kinds maps the Bedrock codes that are not plain upstream errors.
var kinds = map[string]string{
	"ThrottlingException":         chat.CodeThrottled,
	"ModelNotReadyException":      chat.CodeUnavailable,
	"ServiceUnavailableException": chat.CodeUnavailable,
	"ModelTimeoutException":       chat.CodeTimeout,
}

// filtered holds the stop reasons that explain a reply without text: a
// guardrail or content filter withheld it, and the client gets the reason.
var filtered = map[types.StopReason]bool{
	types.StopReasonGuardrailIntervened: true,
	types.StopReasonContentFiltered:     true,
}
