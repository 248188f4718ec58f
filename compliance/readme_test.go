package compliance_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/compliance"
)

func TestReadmeListsEveryRule(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)

	for _, rule := range compliance.Rules() {
		assert.Contains(t, string(readme), "| `"+rule.ID+"` | "+rule.Safeguard+" |",
			"the README's rule table lacks %s; copy its row from compliance/RULES.md", rule.ID)
	}
}
