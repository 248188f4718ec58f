package userdata

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file check decoded user-data with the tools that read it
// for real. With CI=true a missing tool fails them; elsewhere it skips them.

// debianPython is the interpreter that Debian's python3-yaml installs into;
// an interpreter earlier on PATH may lack the yaml module.
const debianPython = "/usr/bin/python3"

// hostUnitDir holds the units that systemd-analyze needs to load the
// dependencies of the service's unit.
const hostUnitDir = "/usr/lib/systemd/system"

// readWriteFiles is a Python program that loads a cloud-config document with
// PyYAML, the parser cloud-init uses, and prints its write_files as JSON.
const readWriteFiles = `
import json, sys, yaml
document = yaml.safe_load(sys.stdin)
json.dump(document["write_files"], sys.stdout)
`

// requireTool returns the path of the named program, or stops the test when
// it is missing: a failure under CI, a skip elsewhere.
func requireTool(t *testing.T, name, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		missing(t, fmt.Sprintf("%s is not installed", name), debianPackage)
	}
	return path
}

// requirePyYAML stops the test when Debian's Python has no yaml module, as
// requireTool does for a missing program.
func requirePyYAML(t *testing.T) {
	t.Helper()
	if err := exec.Command(debianPython, "-c", "import yaml").Run(); err != nil {
		missing(t, fmt.Sprintf("%s cannot import yaml (%v)", debianPython, err), "python3-yaml")
	}
}

// missing fails the test under CI and skips it elsewhere, naming the Debian
// package that provides what is missing.
func missing(t *testing.T, problem, debianPackage string) {
	t.Helper()
	message := fmt.Sprintf("%s; install it with: apt-get install %s", problem, debianPackage)
	if os.Getenv("CI") == "true" {
		t.Fatal(message)
	}
	t.Skip(message)
}

func TestUserDataPassesRealTools(t *testing.T) {
	cloudInit := requireTool(t, "cloud-init", "cloud-init")
	shellcheck := requireTool(t, "shellcheck", "shellcheck")
	systemdAnalyze := requireTool(t, "systemd-analyze", "systemd")
	requirePyYAML(t)

	for _, tc := range renderCases() {
		t.Run(tc.name, func(t *testing.T) {
			document := render(t, tc.opts)
			config := decode(t, document.Encoded)
			configPath := filepath.Join(t.TempDir(), "user-data")
			require.NoError(t, os.WriteFile(configPath, config, 0o600))

			// cloud-init accepts the document against its schema.
			output, err := exec.Command(cloudInit, "schema", "--config-file", configPath).
				CombinedOutput()
			require.NoError(t, err, "cloud-init schema:\n%s", output)
			assert.Contains(t, string(output), "Valid cloud-config")
			assert.NotContains(t, strings.ToLower(string(output)), "deprecat")

			// PyYAML reads back every file byte for byte.
			files := readWithPyYAML(t, config)
			assert.Equal(t, writtenFiles(t, config), files)

			// shellcheck finds nothing in the build script.
			scriptPath := filepath.Join(t.TempDir(), "build.sh")
			require.NoError(t, os.WriteFile(scriptPath, files[buildScriptPath], 0o600))
			output, err = exec.Command(shellcheck, scriptPath).CombinedOutput()
			assert.NoError(t, err, "shellcheck:\n%s", output)

			// systemd-analyze finds nothing in the unit.
			assert.NoError(t, verifyUnit(t, systemdAnalyze, files[unitPath]))
		})
	}
}

func TestVerifyUnitCatchesBadUnits(t *testing.T) {
	systemdAnalyze := requireTool(t, "systemd-analyze", "systemd")
	unit := string(writtenFiles(t, render(t, goldenOptions()).CloudConfig)[unitPath])
	require.NotEmpty(t, unit)

	tests := []struct {
		name string
		old  string
		new  string
	}{
		{name: "unknown directive", old: "UMask=0077", new: "UMask=0077\nProtectEverything=yes"},
		{name: "bad boolean", old: "NoNewPrivileges=yes", new: "NoNewPrivileges=maybe"},
		{name: "bad enumeration", old: "ProtectSystem=strict", new: "ProtectSystem=very"},
		{name: "bad time span", old: "RestartSec=5", new: "RestartSec=soon"},
		{name: "missing binary", old: "ExecStart=" + binaryPath, new: "ExecStart=/usr/bin/absent"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, unit, tc.old)
			broken := strings.Replace(unit, tc.old, tc.new, 1)

			assert.Error(t, verifyUnit(t, systemdAnalyze, []byte(broken)))
		})
	}
}

func TestServiceBuildsFromUserData(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the service, which may fetch modules; skipped with -short")
	}
	goCommand := requireTool(t, "go", "golang-go")
	document := render(t, Options{ModelID: "amazon.nova-lite-v1:0", Region: "us-east-1"})

	// Write the source out of the document as cloud-init would.
	module := t.TempDir()
	for path, content := range writtenFiles(t, document.CloudConfig) {
		relative, found := strings.CutPrefix(path, sourceDir+"/")
		if !found {
			continue
		}
		full := filepath.Join(module, filepath.FromSlash(relative))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, content, 0o644))
	}

	// Build the command that the build script builds.
	command := exec.Command(goCommand, "build", "-o",
		filepath.Join(t.TempDir(), "chatd"), "./cmd/chatd")
	command.Dir = module
	command.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "CGO_ENABLED=0")
	output, err := command.CombinedOutput()
	assert.NoError(t, err, "go build ./cmd/chatd from the user-data's source:\n%s", output)
}

// readWithPyYAML parses config with PyYAML and returns the decoded content of
// each write_files entry by path.
func readWithPyYAML(t *testing.T, config []byte) map[string][]byte {
	t.Helper()
	command := exec.Command(debianPython, "-c", readWriteFiles)
	command.Stdin = bytes.NewReader(config)
	var stderr bytes.Buffer
	command.Stderr = &stderr
	output, err := command.Output()
	require.NoError(t, err, "read write_files with PyYAML:\n%s", stderr.String())

	var entries []struct {
		Path     string `json:"path"`
		Encoding string `json:"encoding"`
		Content  string `json:"content"`
	}
	require.NoError(t, json.Unmarshal(output, &entries))
	files := make(map[string][]byte, len(entries))
	for _, entry := range entries {
		content := []byte(entry.Content)
		if entry.Encoding == "b64" {
			content, err = base64.StdEncoding.DecodeString(entry.Content)
			require.NoError(t, err, "decode %s", entry.Path)
		}
		files[entry.Path] = content
	}
	return files
}

// verifyUnit runs systemd-analyze verify on unit, installed in a throwaway
// root next to a stand-in binary and a copy of the host's units, and returns
// an error if it fails or prints anything: it reports unknown directives and
// bad values only as warnings, with a zero exit status.
func verifyUnit(t *testing.T, systemdAnalyze string, unit []byte) error {
	t.Helper()
	root := t.TempDir()

	// Lay out the unit, the binary it starts and the units it depends on.
	if _, err := os.Stat(hostUnitDir); err != nil {
		missing(t, fmt.Sprintf("%s is missing", hostUnitDir), "systemd")
	}
	install := func(path string, content []byte, mode os.FileMode) {
		full := filepath.Join(root, path)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, content, mode))
	}
	install(unitPath, unit, 0o644)
	install(binaryPath, []byte("#!/bin/sh\n"), 0o755)
	unitDir := filepath.Join(root, hostUnitDir)
	require.NoError(t, os.MkdirAll(filepath.Dir(unitDir), 0o755))
	output, err := exec.Command("cp", "-a", hostUnitDir, unitDir).CombinedOutput()
	require.NoError(t, err, "copy host units:\n%s", output)

	// Verify without generators or man pages, which need a running system.
	output, err = exec.Command(systemdAnalyze, "verify", "--man=no", "--generators=no",
		"--root="+root, unitName).CombinedOutput()
	switch {
	case err != nil:
		return fmt.Errorf("systemd-analyze verify: %w:\n%s", err, output)
	case len(bytes.TrimSpace(output)) > 0:
		return errors.New("systemd-analyze verify printed warnings:\n" + string(output))
	}
	return nil
}
