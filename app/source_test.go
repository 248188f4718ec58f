package app

import (
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// userDataBudget is the most that the gzipped service source may take:
// EC2's 16 KiB user-data limit less 2 KiB for the cloud-config around it,
// the build script and the systemd unit.
const userDataBudget = 14 << 10

func TestSourceFiles(t *testing.T) {
	files, err := SourceFiles()
	require.NoError(t, err)

	paths := make([]string, 0, len(files))
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	tests := []struct {
		path string
		want bool
	}{
		{path: "go.mod", want: true},
		{path: "go.sum", want: true},
		{path: "cmd/chatd/main.go", want: true},
		{path: "internal/server/routes.go", want: true},
		{path: "timeouts/timeouts.go", want: true},
		{path: "timeouts/timeouts_test.go", want: false},
		{path: "source_test.go", want: false},
		{path: "internal/server/server_test.go", want: false},
		{path: "README.md", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			assert.Equal(t, tt.want, contains(paths, tt.path))
		})
	}
}

// TestSourceFitsUserDataBudget gzips the files as one stream, the way the
// stack packs them, and logs the total of gzipping each file alone.
func TestSourceFitsUserDataBudget(t *testing.T) {
	files, err := SourceFiles()
	require.NoError(t, err)

	var all []byte
	perFile := 0
	for _, f := range files {
		all = append(all, f.Content...)
		perFile += gzipSize(t, f.Content)
	}
	whole := gzipSize(t, all)

	t.Logf("gzip: %d bytes as one stream (budget %d), %d bytes file by file",
		whole, userDataBudget, perFile)
	assert.LessOrEqual(t, whole, userDataBudget)
}

func gzipSize(t *testing.T, content []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	_, err = w.Write(content)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Len()
}

func contains(paths []string, path string) bool {
	for _, p := range paths {
		if p == path {
			return true
		}
	}
	return false
}
