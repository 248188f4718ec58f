package chatstack_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// regenerate is the command that rewrites the snapshots.
const regenerate = "go test ./chatstack -update"

func TestGoldenSnapshots(t *testing.T) {
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			path := filepath.Join("testdata", s.name+".json")
			got := synthesized[s.name].json + "\n"

			// With -update, write the snapshot instead of comparing.
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}

			want, err := os.ReadFile(path)
			require.NoError(t, err, "no snapshot at %s; create it with: %s", path, regenerate)
			assert.Equal(t, normalizeNewlines(string(want)), got,
				"the synthesized stack differs from %s; if the change is intended, run: %s",
				path, regenerate)
		})
	}
}

// normalizeNewlines turns CRLF line endings into LF, so that a checkout on
// Windows compares equal.
func normalizeNewlines(text string) string {
	return strings.ReplaceAll(text, "\r\n", "\n")
}
