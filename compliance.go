package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bedrock-chat/stack/chatstack"
	"github.com/bedrock-chat/stack/compliance"
)

// The report files that every synth writes into the output folder.
const (
	reportJSONFile  = "hipaa-report.json"
	reportTableFile = "hipaa-report.txt"
)

// checkCompliance runs the HIPAA rule pack over the stack with the
// suppressions in the named file.
func checkCompliance(stack *chatstack.ChatStack,
	suppressionsFile string) (compliance.Report, error) {
	file, err := os.Open(suppressionsFile)
	if err != nil {
		return compliance.Report{}, fmt.Errorf("read suppressions: %w "+
			"(restore the file, or name another with suppressionsFile)", err)
	}
	defer file.Close()
	suppressions, err := compliance.LoadSuppressions(file)
	if err != nil {
		return compliance.Report{}, fmt.Errorf("read suppressions %s: %w", suppressionsFile, err)
	}

	stackJSON, err := stack.TerraformJSON()
	if err != nil {
		return compliance.Report{}, err
	}
	report, err := compliance.Check(stackJSON, suppressions)
	if err != nil {
		return compliance.Report{}, fmt.Errorf("check HIPAA rules: %w", err)
	}
	return report, nil
}

// printFindings tells the operator about every finding that is not
// suppressed, with its fix, and about suppressions that match nothing.
func printFindings(w io.Writer, report compliance.Report) {
	for _, finding := range report.Findings {
		if finding.Suppressed {
			continue
		}
		fmt.Fprintf(w, "hipaa: %s on %s: %s\n  fix: %s\n",
			finding.RuleID, finding.Path, finding.Message, finding.Fix)
	}
	for _, unmatched := range report.UnmatchedSuppressions {
		fmt.Fprintf(w, "hipaa: suppression of %s on %s matches nothing\n",
			unmatched.RuleID, unmatched.Resource)
	}
	summary := report.Summary()
	fmt.Fprintf(w, "hipaa: %d findings, %d suppressed\n", summary.Findings,
		summary.Suppressed)
}

// printReportLocation tells the operator where the written report is.
func printReportLocation(w io.Writer, outdir string) {
	fmt.Fprintf(w, "hipaa: report in %s and %s\n", filepath.Join(outdir, reportTableFile),
		filepath.Join(outdir, reportJSONFile))
}

// writeReport writes the rule pack's report as JSON and as a table.
func writeReport(outdir string, report compliance.Report) error {
	var asJSON, asTable bytes.Buffer
	if err := report.WriteJSON(&asJSON); err != nil {
		return fmt.Errorf("render compliance report: %w", err)
	}
	if err := report.WriteTable(&asTable); err != nil {
		return fmt.Errorf("render compliance report: %w", err)
	}
	for _, file := range []struct {
		name    string
		content []byte
	}{
		{reportJSONFile, asJSON.Bytes()},
		{reportTableFile, asTable.Bytes()},
	} {
		if err := os.WriteFile(filepath.Join(outdir, file.name), file.content, 0o644); err != nil {
			return fmt.Errorf("write compliance report: %w", err)
		}
	}
	return nil
}
