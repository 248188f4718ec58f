package tfcli_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/internal/tfcli"
	// Accepts -update, so that go test ./... -update runs this package too.
	_ "github.com/bedrock-chat/stack/internal/golden"
)

func TestMirror(t *testing.T) {
	existing := t.TempDir()
	file := filepath.Join(existing, "not-a-folder")
	require.NoError(t, os.WriteFile(file, nil, 0o644))

	tests := []struct {
		name   string
		env    string
		expect string
	}{
		{"a folder named by the variable", existing, existing},
		{"a folder that does not exist", filepath.Join(existing, "missing"), ""},
		{"a file, not a folder", file, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(name string) string {
				if name == tfcli.MirrorEnv {
					return tt.env
				}
				return ""
			}
			assert.Equal(t, tt.expect, tfcli.Mirror(getenv))
		})
	}
}

func TestWriteConfig(t *testing.T) {
	t.Run("with a mirror", func(t *testing.T) {
		path, err := tfcli.WriteConfig(t.TempDir(), "/opt/tf-plugins")
		require.NoError(t, err)
		content, err := os.ReadFile(path)
		require.NoError(t, err)

		assert.Contains(t, string(content), "filesystem_mirror {\n    path    = \"/opt/tf-plugins\"")
		assert.Contains(t, string(content), `include = ["registry.terraform.io/hashicorp/*"`)
		assert.Contains(t, string(content), "direct {\n    exclude")
	})

	t.Run("without a mirror", func(t *testing.T) {
		path, err := tfcli.WriteConfig(t.TempDir(), "")
		require.NoError(t, err)
		content, err := os.ReadFile(path)
		require.NoError(t, err)

		assert.NotContains(t, string(content), "provider_installation")
	})

	t.Run("into a folder that does not exist", func(t *testing.T) {
		_, err := tfcli.WriteConfig(filepath.Join(t.TempDir(), "missing"), "")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "write terraform CLI configuration")
	})
}
