package chatstack_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/chatstack"
)

// document is a synthesized Terraform JSON configuration.
type document struct {
	Resource  map[string]map[string]map[string]any `json:"resource"`
	Data      map[string]map[string]map[string]any `json:"data"`
	Output    map[string]map[string]any            `json:"output"`
	Provider  map[string][]map[string]any          `json:"provider"`
	Terraform map[string]any                       `json:"terraform"`
}

// block is one resource or data source of a document.
type block struct {
	// address is the Terraform address without the "data." prefix, such as
	// aws_vpc.network_vpc_4E8F0223.
	address string
	attrs   map[string]any
}

// parse decodes the scenario's stack in the form a synth writes, whose
// "//" metadata names each block's construct path.
func parse(t *testing.T, name string) document {
	t.Helper()
	s, ok := synthesized[name]
	require.True(t, ok, "scenario %q was not synthesized", name)

	var doc document
	require.NoError(t, json.Unmarshal(s.withPaths, &doc))
	return doc
}

// resources returns every resource of a type, sorted by name.
func (d document) resources(kind string) []block {
	return blocksOf(kind, d.Resource[kind])
}

// resource returns the one resource of a type at a construct path below
// the stack, such as "network/vpc".
func (d document) resource(t *testing.T, kind, path string) block {
	t.Helper()
	return only(t, kind, path, d.resources(kind))
}

// dataSource returns the one data source of a type at a construct path.
func (d document) dataSource(t *testing.T, kind, path string) block {
	t.Helper()
	return only(t, "data."+kind, path, blocksOf(kind, d.Data[kind]))
}

// only picks the block at a construct path below the stack.
func only(t *testing.T, kind, path string, blocks []block) block {
	t.Helper()
	var found []block
	for _, b := range blocks {
		if b.path() == chatstack.ID+"/"+path {
			found = append(found, b)
		}
	}
	require.Len(t, found, 1, "want one %s at %s", kind, path)
	return found[0]
}

// path returns the block's construct path from its metadata.
func (b block) path() string {
	meta, _ := b.attrs["//"].(map[string]any)
	inner, _ := meta["metadata"].(map[string]any)
	path, _ := inner["path"].(string)
	return path
}

// blocksOf lists the named blocks of one type in name order.
func blocksOf(kind string, named map[string]map[string]any) []block {
	var blocks []block
	for _, name := range slices.Sorted(maps.Keys(named)) {
		blocks = append(blocks, block{address: kind + "." + name, attrs: named[name]})
	}
	return blocks
}

// ref is the interpolation that reads an attribute of the block.
func (b block) ref(attr string) string {
	return "${" + b.address + "." + attr + "}"
}

// dataRef is the interpolation that reads an attribute of a data source.
func (b block) dataRef(attr string) string {
	return "${data." + b.address + "." + attr + "}"
}

// str returns a string attribute, failing the test when it is another type.
func (b block) str(t *testing.T, attr string) string {
	t.Helper()
	value, ok := b.attrs[attr].(string)
	require.True(t, ok, "%s.%s is %T, want a string", b.address, attr, b.attrs[attr])
	return value
}

// list returns a list attribute as strings.
func (b block) list(t *testing.T, attr string) []string {
	t.Helper()
	raw, ok := b.attrs[attr].([]any)
	require.True(t, ok, "%s.%s is %T, want a list", b.address, attr, b.attrs[attr])
	values := make([]string, len(raw))
	for i, item := range raw {
		values[i], ok = item.(string)
		require.True(t, ok, "%s.%s[%d] is %T, want a string", b.address, attr, i, item)
	}
	return values
}

// object returns a nested block given as one JSON object.
func (b block) object(t *testing.T, attr string) map[string]any {
	t.Helper()
	value, ok := b.attrs[attr].(map[string]any)
	require.True(t, ok, "%s.%s is %T, want an object", b.address, attr, b.attrs[attr])
	return value
}

// refs maps blocks to the interpolations of one of their attributes.
func refs(blocks []block, attr string) []string {
	values := make([]string, len(blocks))
	for i, b := range blocks {
		values[i] = b.ref(attr)
	}
	return values
}

// withPrefix keeps the blocks whose address starts with prefix.
func withPrefix(blocks []block, prefix string) []block {
	var kept []block
	for _, b := range blocks {
		if strings.HasPrefix(b.address, prefix) {
			kept = append(kept, b)
		}
	}
	return kept
}
