//go:build e2e

package e2e

import (
	"cmp"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/internal/tfcli"
)

// registryTimeout bounds the preflight request to the provider registry.
const registryTimeout = 10 * time.Second

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

	// The AWS provider, from the mirror or else from the registry.
	if tools.terraform != "" {
		if err := providerPreflight(tools); err != nil {
			missing = append(missing, err.Error())
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

// providerPreflight reports, before anything is synthesized, that the AWS
// provider cannot be installed: the mirror in use lacks it, or there is no
// mirror and the registry does not answer.
func providerPreflight(tools toolchain) error {
	// A mirror is the only source the CLI configuration allows.
	if tools.mirror != "" {
		provider := filepath.Join(tools.mirror, "registry.terraform.io", "hashicorp", "aws")
		if _, err := os.Stat(provider); err != nil {
			return fmt.Errorf("the provider mirror %s holds no hashicorp/aws; fill it with "+
				"`terraform providers mirror %s` in a synthesized stack folder, or set %s "+
				"to another mirror", tools.mirror, tools.mirror, tfcli.MirrorEnv)
		}
		return nil
	}

	// Without one, the registry of the binary in use must answer.
	registry := "registry.terraform.io"
	if strings.HasPrefix(filepath.Base(tools.terraform), "tofu") {
		registry = "registry.opentofu.org"
	}
	discovery := "https://" + registry + "/.well-known/terraform.json"
	client := &http.Client{Timeout: registryTimeout}
	response, err := client.Get(discovery)
	if err == nil {
		response.Body.Close()
		if response.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %s", response.Status)
		}
	}
	if err != nil {
		folder := cmp.Or(os.Getenv(tfcli.MirrorEnv), tfcli.DefaultMirror)
		return fmt.Errorf("no source for the AWS provider: %s is not a provider mirror "+
			"folder, and the registry %s does not answer (%v); fill a mirror with "+
			"`terraform providers mirror DIR` in a synthesized stack folder on a "+
			"machine with network access, and name it with %s", folder, registry, err,
			tfcli.MirrorEnv)
	}
	return nil
}
