package compliance

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// synth adds the construct path metadata that cdktf synth writes to every
// resource and data source of doc, a Terraform JSON document, so that test
// stacks stay short. Each path is "test/" followed by the logical name.
func synth(t *testing.T, doc string) []byte {
	t.Helper()

	// Decode the hand-written document.
	var top map[string]map[string]map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(doc), &top), "test stack is not valid JSON")

	// Add the metadata block to each resource and data source.
	for _, section := range top {
		for _, named := range section {
			for name, attrs := range named {
				attrs["//"] = map[string]any{
					"metadata": map[string]any{"path": "test/" + name, "uniqueId": name},
				}
			}
		}
	}

	out, err := json.Marshal(top)
	require.NoError(t, err)
	return out
}

// jsonNumber returns s as the json.Number the parsers produce.
func jsonNumber(s string) json.Number {
	return json.Number(s)
}
