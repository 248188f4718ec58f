package chatstack_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/bedrock-chat/stack/chatstack"
	"github.com/bedrock-chat/stack/config"
)

// update rewrites the golden snapshots in testdata/ instead of comparing.
var update = flag.Bool("update", false, "rewrite the golden snapshots in testdata/")

// scenario is one meaningful configuration, synthesized once per test run.
type scenario struct {
	// name names the golden file, testdata/<name>.json.
	name string
	// env holds the CHAT_STACK_* variables that set the scenario apart from
	// the defaults.
	env map[string]string
}

// scenarios are the configurations with a golden snapshot.
var scenarios = []scenario{
	{name: "default"},
	{name: "three-zones", env: map[string]string{
		config.EnvAvailabilityZones:  "us-east-1a,us-east-1b,us-east-1c",
		config.EnvPublicSubnetCIDRs:  "10.0.1.0/24,10.0.4.0/24,10.0.7.0/24",
		config.EnvPrivateSubnetCIDRs: "10.0.2.0/24,10.0.5.0/24,10.0.8.0/24",
	}},
	{name: "endpoints-subset", env: map[string]string{
		config.EnvInterfaceEndpoints: "ssm,bedrock-runtime",
	}},
}

// synthesized maps each scenario's name to its configuration and its
// Testing_Synth output. TestMain fills it, so the jsii runtime starts once.
var synthesized = map[string]synthesis{}

// synthesis is one scenario's configuration and synthesized JSON.
type synthesis struct {
	cfg  config.Config
	json string
}

func TestMain(m *testing.M) {
	flag.Parse()

	// Synthesize every scenario up front, in one jsii runtime.
	for _, s := range scenarios {
		cfg, err := config.Load(nil, mapEnv(s.env))
		if err != nil {
			fmt.Fprintf(os.Stderr, "load scenario %s: %v\n", s.name, err)
			os.Exit(1)
		}
		out, err := synthesize(cfg)
		if err != nil {
			fmt.Fprintf(os.Stderr, "synthesize scenario %s: %v\n", s.name, err)
			os.Exit(1)
		}
		synthesized[s.name] = synthesis{cfg: cfg, json: out}
	}

	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// synthesize builds the stack for cfg in a fresh testing app and returns
// its Terraform JSON, with validations run.
func synthesize(cfg config.Config) (string, error) {
	app := cdktf.Testing_App(nil)
	built, err := chatstack.New(app, chatstack.ID, cfg)
	if err != nil {
		return "", err
	}
	return *cdktf.Testing_Synth(built.TerraformStack, jsii.Bool(true)), nil
}

// mapEnv returns a getenv function that reads from values.
func mapEnv(values map[string]string) func(string) string {
	return func(name string) string { return values[name] }
}
