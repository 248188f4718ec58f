package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeTableHeading opens the README's table of settings.
const readmeTableHeading = "| setting (`context.bedrockChat`) | environment variable | default | allowed |"

// readmeRow is one row of the README's table of settings.
type readmeRow struct {
	env          string
	defaultValue string
}

func TestReadmeTableMatchesTheSettingsAndTheirDefaults(t *testing.T) {
	rows := readReadmeSettings(t)
	var defaults map[string]any
	require.NoError(t, json.Unmarshal(defaultsJSON, &defaults))

	// Every setting has a row that names its variable and its default.
	documented := map[string]bool{}
	for _, s := range settings {
		documented[s.key] = true
		row, ok := rows[s.key]
		if !assert.True(t, ok, "the README's table of settings lacks %s", s) {
			continue
		}
		assert.Equal(t, "`"+s.env+"`", row.env, "environment variable of %s", s.key)
		assertDocumentedDefault(t, s.key, defaults[s.key], row.defaultValue)
	}

	// The table documents no setting that does not exist.
	for key := range rows {
		assert.True(t, documented[key], "the README documents %q, which is not a setting", key)
	}
}

// assertDocumentedDefault checks a README default cell against the value in
// defaults.json.
func assertDocumentedDefault(t *testing.T, key string, value any, cell string) {
	t.Helper()
	switch value := value.(type) {
	case string:
		if value == "" {
			assert.True(t, strings.HasPrefix(cell, "empty"),
				"%s defaults to nothing; the README says %s", key, cell)
			return
		}
		assert.Equal(t, "`"+value+"`", cell, "default of %s", key)
	case []any:
		items := make([]string, len(value))
		for i, item := range value {
			items[i] = fmt.Sprint(item)
		}
		assert.Equal(t, "`"+strings.Join(items, ",")+"`", cell, "default of %s", key)
	case map[string]any:
		assert.Equal(t, sortedPairs(value), sortedPairs(parsePairs(t, cell)), "default of %s", key)
	default:
		assert.Equal(t, fmt.Sprintf("`%v`", value), cell, "default of %s", key)
	}
}

// readReadmeSettings returns the rows of the README's table of settings by
// context key.
func readReadmeSettings(t *testing.T) map[string]readmeRow {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)

	// The table runs from its heading to the first line that is not a row.
	_, table, found := strings.Cut(string(readme), readmeTableHeading+"\n")
	require.True(t, found, "the README has no table of settings")
	rows := map[string]readmeRow{}
	for _, line := range strings.Split(table, "\n") {
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) < 4 || strings.HasPrefix(cells[0], " ---") {
			continue
		}
		key := strings.Trim(strings.TrimSpace(cells[0]), "`")
		rows[key] = readmeRow{env: strings.TrimSpace(cells[1]), defaultValue: strings.TrimSpace(cells[2])}
	}
	return rows
}

// parsePairs reads a cell such as `A=b,C=d` into a map.
func parsePairs(t *testing.T, cell string) map[string]any {
	t.Helper()
	pairs := map[string]any{}
	for _, pair := range strings.Split(strings.Trim(cell, "`"), ",") {
		key, value, found := strings.Cut(pair, "=")
		require.True(t, found, "%q in %s is not Key=Value", pair, cell)
		pairs[key] = value
	}
	return pairs
}

// sortedPairs renders a map as sorted Key=Value strings, for comparison.
func sortedPairs(pairs map[string]any) []string {
	rendered := make([]string, 0, len(pairs))
	for key, value := range pairs {
		rendered = append(rendered, fmt.Sprintf("%s=%v", key, value))
	}
	sort.Strings(rendered)
	return rendered
}
