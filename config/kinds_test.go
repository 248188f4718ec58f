package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEverySettingNamesTheKindOfValueItTakes(t *testing.T) {
	want := map[string]bool{
		"a whole number": true, "true or false": true, "a string": true,
		"a list of strings": true, "an object of string values": true,
	}
	for _, s := range settings {
		assert.True(t, want[jsonKind(s.key)], "%s: %s", s, jsonKind(s.key))
	}
}
