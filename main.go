// Command stack synthesizes the HIPAA-ready Bedrock chat deployment as
// Terraform JSON. The CDKTF CLI runs it (`cdktf synth`, `cdktf deploy`);
// its configuration comes from cdktf.json's context and CHAT_STACK_*
// environment variables. Every synth checks the stack against the HIPAA
// rule pack and writes its report beside the stack.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/bedrock-chat/stack/chatstack"
	"github.com/bedrock-chat/stack/config"
)

// defaultOutdir is where CDKTF writes when CDKTF_OUTDIR is not set.
const defaultOutdir = "cdktf.out"

func main() {
	if err := run(os.Getenv, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "synth: %v\n", err)
		os.Exit(1)
	}
}

// run loads and validates the configuration, builds the stack, checks it
// against the HIPAA rule pack, prints the pack's findings to stdout and
// writes the stack with the pack's report to the output folder. Nothing is
// written when the configuration is bad, when building the stack panics, or
// when strict mode meets a finding that is not suppressed.
func run(getenv func(string) string, stdout io.Writer) error {
	// The app creates its output folder at once; remember whether it was
	// there, so that a refused synth leaves no trace of it.
	outdir := getenv("CDKTF_OUTDIR")
	if outdir == "" {
		outdir = defaultOutdir
	}
	_, statErr := os.Stat(outdir)
	outdirExisted := statErr == nil
	app := cdktf.NewApp(nil)
	refuse := func(err error) error {
		if !outdirExisted {
			os.RemoveAll(outdir)
		}
		return err
	}

	// Configuration is read once, here, and handed down as a typed value.
	cfg, err := config.Load(app.Node().TryGetContext(jsii.String(config.ContextKey)), getenv)
	if err != nil {
		return refuse(err)
	}

	// A construct that jsii rejects, such as a second one with the same ID,
	// panics; refuse it like bad configuration.
	var built *chatstack.ChatStack
	err = recoverPanic("build the stack", func() (buildErr error) {
		built, buildErr = chatstack.New(app, chatstack.ID, cfg)
		return buildErr
	})
	if err != nil {
		return refuse(err)
	}

	// The rule pack sees the stack before anything is written.
	report, err := checkCompliance(built, cfg.SuppressionsFile)
	if err != nil {
		return refuse(err)
	}
	printFindings(stdout, report)
	if cfg.StrictCompliance && report.Failed() {
		return refuse(fmt.Errorf("strict compliance: %d findings are not suppressed; "+
			"no report was written and %s was left as it was",
			report.Summary().Failed, outdir))
	}

	// Write the stack, refusing a construct that jsii rejects only now, then
	// the report, and say where the report is.
	if err := recoverPanic("synthesize the stack", func() error {
		app.Synth()
		return nil
	}); err != nil {
		return refuse(err)
	}
	if err := writeReport(outdir, report); err != nil {
		return err
	}
	printReportLocation(stdout, outdir)
	return nil
}

// recoverPanic calls do and returns its error; when do panics, it returns
// an error that names step and the panic's value instead. jsii reports a
// construct it rejects by panicking.
func recoverPanic(step string, do func() error) (err error) {
	defer func() {
		recovered := recover()
		if recovered == nil {
			return
		}
		if cause, ok := recovered.(error); ok {
			err = fmt.Errorf("%s: %w", step, cause)
			return
		}
		err = fmt.Errorf("%s: %v", step, recovered)
	}()
	return do()
}
