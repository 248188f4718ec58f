//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/chatstack"
	"github.com/bedrock-chat/stack/internal/tfcli"
)

// logTailLines is how many lines of a failed command's output a failure
// message quotes.
const logTailLines = 60

// workspace is one scenario's folder: its synthesized stack, its state and
// the logs of every command run on it.
type workspace struct {
	tools toolchain
	// dir is the scenario's temporary folder.
	dir string
	// outdir is the CDKTF output folder inside dir.
	outdir string
	// env is the environment of every command: the emulator, the CLI
	// configuration and the scenario's settings, and nothing of the
	// developer's AWS or Terraform settings.
	env []string
}

// terraformBinaryEnv names the variable that tells the CDKTF CLI which
// Terraform binary to run; the test sets it to the one it found, which may
// be OpenTofu.
const terraformBinaryEnv = "TERRAFORM_BINARY_NAME"

// keepEnv names a folder in which the test keeps each scenario's workspace
// (synthesized stack, state, plan and logs) instead of deleting it.
const keepEnv = "E2E_KEEP_DIR"

// newWorkspace prepares a temporary folder and the environment that points
// the provider at endpoint.
func newWorkspace(t *testing.T, tools toolchain, endpoint, region string,
	settings map[string]string) *workspace {
	t.Helper()

	// The folder goes away with the test, unless keepEnv names a place.
	dir := t.TempDir()
	if keep := os.Getenv(keepEnv); keep != "" {
		var err error
		dir, err = os.MkdirTemp(keep, strings.ReplaceAll(t.Name(), "/", "-")+"-")
		require.NoError(t, err, "create a workspace in %s", keep)
		t.Logf("workspace kept in %s", dir)
	}

	// The CLI configuration installs the provider from the mirror, if any.
	cliConfig, err := tfcli.WriteConfig(dir, tools.mirror)
	require.NoError(t, err)

	// Drop every inherited AWS, Terraform, CDKTF and stack setting.
	var env []string
	for _, entry := range os.Environ() {
		name, _, _ := strings.Cut(entry, "=")
		if hasAnyPrefix(name, "AWS_", "TF_", "CDKTF_", "CHAT_STACK_") || name == "PATH" ||
			name == terraformBinaryEnv {
			continue
		}
		env = append(env, entry)
	}

	// The provider finds the emulator through the environment alone.
	env = append(env,
		"PATH="+filepath.Join(tools.root, "node_modules", ".bin")+
			string(os.PathListSeparator)+os.Getenv("PATH"),
		"AWS_ENDPOINT_URL="+endpoint,
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_REGION="+region,
		"AWS_DEFAULT_REGION="+region,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "no-aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "no-aws-credentials"),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		terraformBinaryEnv+"="+tools.terraform,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"CDKTF_DISABLE_PLUGIN_CACHE_ENV=true",
		"FORCE_COLOR=0",
	)
	for name, value := range settings {
		env = append(env, name+"="+value)
	}

	return &workspace{
		tools:  tools,
		dir:    dir,
		outdir: filepath.Join(dir, "cdktf.out"),
		env:    env,
	}
}

// setenv sets one variable of the environment of the commands that follow,
// in place of the value it had.
func (w *workspace) setenv(name, value string) {
	w.env = slices.DeleteFunc(w.env, func(entry string) bool {
		return strings.HasPrefix(entry, name+"=")
	})
	w.env = append(w.env, name+"="+value)
}

// stackDir is the synthesized stack's folder, Terraform's working folder.
func (w *workspace) stackDir() string {
	return filepath.Join(w.outdir, "stacks", chatstack.ID)
}

// statePath is where the local backend keeps the state: StatePath is
// relative to the stack folder, which lands it in the workspace, never in
// the project.
func (w *workspace) statePath() string {
	return filepath.Clean(filepath.Join(w.stackDir(), chatstack.StatePath))
}

// outputsPath is the file cdktf deploy writes the stack outputs to.
func (w *workspace) outputsPath() string {
	return filepath.Join(w.dir, "outputs.json")
}

// cdktf runs the CDKTF CLI in the project folder, writing into the
// workspace, and returns how long it took.
func (w *workspace) cdktf(t *testing.T, timeout time.Duration, args ...string) time.Duration {
	t.Helper()
	args = append(args, "--output", w.outdir, "--no-color")
	return w.run(t, timeout, w.tools.root, "cdktf-"+args[0], w.tools.cdktf, args...)
}

// terraform runs Terraform in the stack folder and returns how long it
// took.
func (w *workspace) terraform(t *testing.T, timeout time.Duration, args ...string) time.Duration {
	t.Helper()
	return w.run(t, timeout, w.stackDir(), "terraform-"+args[0], w.tools.terraform, args...)
}

// run runs one command with the workspace's environment, its output in a
// log file, and fails the test with the log's tail when it fails or
// outlives timeout, which the test's deadline may shorten. The command gets
// a process group of its own, so that a timeout stops Terraform along with
// the CLI that started it.
func (w *workspace) run(t *testing.T, timeout time.Duration, dir, logName, name string,
	args ...string) time.Duration {
	t.Helper()
	elapsed, err := w.runErr(stepTimeout(t, timeout), dir, logName, name, args...)
	require.NoError(t, err)
	return elapsed
}

// runErr is run without the test: it returns the failure, with the log's
// tail, instead.
func (w *workspace) runErr(timeout time.Duration, dir, logName, name string,
	args ...string) (time.Duration, error) {
	// The output goes to a log of its own, named after the step; a step
	// that runs again, such as the teardown's deploy, gets a numbered one.
	logPath := filepath.Join(w.dir, logName+".log")
	for run := 2; stampOf(logPath).exists; run++ {
		logPath = filepath.Join(w.dir, logName+"-"+strconv.Itoa(run)+".log")
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return 0, fmt.Errorf("create log %s: %w", logPath, err)
	}
	defer logFile.Close()

	// A timeout kills the whole process group, by the command's own ID.
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = w.env
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = childProcessAttr()
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second

	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("timed out after %s: %w", timeout, err)
		}
		return elapsed, fmt.Errorf("%s %s: %w\n--- last lines of %s ---\n%s",
			filepath.Base(name), strings.Join(args, " "), err, logPath, tail(logPath))
	}
	return elapsed, nil
}

// lockProviders records the provider from the mirror in the stack's lock
// file. cdktf deploy runs `terraform providers lock` when the lock file is
// missing, and that command asks the registry whatever the CLI
// configuration says; with a lock file in place it does not.
func (w *workspace) lockProviders(t *testing.T) {
	t.Helper()
	if w.tools.mirror == "" {
		return
	}
	w.terraform(t, 2*time.Minute, "providers", "lock", "-no-color",
		"-fs-mirror="+w.tools.mirror, "-platform="+runtime.GOOS+"_"+runtime.GOARCH)
}

// tail returns the last lines of a log file.
func tail(path string) string {
	content, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(content), "\n"), "\n")
	if len(lines) > logTailLines {
		lines = lines[len(lines)-logTailLines:]
	}
	return strings.Join(lines, "\n")
}

// hasAnyPrefix reports whether name starts with one of prefixes.
func hasAnyPrefix(name string, prefixes ...string) bool {
	return slices.ContainsFunc(prefixes, func(prefix string) bool {
		return strings.HasPrefix(name, prefix)
	})
}

// stateFile is the part of a Terraform state file the test reads.
type stateFile struct {
	Resources []struct {
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []any  `json:"instances"`
	} `json:"resources"`
}

// managedResources returns the address of every managed resource instance
// in the state at path.
func managedResources(t *testing.T, path string) []string {
	t.Helper()
	content, err := os.ReadFile(path)
	require.NoError(t, err, "read state")
	var state stateFile
	require.NoError(t, json.Unmarshal(content, &state), "decode state %s", path)

	var addresses []string
	for _, resource := range state.Resources {
		if resource.Mode != "managed" {
			continue
		}
		for range resource.Instances {
			addresses = append(addresses, resource.Type+"."+resource.Name)
		}
	}
	return addresses
}

// readOutputs returns the stack outputs that cdktf deploy wrote.
func (w *workspace) readOutputs(t *testing.T) map[string]any {
	t.Helper()
	content, err := os.ReadFile(w.outputsPath())
	require.NoError(t, err, "read the outputs file")
	var byStack map[string]map[string]any
	require.NoError(t, json.Unmarshal(content, &byStack), "decode %s", w.outputsPath())
	outputs, ok := byStack[chatstack.ID]
	require.True(t, ok, "no outputs for stack %s in %s", chatstack.ID, content)
	return outputs
}

// fileStamp describes a file enough to tell whether something wrote it.
type fileStamp struct {
	exists  bool
	size    int64
	modTime time.Time
}

// stampOf returns the stamp of the file at path.
func stampOf(path string) fileStamp {
	info, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{exists: true, size: info.Size(), modTime: info.ModTime()}
}
