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
	"reflect"
	"runtime"
	"slices"
	"sort"
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

// toolchain is what a deployment needs on this machine.
type toolchain struct {
	// root is the project folder, which holds cdktf.json.
	root string
	// terraform is the Terraform or OpenTofu binary.
	terraform string
	// cdktf is the pinned CDKTF CLI that npm ci installs.
	cdktf string
	// moto is the moto_server command.
	moto string
	// mirror is the provider mirror folder, or "" for the registry.
	mirror string
}

// findToolchain locates every tool the deployment needs. When one is
// missing the test fails under CI=true and is skipped elsewhere, naming
// each missing piece and how to install it.
func findToolchain(t *testing.T) toolchain {
	t.Helper()
	var missing []string

	// The project is the parent of this package's folder.
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(root, "cdktf.json"))
	tools := toolchain{root: root, mirror: tfcli.Mirror(os.Getenv)}

	// Terraform or OpenTofu.
	if tools.terraform, err = tfcli.Find(); err != nil {
		missing = append(missing, err.Error())
	}

	// The AWS provider, when a mirror is meant to hold it.
	if tools.mirror != "" {
		provider := filepath.Join(tools.mirror, "registry.terraform.io", "hashicorp", "aws")
		if _, err := os.Stat(provider); err != nil {
			missing = append(missing, fmt.Sprintf("the provider mirror %s holds no "+
				"hashicorp/aws; fill it with `terraform providers mirror %s` in a synthesized "+
				"stack folder, or set %s to another mirror", tools.mirror, tools.mirror,
				tfcli.MirrorEnv))
		}
	}

	// The CDKTF CLI pinned in package.json.
	tools.cdktf = filepath.Join(root, "node_modules", ".bin", "cdktf")
	if _, err := os.Stat(tools.cdktf); err != nil {
		missing = append(missing, "the CDKTF CLI is not installed; run `npm ci` "+
			"(or `make node_modules`) in "+root)
	}

	// The emulator.
	if tools.moto, err = exec.LookPath("moto_server"); err != nil {
		missing = append(missing, "moto_server is not on the PATH; install it with "+
			"`pip install 'moto[server]>=5.2'`")
	}

	if len(missing) > 0 {
		message := "a deployment to the emulator needs:\n  " + strings.Join(missing, "\n  ")
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must run this test: %s", message)
		}
		t.Skipf("skipped: %s", message)
	}
	return tools
}

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
		if hasAnyPrefix(name, "AWS_", "TF_", "CDKTF_", "CHAT_STACK_") || name == "PATH" {
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
// outlives timeout. The command gets a process group of its own, so that a
// timeout stops Terraform along with the CLI that started it.
func (w *workspace) run(t *testing.T, timeout time.Duration, dir, logName, name string,
	args ...string) time.Duration {
	t.Helper()
	elapsed, err := w.runErr(timeout, dir, logName, name, args...)
	require.NoError(t, err)
	return elapsed
}

// runErr is run without the test: it returns the failure, with the log's
// tail, instead.
func (w *workspace) runErr(timeout time.Duration, dir, logName, name string,
	args ...string) (time.Duration, error) {
	// The output goes to a log of its own, named after the step.
	logPath := filepath.Join(w.dir, logName+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return 0, fmt.Errorf("create log: %w", err)
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
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
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

// acceptedDifference is a planned change after a deploy that comes from
// the emulator, not from the stack.
type acceptedDifference struct {
	// resourceType is the Terraform resource type, such as aws_instance.
	resourceType string
	// attribute is the top-level attribute that differs.
	attribute string
	// reason says why the emulator, and not the stack, causes it.
	reason string
}

// acceptedDifferences lists every difference that the re-plan may show.
// Anything else fails the test.
var acceptedDifferences = []acceptedDifference{
	{
		resourceType: "aws_vpc_security_group_ingress_rule",
		attribute:    "description",
		reason: "moto drops the description of a rule that references a security " +
			"group or a prefix list, so the provider reads none back",
	},
	{
		resourceType: "aws_vpc_security_group_egress_rule",
		attribute:    "description",
		reason: "moto drops the description of a rule that references a security " +
			"group or a prefix list, so the provider reads none back",
	},
}

// planFile is the part of `terraform show -json` that the test reads.
type planFile struct {
	ResourceChanges []struct {
		Address string `json:"address"`
		Type    string `json:"type"`
		Change  struct {
			Actions      []string       `json:"actions"`
			Before       map[string]any `json:"before"`
			After        map[string]any `json:"after"`
			AfterUnknown map[string]any `json:"after_unknown"`
		} `json:"change"`
	} `json:"resource_changes"`
	OutputChanges map[string]struct {
		Actions []string `json:"actions"`
	} `json:"output_changes"`
}

// replan plans the deployed stack again and returns the changes that are
// not in acceptedDifferences, each as "address: what", and how long the
// plan took.
func (w *workspace) replan(t *testing.T) ([]string, time.Duration) {
	t.Helper()

	// Plan into a file, so that the changes can be read as JSON.
	planPath := filepath.Join(w.dir, "replan.tfplan")
	elapsed := w.terraform(t, 5*time.Minute, "plan", "-input=false", "-no-color",
		"-lock-timeout=30s", "-out="+planPath)
	showLog := filepath.Join(w.dir, "terraform-show.log")
	w.terraform(t, time.Minute, "show", "-json", "-no-color", planPath)
	content, err := os.ReadFile(showLog)
	require.NoError(t, err)
	var plan planFile
	require.NoError(t, json.Unmarshal(content, &plan), "decode the plan in %s", showLog)

	// Every change to a resource must be an update of accepted attributes.
	var unexpected []string
	for _, change := range plan.ResourceChanges {
		actions := change.Change.Actions
		if slices.Equal(actions, []string{"no-op"}) || slices.Equal(actions, []string{"read"}) {
			continue
		}
		if !slices.Equal(actions, []string{"update"}) {
			unexpected = append(unexpected, fmt.Sprintf("%s: %v", change.Address, actions))
			continue
		}
		for _, attribute := range changedAttributes(change.Change.Before, change.Change.After,
			change.Change.AfterUnknown) {
			if reason, ok := accepted(change.Type, attribute); ok {
				t.Logf("accepted emulator difference %s.%s: %s", change.Address, attribute, reason)
				continue
			}
			unexpected = append(unexpected, fmt.Sprintf("%s: %s changes", change.Address, attribute))
		}
	}

	// Outputs must not change either.
	for name, change := range plan.OutputChanges {
		if !slices.Equal(change.Actions, []string{"no-op"}) {
			unexpected = append(unexpected, fmt.Sprintf("output %s: %v", name, change.Actions))
		}
	}
	sort.Strings(unexpected)
	return unexpected, elapsed
}

// changedAttributes lists the top-level attributes whose planned value
// differs from the current one or is not known until apply.
func changedAttributes(before, after, unknown map[string]any) []string {
	var changed []string
	for name := range after {
		if !reflect.DeepEqual(before[name], after[name]) || isUnknown(unknown[name]) {
			changed = append(changed, name)
		}
	}
	sort.Strings(changed)
	return changed
}

// isUnknown reports whether an after_unknown entry marks any part of a
// value as unknown.
func isUnknown(marker any) bool {
	switch value := marker.(type) {
	case bool:
		return value
	case []any:
		return slices.ContainsFunc(value, isUnknown)
	case map[string]any:
		for _, inner := range value {
			if isUnknown(inner) {
				return true
			}
		}
	}
	return false
}

// accepted returns the reason a difference is accepted, if it is.
func accepted(resourceType, attribute string) (string, bool) {
	for _, difference := range acceptedDifferences {
		if difference.resourceType == resourceType && difference.attribute == attribute {
			return difference.reason, true
		}
	}
	return "", false
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
