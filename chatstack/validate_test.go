package chatstack_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/chatstack"
	"github.com/bedrock-chat/stack/internal/tfcli"
)

func TestTerraformValidate(t *testing.T) {
	binary, err := tfcli.Find()
	if err != nil {
		requireInCI(t, err.Error())
	}
	mirror := tfcli.Mirror(os.Getenv)
	configFile, err := tfcli.WriteConfig(t.TempDir(), mirror)
	require.NoError(t, err)

	// Both forms a synth writes, JSON and HCL, for a stack with every
	// optional resource and for the plain default.
	for _, scenario := range []string{"default", "domain"} {
		for _, hcl := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s hcl=%t", scenario, hcl), func(t *testing.T) {
				stackDir := filepath.Join(synthesizeToFolder(t, scenario), "stacks", chatstack.ID)
				if hcl {
					stackDir = synthesizeHCL(t, scenario)
				}
				validate(t, binary, configFile, mirror, stackDir)
			})
		}
	}
}

// validate runs terraform init and validate in a synthesized stack folder,
// with a CLI configuration of our own: the mirror when there is one.
func validate(t *testing.T, binary, configFile, mirror, stackDir string) {
	t.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	terraform := func(args ...string) {
		t.Helper()
		cmd := exec.CommandContext(ctx, binary, args...)
		cmd.Dir = stackDir
		cmd.Env = append(os.Environ(),
			"TF_CLI_CONFIG_FILE="+configFile,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
		)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s %v failed (provider mirror %q):\n%s", binary, args, mirror, out)
	}

	terraform("init", "-backend=false", "-input=false", "-no-color")
	terraform("validate", "-no-color")
}

// requireInCI fails the test when CI=true and skips it elsewhere, saying
// what is missing.
func requireInCI(t *testing.T, missing string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI must run this test: %s", missing)
	}
	t.Skipf("skipped: %s", missing)
}
