//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/chatstack"
	"github.com/bedrock-chat/stack/config"
)

// The bounds of each step, well above what the emulator needs.
const (
	synthTimeout   = 5 * time.Minute
	deployTimeout  = 10 * time.Minute
	destroyTimeout = 10 * time.Minute
	checksTimeout  = 2 * time.Minute
)

// scenario is one configuration deployed to the emulator and checked.
type scenario struct {
	// name names the subtest.
	name string
	// env holds the CHAT_STACK_* variables that set the scenario apart
	// from the defaults.
	env map[string]string
	// listeners are the load balancer's listeners.
	listeners []wantListener
	// setup prepares the emptied emulator before the scenario is
	// synthesized, and returns settings to add to env, such as the ARN of
	// something it created there. Nil means nothing to prepare.
	setup func(t *testing.T, ctx context.Context, awsConfig aws.Config) map[string]string
	// checks run after the ones every scenario gets.
	checks []check
}

// scenarios are the configurations deployed, one after the other, each to
// an emptied emulator. Each keeps the default deletion protection, so each
// is torn down in the README's two steps.
var scenarios = []scenario{
	{
		// The configuration as cdktf.json and the defaults give it.
		name: "default",
		listeners: []wantListener{{
			port:     80,
			protocol: elbtypes.ProtocolEnumHttp,
			action:   elbtypes.ActionTypeEnumForward,
		}},
		checks: hardeningChecks(),
	},
	{
		// Every optional feature is on, deletion protection included, and
		// the load balancer has a certificate.
		name: "https",
		env: map[string]string{
			config.EnvInternetEgress:            "true",
			config.EnvSessionManagerPreferences: "true",
		},
		setup:     importCertificate,
		listeners: httpsListeners,
		checks:    append([]check{{name: "https", run: checkHTTPS}}, hardeningChecks()...),
	},
	{
		// The stack requests a certificate for a domain in a hosted zone
		// the test creates, validates it through DNS and points the
		// domain at the load balancer.
		name:      "domain",
		setup:     createHostedZone,
		listeners: httpsListeners,
		checks: append([]check{
			{name: "https", run: checkHTTPS},
			{name: "domain", run: checkDomain},
		}, hardeningChecks()...),
	},
}

// httpsListeners are the listeners of a load balancer with a certificate:
// HTTPS forwards, HTTP redirects to it.
var httpsListeners = []wantListener{
	{
		port:     443,
		protocol: elbtypes.ProtocolEnumHttps,
		action:   elbtypes.ActionTypeEnumForward,
	},
	{
		port:     80,
		protocol: elbtypes.ProtocolEnumHttp,
		action:   elbtypes.ActionTypeEnumRedirect,
	},
}

// TestDeployToEmulator synthesizes each scenario, deploys it with
// `cdktf deploy` to moto, checks what was created through the AWS SDK,
// plans again expecting no changes, tears it down as the README says and
// checks that nothing is left. It never touches the project's own state file.
func TestDeployToEmulator(t *testing.T) {
	tools := findToolchain(t)

	// Moto's log goes beside the workspaces when they are kept.
	logs := t.TempDir()
	if keep := os.Getenv(keepEnv); keep != "" {
		logs = keep
	}
	emulator := startEmulator(t, tools.moto, logs)

	// The developer's state in the project root must come out untouched.
	projectState := filepath.Join(tools.root, "terraform."+chatstack.ID+".tfstate")
	before := stampOf(projectState)
	t.Cleanup(func() {
		assert.Equal(t, before, stampOf(projectState), "the test wrote %s", projectState)
	})

	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			emulator.reset(t)
			deployScenario(t, tools, emulator, sc)
		})
	}
}

// deployScenario runs one scenario from synth to the check that nothing is
// left, and logs how long each step took.
func deployScenario(t *testing.T, tools toolchain, emulator *emulator, sc scenario) {
	// The scenario prepares the emulator in its region, and what it made
	// there joins the scenario's settings.
	settings := map[string]string{}
	maps.Copy(settings, sc.env)
	if sc.setup != nil {
		region := loadSettings(t, tools.root, settings).Region
		maps.Copy(settings, sc.setup(t, checksContext(t), emulatorConfig(emulator.motoURL, region)))
	}

	// The configuration, as the app will read it, says what to expect.
	cfg := loadSettings(t, tools.root, settings)
	work := newWorkspace(t, tools, emulator.endpoint, cfg.Region, settings)

	// Synthesize into the workspace, then deploy what was synthesized, as
	// a user would with `cdktf deploy`.
	synthTime := work.cdktf(t, synthTimeout, "synth")
	work.lockProviders(t)
	deployTime := work.cdktf(t, deployTimeout, "deploy", chatstack.ID, "--auto-approve",
		"--skip-synth", "--outputs-file", work.outputsPath())
	created := managedResources(t, work.statePath())
	require.NotEmpty(t, created, "the deploy created nothing")

	// Look at what the emulator holds, not only at what Terraform says.
	d := newDeployment(checksContext(t), emulatorConfig(emulator.motoURL, cfg.Region), cfg,
		work.readOutputs(t))
	for _, c := range append(commonChecks(sc.listeners), sc.checks...) {
		t.Run(c.name, func(t *testing.T) { c.run(t, d) })
	}

	// A second plan finds nothing to do.
	differences, replanTime := work.replan(t)
	assert.Empty(t, differences, "the plan after deploy is not empty")

	// Tear down, and check that neither the state nor the emulator keeps
	// anything.
	teardown := work.teardown(t, d)
	assert.Empty(t, managedResources(t, work.statePath()), "the state after destroy")
	d.ctx = checksContext(t)
	assert.Empty(t, d.leftovers(t), "the emulator after destroy")

	t.Logf("measured: synth %s, deploy %s, re-plan %s, lift protection %s, destroy %s; "+
		"%d resources created", synthTime.Round(time.Second), deployTime.Round(time.Second),
		replanTime.Round(time.Second), teardown.lift.Round(time.Second),
		teardown.destroy.Round(time.Second), len(created))
}

// loadSettings loads the configuration as the app does when the CDKTF CLI
// runs it in root: from the context in root's cdktf.json and from settings,
// which stand for its environment.
func loadSettings(t *testing.T, root string, settings map[string]string) config.Config {
	t.Helper()
	fromProject, err := projectContext(root)
	require.NoError(t, err)
	cfg, err := config.Load(fromProject, func(name string) string { return settings[name] })
	require.NoError(t, err, "load the scenario's configuration")
	return cfg
}

// projectContext returns the object under config.ContextKey in the
// context of root's cdktf.json, which the CDKTF CLI hands to the app, or
// nil when there is none.
func projectContext(root string) (any, error) {
	path := filepath.Join(root, "cdktf.json")
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the project's context: %w", err)
	}
	var project struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(content, &project); err != nil {
		return nil, fmt.Errorf("decode the context of %s: %w", path, err)
	}
	return project.Context[config.ContextKey], nil
}
