package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/scan"
	"github.com/org/gonogo-action/internal/setting"
)

// defaultTop is how many fingerprints the template proposes by default.
const defaultTop = 10

// runSuppressions prints a suppressions template for the most frequent
// fingerprints a baseline does not suppress yet: the specification's
// "suppression template for top N fingerprints", one entry each, with
// owner= and expires= left for a person to fill in.
func runSuppressions(args []string, stdio cli.Stdio, getenv func(string) string) error {
	fs := flag.NewFlagSet(name+" suppressions", flag.ContinueOnError)
	var top int
	cli.IntVar(fs, &top, "top", defaultTop, "propose entries for the `N` most frequent unsuppressed fingerprints (1 or more)", setting.Position)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s suppressions [--top N] [BASELINE.json]   (default %s)\n\nflags:\n", name, defaultOutput)
		fs.PrintDefaults()
	}
	files, err := cli.Parse(fs, args, stdio)
	if err != nil {
		return err
	}
	if len(files) > 1 {
		return cli.Usagef("suppressions: give one baseline, got %d", len(files))
	}
	path := defaultOutput
	if len(files) == 1 {
		path = files[0]
	}
	now, err := cli.Clock(getenv)
	if err != nil {
		return err
	}
	b, err := baseline.Read(path)
	if err != nil {
		return err
	}
	cands, err := baseline.Candidates(b)
	if err != nil {
		return fmt.Errorf("baseline %s: %w", path, err)
	}
	if len(cands) == 0 {
		if b.Total-b.ByCode[baseline.Success]-b.SuppressedFailures > 0 {
			// Failures counted, none listed: a counts-only document.
			return fmt.Errorf("baseline %s counts unsuppressed failures but lists none in files[]; make one with parse-baseline", path)
		}
		cli.Errorf(stdio.Err, name, "%s has no unsuppressed failure: nothing to suppress", path)
		return nil
	}
	shown := cands[:min(top, len(cands))]
	var sb strings.Builder
	fmt.Fprintf(&sb, "# Suppression template: the %d most frequent of %d unsuppressed fingerprints in %s.\n", len(shown), len(cands), strconv.Quote(path))
	sb.WriteString("# Keep an entry only where a fix has an owner and a plan: fill in owner= and expires= (YYYY-MM-DD);\n")
	sb.WriteString("# an entry still holding ? is refused. Delete the entries you do not keep.\n")
	sb.WriteString(baseline.Template(shown, now()))
	if _, err := io.WriteString(stdio.Out, sb.String()); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

// defaultSuppressions finds the suppressions file of a run that names
// none, and says which one it reads: a team moving over from the
// specification's tools must see its file picked up.
func defaultSuppressions(stderr io.Writer) (string, error) {
	p, err := scan.DefaultSuppressions(".")
	if p != "" {
		cli.Errorf(stderr, name, "reading suppressions from %s (default location; --suppressions FILE names another, --suppressions '' none)", p)
	}
	return p, err
}

// defaultHistoryDir finds the specification's history folder for a run
// that names none, and says so.
func defaultHistoryDir(stderr io.Writer) (string, error) {
	p, err := scan.DefaultHistoryDir(".")
	if p != "" {
		cli.Errorf(stderr, name, "keeping history in %s (default location; --history-dir DIR names another, --history-dir '' none)", p)
	}
	return p, err
}

// maxStaleListed bounds the fingerprints named on a stale-entry line; the
// baseline and the markdown list them all.
const maxStaleListed = 10

// reportStale names the entries that no longer do anything: expired ones
// (by expires= or --max-age) suppress nothing, unused ones match no
// failure. Either way the file says something that is not so; each is
// named with its owners (owner=), whom to ask, from the entries the run
// applied (a merge has none: its shards read the file).
func reportStale(b *baseline.Baseline, stderr io.Writer) {
	owners := b.StaleOwners()
	for _, l := range []struct {
		fps  []string
		what string
		do   string
	}{
		{b.ExpiredSuppressions, "expired suppression entr%s (by expires= or --max-age; no longer suppress)", "fix the files, or renew the entr%[1]s with a new expires= or added="},
		{b.UnusedSuppressions, "unused suppression entr%s (match no failure)", "delete the entr%[1]s"},
	} {
		if len(l.fps) == 0 {
			continue
		}
		plural := "y"
		if len(l.fps) > 1 {
			plural = "ies"
		}
		// cli.Errorf makes the line safe for a terminal.
		names := scan.StaleNames(l.fps, owners, maxStaleListed)
		cli.Errorf(stderr, name, "warning: %d "+l.what+": %s; %s", len(l.fps), plural, strings.Join(names, ", "), fmt.Sprintf(l.do, plural))
	}
}
