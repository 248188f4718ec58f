// Package golden compares test output with the golden files in testdata/
// and rewrites them when the tests run with -update. Importing it gives a
// test binary the -update flag, so `go test ./... -update` regenerates
// every golden file of the module in one command.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Command is the command that rewrites every golden file of the module.
const Command = "go test ./... -update"

// update makes Assert write its golden file instead of comparing with it.
var update = flag.Bool("update", false, "rewrite the golden files instead of comparing with them")

// Assert compares got with the golden file at path, with line endings
// normalised so that a checkout on Windows compares equal. With -update it
// writes got to path instead.
func Assert(t testing.TB, path string, got []byte) {
	t.Helper()

	// Rewrite the file on request.
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}

	// Compare, and say how to regenerate the file when it differs.
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file at %s; create it with: %s", path, Command)
	assert.Equal(t, normalizeNewlines(want), normalizeNewlines(got),
		"the output differs from %s; if the change is intended, run: %s", path, Command)
}

// normalizeNewlines turns CRLF line endings into LF.
func normalizeNewlines(text []byte) string {
	return strings.ReplaceAll(string(text), "\r\n", "\n")
}
