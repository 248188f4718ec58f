package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	// Accepts -update, so that go test ./... -update runs this package too.
	_ "github.com/bedrock-chat/stack/internal/golden"
)

// buildSynth compiles this command into a temporary folder.
func buildSynth(t *testing.T) string {
	t.Helper()
	binary := filepath.Join(t.TempDir(), "synth")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	require.NoError(t, err, "build the synth command:\n%s", out)
	return binary
}

// runSynth runs the command in dir with the project's suppressions and
// extra environment variables, and returns its combined output and error.
func runSynth(t *testing.T, binary, dir string, env ...string) (string, error) {
	t.Helper()
	suppressions, err := filepath.Abs("hipaa-suppressions.json")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CHAT_STACK_SUPPRESSIONS_FILE="+suppressions)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestSynthCommand(t *testing.T) {
	binary := buildSynth(t)

	t.Run("bad configuration writes nothing", func(t *testing.T) {
		dir := t.TempDir()
		existing := filepath.Join(dir, "existing")
		require.NoError(t, os.MkdirAll(filepath.Join(existing, "stacks"), 0o755))
		marker := filepath.Join(existing, "stacks", "marker")
		require.NoError(t, os.WriteFile(marker, []byte("before"), 0o644))

		for _, outdir := range []string{existing, filepath.Join(dir, "absent")} {
			out, err := runSynth(t, binary, dir,
				"CDKTF_OUTDIR="+outdir,
				"CHAT_STACK_APP_PORT=70000",
				"CHAT_STACK_PRIVATE_SUBNET_CIDRS=10.9.0.0/24",
			)

			// A non-zero exit that names the settings, values and limits.
			var exitErr *exec.ExitError
			require.ErrorAs(t, err, &exitErr, out)
			assert.Equal(t, 1, exitErr.ExitCode())
			assert.Contains(t, out, `appPort (CHAT_STACK_APP_PORT) = 70000: want a TCP port from 1024 to 65535`)
			assert.Contains(t, out, `privateSubnetCidrs (CHAT_STACK_PRIVATE_SUBNET_CIDRS) = "10.9.0.0/24"`)
			assert.NotContains(t, out, "panic")
		}

		// The existing folder is as it was, and the absent one still is.
		entries, err := os.ReadDir(existing)
		require.NoError(t, err)
		assert.Len(t, entries, 1)
		content, err := os.ReadFile(marker)
		require.NoError(t, err)
		assert.Equal(t, "before", string(content))
		assert.NoDirExists(t, filepath.Join(dir, "absent"))
	})

	t.Run("good configuration writes the stack", func(t *testing.T) {
		dir := t.TempDir()
		out, err := runSynth(t, binary, dir, "CHAT_STACK_REGION=eu-west-1",
			"CHAT_STACK_AVAILABILITY_ZONES=eu-west-1a,eu-west-1b")
		require.NoError(t, err, out)

		stack, err := os.ReadFile(filepath.Join(dir, "cdktf.out", "stacks", "bedrock-chat", "cdk.tf.json"))
		require.NoError(t, err)
		assert.Contains(t, string(stack), `"region": "eu-west-1"`)
		assert.Contains(t, string(stack), `"availability_zone": "eu-west-1b"`)

		// The rule pack's findings are printed with their fix, and its
		// report is written beside the stack.
		assert.Contains(t, out, "hipaa: HIPAA.Security-ELBv2ACMCertificateRequired on "+
			"bedrock-chat/ingress/load-balancer: the ALB has no HTTPS listener\n  fix: ")
		report, err := os.ReadFile(filepath.Join(dir, "cdktf.out", "hipaa-report.json"))
		require.NoError(t, err)
		assert.Contains(t, string(report), `"rule_id": "HIPAA.Security-ELBv2ACMCertificateRequired"`)
		assert.FileExists(t, filepath.Join(dir, "cdktf.out", "hipaa-report.txt"))
		assert.Contains(t, out, "hipaa: report in cdktf.out/hipaa-report.txt and "+
			"cdktf.out/hipaa-report.json\n")
	})

	t.Run("strict mode without a certificate writes nothing", func(t *testing.T) {
		dir := t.TempDir()
		out, err := runSynth(t, binary, dir, "CHAT_STACK_STRICT=true")

		var exitErr *exec.ExitError
		require.ErrorAs(t, err, &exitErr, out)
		assert.Contains(t, out, "strict compliance: 2 findings are not suppressed; "+
			"no report was written and cdktf.out was left as it was")
		assert.NotContains(t, out, "report in")
		assert.NoDirExists(t, filepath.Join(dir, "cdktf.out"))
	})

	t.Run("strict mode with a certificate passes", func(t *testing.T) {
		dir := t.TempDir()
		out, err := runSynth(t, binary, dir, "CHAT_STACK_STRICT=true",
			"CHAT_STACK_CERTIFICATE_ARN=arn:aws:acm:us-east-1:123456789012:certificate/"+
				"0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9")
		require.NoError(t, err, out)

		assert.Contains(t, out, "hipaa: 1 findings, 1 suppressed")
		assert.FileExists(t, filepath.Join(dir, "cdktf.out", "stacks", "bedrock-chat", "cdk.tf.json"))
	})

	t.Run("a suppression without a reason is an error", func(t *testing.T) {
		dir := t.TempDir()
		suppressions := filepath.Join(dir, "suppressions.json")
		require.NoError(t, os.WriteFile(suppressions, []byte(`{"suppressions": [{
			"rule_id": "HIPAA.Custom-NoUnrestrictedEgress",
			"resource": "bedrock-chat/compute/https-to-internet", "reason": " "}]}`), 0o644))
		out, err := runSynth(t, binary, dir, "CHAT_STACK_SUPPRESSIONS_FILE="+suppressions)

		var exitErr *exec.ExitError
		require.ErrorAs(t, err, &exitErr, out)
		assert.Contains(t, out, "read suppressions "+suppressions)
		assert.Contains(t, out, "reason")
		assert.NoDirExists(t, filepath.Join(dir, "cdktf.out"))
	})
}

// TestRecoverPanic checks that a panic in a step, such as jsii's for two
// constructs with one ID, becomes an error that names the step.
func TestRecoverPanic(t *testing.T) {
	clash := errors.New("there is already a construct with name 'instance'")
	tests := []struct {
		name    string
		do      func() error
		wantErr string
		wantIs  error
	}{
		{
			name: "no error",
			do:   func() error { return nil },
		},
		{
			name:    "an error is returned as it is",
			do:      func() error { return clash },
			wantErr: clash.Error(),
			wantIs:  clash,
		},
		{
			name:    "a panic with an error is wrapped",
			do:      func() error { panic(clash) },
			wantErr: "build the stack: there is already a construct with name 'instance'",
			wantIs:  clash,
		},
		{
			name:    "a panic with another value is described",
			do:      func() error { panic("boom") },
			wantErr: "build the stack: boom",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := recoverPanic("build the stack", tc.do)

			if tc.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.EqualError(t, err, tc.wantErr)
			if tc.wantIs != nil {
				assert.ErrorIs(t, err, tc.wantIs)
			}
		})
	}
}
