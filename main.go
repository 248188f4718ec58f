// Command stack synthesizes the HIPAA-ready Bedrock chat deployment as
// Terraform JSON. The CDKTF CLI runs it (`cdktf synth`, `cdktf deploy`);
// its configuration comes from cdktf.json's context and CHAT_STACK_*
// environment variables.
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/bedrock-chat/stack/chatstack"
	"github.com/bedrock-chat/stack/config"
)

// defaultOutdir is where CDKTF writes when CDKTF_OUTDIR is not set.
const defaultOutdir = "cdktf.out"

func main() {
	if err := run(os.Getenv); err != nil {
		fmt.Fprintf(os.Stderr, "synth: %v\n", err)
		os.Exit(1)
	}
}

// run loads and validates the configuration, builds the stack and writes it
// to the output folder. Nothing is written when the configuration is bad.
func run(getenv func(string) string) error {
	// The app creates its output folder at once; remember whether it was
	// there, so that a refused configuration leaves no trace of it.
	outdir := getenv("CDKTF_OUTDIR")
	if outdir == "" {
		outdir = defaultOutdir
	}
	_, statErr := os.Stat(outdir)
	outdirExisted := statErr == nil
	app := cdktf.NewApp(nil)

	// Configuration is read once, here, and handed down as a typed value.
	cfg, err := config.Load(app.Node().TryGetContext(jsii.String(config.ContextKey)), getenv)
	if err != nil {
		if !outdirExisted {
			os.RemoveAll(outdir)
		}
		return err
	}

	if _, err := chatstack.New(app, chatstack.ID, cfg); err != nil {
		return err
	}
	app.Synth()
	return nil
}
