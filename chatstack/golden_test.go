package chatstack_test

import (
	"path/filepath"
	"testing"

	"github.com/bedrock-chat/stack/internal/golden"
)

func TestGoldenSnapshots(t *testing.T) {
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			path := filepath.Join("testdata", s.name+".json")
			golden.Assert(t, path, []byte(synthesized[s.name].json+"\n"))
		})
	}
}
