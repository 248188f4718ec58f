package chatstack_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/bedrock-chat/stack/chatstack"
	"github.com/bedrock-chat/stack/config"
)

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
	{name: "certificate", env: map[string]string{
		config.EnvCertificateARN: testCertificateARN,
	}},
	{name: "domain", env: map[string]string{
		config.EnvDomainName:   "chat.example.org",
		config.EnvHostedZoneID: "Z0123456789EXAMPLE",
	}},
	{name: "locked-down", env: map[string]string{
		config.EnvCertificateARN:            testCertificateARN,
		config.EnvInternetEgress:            "false",
		config.EnvSessionManagerPreferences: "false",
		config.EnvDeletionProtection:        "false",
	}},
}

// testCertificateARN is an ACM certificate ARN of the right shape.
const testCertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/" +
	"0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"

// synthesized maps each scenario's name to its configuration and its
// Testing_Synth output. TestMain fills it, so the jsii runtime starts once.
var synthesized = map[string]synthesis{}

// synthesis is one scenario's configuration and synthesized JSON.
type synthesis struct {
	cfg config.Config
	// json is the Testing_Synth output: sorted, without metadata.
	json string
	// withPaths is the stack as a synth writes it, with construct paths.
	withPaths []byte
}

func TestMain(m *testing.M) {
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
		synthesized[s.name] = out
	}

	os.Exit(m.Run())
}

// synthesize builds the stack for cfg in a fresh testing app and returns
// its Terraform JSON in both forms, with validations run.
func synthesize(cfg config.Config) (synthesis, error) {
	app := cdktf.Testing_App(nil)
	built, err := chatstack.New(app, chatstack.ID, cfg)
	if err != nil {
		return synthesis{}, err
	}
	withPaths, err := built.TerraformJSON()
	if err != nil {
		return synthesis{}, err
	}
	return synthesis{
		cfg:       cfg,
		json:      *cdktf.Testing_Synth(built.TerraformStack, jsii.Bool(true)),
		withPaths: withPaths,
	}, nil
}

// mapEnv returns a getenv function that reads from values.
func mapEnv(values map[string]string) func(string) string {
	return func(name string) string { return values[name] }
}
