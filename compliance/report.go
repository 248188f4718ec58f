package compliance

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// Summary counts the outcome of a report.
type Summary struct {
	// Rules counts the rules that ran.
	Rules int `json:"rules"`
	// Findings counts every finding.
	Findings int `json:"findings"`
	// Failed counts the findings that are not suppressed.
	Failed int `json:"failed"`
	// Suppressed counts the findings that are suppressed.
	Suppressed int `json:"suppressed"`
	// UnmatchedSuppressions counts the suppressions that matched nothing.
	UnmatchedSuppressions int `json:"unmatched_suppressions"`
	// StrictFailed is true when strict mode fails.
	StrictFailed bool `json:"strict_failed"`
}

// Summary returns the counts of the report.
func (r Report) Summary() Summary {
	sum := Summary{
		Rules:                 len(r.Rules),
		Findings:              len(r.Findings),
		UnmatchedSuppressions: len(r.UnmatchedSuppressions),
		StrictFailed:          r.Failed(),
	}
	for _, f := range r.Findings {
		if f.Suppressed {
			sum.Suppressed++
		} else {
			sum.Failed++
		}
	}
	return sum
}

// WriteJSON writes the report as indented JSON: a summary, the rule results,
// the findings and the unmatched suppressions, each in a fixed order.
func (r Report) WriteJSON(w io.Writer) error {
	doc := struct {
		Summary Summary `json:"summary"`
		Report
	}{Summary: r.Summary(), Report: r}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

// WriteTable writes the report as a text table with one row per finding
// and one row per rule without findings, then the unmatched suppressions
// and a summary line.
func (r Report) WriteTable(w io.Writer) error {
	// Lay out the rows of each rule in rule order.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSAFEGUARD\tRESOURCE\tSTATUS\tMESSAGE")
	for _, result := range r.Rules {
		shown := false
		for _, f := range r.Findings {
			if f.RuleID != result.ID {
				continue
			}
			status, message := StatusFail, f.Message
			if f.Suppressed {
				status = StatusSuppressed
				message = fmt.Sprintf("%s (reason: %s)", f.Message, f.SuppressionReason)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.RuleID, f.Safeguard, f.Path, status, message)
			shown = true
		}
		if !shown {
			fmt.Fprintf(tw, "%s\t%s\t-\t%s\t%d resource(s) checked\n",
				result.ID, result.Safeguard, result.Status, result.Checked)
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write table report: %w", err)
	}

	// Warn about suppressions that accept nothing, then sum up.
	for _, s := range r.UnmatchedSuppressions {
		if _, err := fmt.Fprintf(w, "warning: suppression of %s on %s matched no finding\n",
			s.RuleID, s.Resource); err != nil {
			return fmt.Errorf("write table report: %w", err)
		}
	}
	sum := r.Summary()
	verdict := "pass"
	if sum.StrictFailed {
		verdict = "fail"
	}
	_, err := fmt.Fprintf(w,
		"%d rules, %d findings: %d failed, %d suppressed; strict mode would %s\n",
		sum.Rules, sum.Findings, sum.Failed, sum.Suppressed, verdict)
	if err != nil {
		return fmt.Errorf("write table report: %w", err)
	}
	return nil
}
