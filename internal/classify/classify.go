// Package classify renders a parse baseline as the specification's
// classifier artifacts: workflow_failures.json (every checked file with its
// category, code, phase, fingerprint and, under a signatures policy, its
// signature state) and workflow_failures.md (the category table). It is
// pure: the caller runs the checkers and the signature check.
package classify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/signing"
)

// Document is workflow_failures.json.
type Document struct {
	Timestamp   string  `json:"timestamp"`
	Total       int     `json:"total"`
	Failed      int     `json:"failed"`
	FailureRate float64 `json:"failure_rate"`
	// ByCategory counts failing files per category, suppressed ones
	// under Suppressed-<Category>; every category is present, 0 or not.
	ByCategory map[string]int `json:"by_category"`
	// ByPhase counts failing files per phase that decided them.
	ByPhase            map[string]int `json:"by_phase"`
	SuppressedFailures int            `json:"suppressed_failures"`
	Checker            string         `json:"checker,omitempty"`
	ExecChecker        string         `json:"exec_checker,omitempty"`
	// Limit is the sample size asked for (--limit), 0 for every file.
	Limit int `json:"limit,omitempty"`
	// Signatures counts the signature states when a policy was given.
	Signatures *SignatureCounts `json:"signatures,omitempty"`
	// Complete is false when the source named only failing files (a
	// SARIF run without artifacts): Files then lists no passing file.
	Complete bool   `json:"complete"`
	Files    []File `json:"files"`
}

// File is one checked file.
type File struct {
	Path string `json:"path"`
	// Category is empty for a file that passed.
	Category    string `json:"category,omitempty"`
	CodeName    string `json:"code_name"`
	Phase       string `json:"phase,omitempty"`
	Line        int    `json:"line,omitempty"`
	Message     string `json:"message,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	Suppressed  bool   `json:"suppressed,omitempty"`
	// Signature is signed, unsigned, invalid or revoked under a policy;
	// SignatureReason says why a file is not signed.
	Signature       signing.Status `json:"signature,omitempty"`
	SignatureReason string         `json:"signature_reason,omitempty"`
}

// SignatureCounts are the files per signature state.
type SignatureCounts struct {
	Signed   int `json:"signed"`
	Unsigned int `json:"unsigned"`
	Invalid  int `json:"invalid"`
	Revoked  int `json:"revoked"`
	// Unchecked are files the policy could not judge (unreadable files).
	Unchecked int `json:"unchecked"`
}

// Options are what the baseline does not record.
type Options struct {
	// PassPhase is the phase of the files that passed (recorded only by
	// path): execute after an execute phase, parse after a checker alone,
	// empty for ingested statuses.
	PassPhase string
	Limit     int
	// Signatures, when not nil, holds the verdicts of a signatures
	// policy by baseline path; a checked file missing from it is
	// unchecked.
	Signatures map[string]signing.FileResult
}

// Build makes the document of b. A category or phase it does not know is
// an error, never counted as Other.
func Build(b *baseline.Baseline, o Options) (*Document, error) {
	d := &Document{
		Timestamp: b.Timestamp, Total: b.Total, FailureRate: b.FailureRate,
		ByCategory: map[string]int{}, ByPhase: map[string]int{baseline.PhaseParse: 0, baseline.PhaseExecute: 0},
		SuppressedFailures: b.SuppressedFailures, Checker: b.Checker, ExecChecker: b.ExecChecker,
		Limit: o.Limit, Complete: b.RecordsPassed(), Files: []File{},
	}
	for _, c := range baseline.Categories {
		d.ByCategory[c] = 0
	}
	if !baseline.ValidPhase(o.PassPhase) {
		return nil, fmt.Errorf("unknown phase %q", o.PassPhase)
	}
	for _, f := range b.Files {
		if !f.Failing() {
			d.Files = append(d.Files, File{Path: f.Path, CodeName: f.CodeName, Phase: f.Phase})
			continue
		}
		if !baseline.ValidPhase(f.Phase) {
			return nil, fmt.Errorf("%s: unknown phase %q", f.Path, f.Phase)
		}
		if _, _, err := baseline.ParseCategory(f.Category); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		d.Failed++
		d.ByCategory[f.Category]++
		if f.Phase != "" {
			d.ByPhase[f.Phase]++
		}
		d.Files = append(d.Files, File{
			Path: f.Path, Category: f.Category, CodeName: f.CodeName, Phase: f.Phase, Line: f.Line,
			Message: f.Message, Fingerprint: f.Fingerprint, Suppressed: f.Suppressed,
		})
	}
	if err := b.EachPassed(func(p string) error {
		d.Files = append(d.Files, File{Path: p, CodeName: baseline.Success, Phase: o.PassPhase})
		return nil
	}); err != nil {
		return nil, err
	}
	slices.SortFunc(d.Files, func(x, y File) int { return strings.Compare(x.Path, y.Path) })
	if o.Signatures != nil {
		d.Signatures = &SignatureCounts{}
		for i := range d.Files {
			f := &d.Files[i]
			r, ok := o.Signatures[f.Path]
			if !ok {
				d.Signatures.Unchecked++
				continue
			}
			f.Signature, f.SignatureReason = r.Status, r.Reason
			switch r.Status {
			case signing.Signed:
				d.Signatures.Signed++
			case signing.Unsigned:
				d.Signatures.Unsigned++
			case signing.Invalid:
				d.Signatures.Invalid++
			case signing.Revoked:
				d.Signatures.Revoked++
			default:
				return nil, fmt.Errorf("%s: unknown signature state %q", f.Path, r.Status)
			}
		}
	}
	return d, nil
}

// Encode renders d as indented JSON with a final newline; maps are
// written with sorted keys, files in path order, so equal documents are
// equal bytes.
func Encode(d *Document) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encode classification: %w", err)
	}
	return buf.Bytes(), nil
}
