// Command hipaa-check checks a synthesized CDK for Terraform stack against
// the HIPAA rule pack of package compliance and prints the results as a
// table.
//
// Usage:
//
//	hipaa-check [-strict] [-suppressions file.json] [-json out.json] cdk.tf.json
//
// The exit status is 0 when the check ran (and, with -strict, every finding
// is suppressed), 1 when -strict is set and a finding is not suppressed, and
// 2 when the input or the flags are bad.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bedrock-chat/stack/compliance"
)

// errStrictFailure is returned by run when strict mode fails.
var errStrictFailure = errors.New("strict mode: the stack has findings that are not suppressed")

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode reports err on stderr and maps it to the exit status.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errStrictFailure):
		fmt.Fprintf(stderr, "hipaa-check: %v\n", err)
		return 1
	default:
		fmt.Fprintf(stderr, "hipaa-check: %v\n", err)
		return 2
	}
}

// run checks the stack named in args, writes the table to stdout and
// returns errStrictFailure when strict mode fails.
func run(args []string, stdout, stderr io.Writer) error {
	// Parse the flags and the one stack path.
	flags := flag.NewFlagSet("hipaa-check", flag.ContinueOnError)
	flags.SetOutput(stderr)
	strict := flags.Bool("strict", false, "exit with status 1 when a finding is not suppressed")
	suppressionsPath := flags.String("suppressions", "", "read suppressions from the JSON `file`")
	jsonPath := flags.String("json", "", "also write the JSON report to `file`")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: hipaa-check [-strict] [-suppressions file.json] "+
			"[-json out.json] path/to/cdk.tf.json")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return fmt.Errorf("want one stack file, got %d arguments", flags.NArg())
	}

	// Read the suppressions, when a file is named.
	var suppressions []compliance.Suppression
	if *suppressionsPath != "" {
		loaded, err := loadSuppressions(*suppressionsPath)
		if err != nil {
			return err
		}
		suppressions = loaded
	}

	// Read and check the stack.
	stackPath := flags.Arg(0)
	stack, err := os.ReadFile(stackPath)
	if err != nil {
		return fmt.Errorf("read stack: %w", err)
	}
	report, err := compliance.Check(stack, suppressions)
	if err != nil {
		return fmt.Errorf("check %s: %w", stackPath, err)
	}

	// Print the table and write the JSON report.
	if err := report.WriteTable(stdout); err != nil {
		return err
	}
	if *jsonPath != "" {
		if err := writeJSON(*jsonPath, report); err != nil {
			return err
		}
	}

	// Fail in strict mode when a finding is not suppressed.
	if *strict && report.Failed() {
		return errStrictFailure
	}
	return nil
}

// loadSuppressions reads and validates a suppressions file.
func loadSuppressions(path string) ([]compliance.Suppression, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read suppressions: %w", err)
	}
	defer file.Close()
	suppressions, err := compliance.LoadSuppressions(file)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return suppressions, nil
}

// writeJSON writes the JSON report to path.
func writeJSON(path string, report compliance.Report) error {
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create JSON report: %w", err)
	}
	if err := report.WriteJSON(file); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("close JSON report: %w", err)
	}
	return nil
}
