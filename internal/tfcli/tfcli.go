// Package tfcli prepares a Terraform (or OpenTofu) command line for tests:
// it finds the binary and writes a CLI configuration that installs the AWS
// provider from a local filesystem mirror when the machine has one, and
// from the registry otherwise.
package tfcli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// DefaultMirror is the provider mirror that the project's build machines
// carry. MirrorEnv names another.
const DefaultMirror = "/opt/tf-plugins"

// MirrorEnv is the environment variable that names a provider mirror folder
// in place of DefaultMirror.
const MirrorEnv = "TF_PLUGIN_MIRROR"

// Binaries lists the command names tried, in order: Terraform, then
// OpenTofu.
var Binaries = []string{"terraform", "tofu"}

// ErrNoBinary reports that neither Terraform nor OpenTofu is on the PATH.
var ErrNoBinary = errors.New("neither terraform nor tofu is on the PATH; " +
	"install Terraform 1.5+ (developer.hashicorp.com/terraform/install) or OpenTofu")

// Find returns the path of the first of Binaries found on the PATH.
func Find() (string, error) {
	for _, name := range Binaries {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", ErrNoBinary
}

// Mirror returns the provider mirror folder to use, or "" when there is
// none and providers come from the registry.
func Mirror(getenv func(string) string) string {
	folder := getenv(MirrorEnv)
	if folder == "" {
		folder = DefaultMirror
	}
	if info, err := os.Stat(folder); err != nil || !info.IsDir() {
		return ""
	}
	return folder
}

// WriteConfig writes a CLI configuration file into dir and returns its
// path, for TF_CLI_CONFIG_FILE. With a mirror, hashicorp providers are
// installed from it alone and every other provider directly; without one,
// the file leaves installation to the registry.
func WriteConfig(dir, mirror string) (string, error) {
	content := "# Written by the tests: providers come from the registry.\n"
	if mirror != "" {
		content = fmt.Sprintf(`# Written by the tests: the AWS provider comes from a local mirror.
provider_installation {
  filesystem_mirror {
    path    = %s
    include = ["registry.terraform.io/hashicorp/*", "registry.opentofu.org/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*", "registry.opentofu.org/hashicorp/*"]
  }
}
`, strconv.Quote(mirror))
	}

	path := filepath.Join(dir, "terraform.rc")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		return "", fmt.Errorf("write terraform CLI configuration: %w", err)
	}
	return path, nil
}
