package compliance

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update makes golden tests rewrite their files instead of comparing.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

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

// assertGolden compares got with the file at path, or rewrites the file
// when the test runs with -update.
func assertGolden(t *testing.T, path string, got []byte) {
	t.Helper()

	// Rewrite the file on request.
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}

	// Compare with line endings normalised.
	want, err := os.ReadFile(path)
	require.NoError(t, err, "read golden file; run go test ./compliance -update to create it")
	normalise := func(b []byte) string { return strings.ReplaceAll(string(b), "\r\n", "\n") }
	assert.Equal(t, normalise(want), normalise(got),
		"%s is out of date; run go test ./compliance -update to regenerate it", path)
}

// jsonNumber returns s as the json.Number the parsers produce.
func jsonNumber(s string) json.Number {
	return json.Number(s)
}
