// Package app is the Bedrock chat API that the instance runs. This package
// only carries the service's own source, so that the stack can write it into
// the instance's user-data and build it there; the service itself lives in
// the packages below it and in cmd/chatd.
package app

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// source holds every file of this module. Tests and test data are filtered
// out by SourceFiles, since embed patterns cannot exclude them.
//
//go:embed go.mod go.sum *.go cmd internal timeouts
var source embed.FS

// SourceFile is one file that the instance needs to build the service.
type SourceFile struct {
	// Path is the file's path relative to the module root, with slashes.
	Path string
	// Content is the file's bytes.
	Content []byte
}

// SourceFiles returns the files that build the service, sorted by path:
// go.mod, go.sum and every non-test Go file. Test files and testdata are left
// out, since the instance never runs them.
func SourceFiles() ([]SourceFile, error) {
	var files []SourceFile
	err := fs.WalkDir(source, ".", func(name string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}

		// Skip test data folders whole, and keep only build inputs.
		if entry.IsDir() {
			if entry.Name() == "testdata" {
				return fs.SkipDir
			}
			return nil
		}
		if !isBuildInput(name) {
			return nil
		}

		content, err := source.ReadFile(name)
		if err != nil {
			return err
		}
		files = append(files, SourceFile{Path: name, Content: content})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read embedded service source: %w", err)
	}

	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// isBuildInput reports whether the file at name is needed to build the
// service: the module files and Go sources that are not tests.
func isBuildInput(name string) bool {
	switch {
	case name == "go.mod" || name == "go.sum":
		return true
	case strings.HasSuffix(name, "_test.go"):
		return false
	default:
		return path.Ext(name) == ".go"
	}
}
