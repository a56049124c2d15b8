package gate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/checker"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/scan"
	"github.com/org/gonogo-action/internal/setting"
)

// Missing-reference policies.
const (
	MissingPass = "pass"
	MissingWarn = "warn"
	MissingFail = "fail"
)

// maxListedFiles bounds the new/fixed files kept in details; the report
// says how many there are (new_failures_total, ...) and that it is
// truncated.
const maxListedFiles = 50

// parseRegressionCheck builds a parse baseline (from a statuses file or by
// running a checker), compares it with a reference baseline and fails on
// a regression: for a gated code, delta > abs_threshold AND relative
// increase > rel_threshold, as the original regression gate did.
type parseRegressionCheck struct {
	Statuses         string         `yaml:"statuses"`
	Checker          string         `yaml:"checker"`
	ExecChecker      string         `yaml:"exec_checker"`
	Paths            []string       `yaml:"paths"`
	Include          []string       `yaml:"include"`
	Exclude          []string       `yaml:"exclude"`
	Suppressions     *string        `yaml:"suppressions"`
	MaxAge           Days           `yaml:"suppressions_max_age"`
	Reference        referenceSpec  `yaml:"reference"`
	Output           string         `yaml:"output"`
	AbsThreshold     *int           `yaml:"abs_threshold"`
	RelThreshold     *float64       `yaml:"rel_threshold"`
	Codes            []string       `yaml:"codes"`
	FailOnNew        *[]string      `yaml:"fail_on_new"`
	IncludeSupp      bool           `yaml:"include_suppressed"`
	MissingReference string         `yaml:"missing_reference"`
	AllowEmpty       bool           `yaml:"allow_empty"`
	Cache            string         `yaml:"cache"`
	CacheKey         string         `yaml:"cache_key"`
	policy           compare.Policy `yaml:"-"`
	// command is the parsed checker and line where it is declared
	// (CheckPrograms).
	command checker.Command
	line    int
	// exec and execLine are exec_checker's, when given.
	exec     checker.Command
	execLine int
	build    func(context.Context, scan.Options) (*baseline.Baseline, error)
}

// referenceSpec is {file: F} or {artifact: NAME, branch: B, file: F}; an
// artifact without a branch is looked for where the fetcher decides.
type referenceSpec struct {
	File     string `yaml:"file"`
	Artifact string `yaml:"artifact"`
	Branch   string `yaml:"branch"`
}

func decodeParseRegression(d *Decoder, value *yaml.Node, _ map[string]*yaml.Node) (Check, error) {
	c := &parseRegressionCheck{build: scan.Build}
	if err := d.Decode(value, c); err != nil {
		return nil, err
	}
	switch {
	case (c.Statuses == "") == (c.Checker == ""):
		return nil, d.Errorf(value, "parse-regression: give statuses: FILE or checker: CMD (exactly one)")
	case c.Checker != "":
		cmd, err := checker.ParseCommand(c.Checker)
		if err != nil {
			return nil, d.settingError(value, "checker", err)
		}
		c.command, c.line = cmd, valueNode(value, "checker", value).Line
	}
	// Checked for a checker gate too: without a reference it ran and failed
	// with "reference : read .: is a directory".
	if c.Reference.File == "" && c.Reference.Artifact == "" {
		return nil, d.Errorf(value, "parse-regression: reference needs file: F or artifact: NAME")
	}
	if c.ExecChecker != "" {
		if c.Checker == "" {
			return nil, d.settingError(value, "exec_checker", errors.New("runs on the files checker passed: give checker: CMD (statuses have no execute phase)"))
		}
		cmd, err := checker.ParseCommand(c.ExecChecker)
		if err != nil {
			return nil, d.settingError(value, "exec_checker", err)
		}
		c.exec, c.execLine = cmd, valueNode(value, "exec_checker", value).Line
	}
	if err := c.validCache(d, value); err != nil {
		return nil, err
	}
	// Left empty when unset: Options.MissingReference (the action's
	// missing-reference input) or warn then decides at run time.
	if c.MissingReference != "" && !slices.Contains([]string{MissingPass, MissingWarn, MissingFail}, c.MissingReference) {
		return nil, d.settingError(value, "missing_reference", fmt.Errorf("want pass, warn or fail, got %q", c.MissingReference))
	}
	// An artifact's branch stays empty unless given: the action then
	// chooses (the pull request's base branch, else the default branch).
	if c.Reference.Artifact != "" {
		c.Reference.File = cmp.Or(c.Reference.File, "parse_baseline.json")
	}
	p := compare.DefaultPolicy()
	if c.AbsThreshold != nil {
		if err := setting.AbsThreshold(*c.AbsThreshold); err != nil {
			return nil, d.settingError(value, "abs_threshold", err)
		}
		p.AbsThreshold = *c.AbsThreshold
	}
	if c.RelThreshold != nil {
		if err := setting.RelThreshold(*c.RelThreshold); err != nil {
			return nil, d.settingError(value, "rel_threshold", err)
		}
		p.RelThreshold = *c.RelThreshold
	}
	// Code names as the flags read them (baseline.ParseCodeName).
	for _, list := range []struct {
		key   string
		names []string
	}{{"codes", c.Codes}, {"fail_on_new", deref(c.FailOnNew)}} {
		for i, code := range list.names {
			name, err := baseline.ParseCodeName(code)
			if err != nil {
				return nil, d.settingError(value, list.key, fmt.Errorf("%s: %w", code, err))
			}
			list.names[i] = name
		}
		if err := compare.CheckGated(list.names); err != nil {
			return nil, d.settingError(value, list.key, err)
		}
	}
	if len(c.Codes) > 0 {
		p.Codes = c.Codes
	}
	// Unset keeps the default (INTERNAL_ERROR); fail_on_new: [] turns it off.
	if c.FailOnNew != nil {
		p.FailOnNew = *c.FailOnNew
	}
	p.IncludeSuppressed = c.IncludeSupp
	c.policy = p
	return c, nil
}

func (c *parseRegressionCheck) Run(ctx context.Context, rc *RunContext) (out Outcome) {
	opts := scan.Options{Include: c.Include, Exclude: c.Exclude, Env: rc.Env, User: rc.User, Now: rc.Now, AllowEmpty: c.AllowEmpty,
		MaxAgeDays: int(c.MaxAge)}
	for _, p := range c.Paths {
		opts.Paths = append(opts.Paths, rc.Path(p))
	}
	if len(opts.Paths) == 0 && rc.Dir != "." && rc.Dir != "" {
		opts.Paths = []string{rc.Dir}
	}
	suppDetails, err := c.suppressions(rc, &opts)
	if err != nil {
		return Errored("%v", err)
	}
	if c.Statuses != "" {
		path := rc.Path(c.Statuses)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return Missing("statuses file %s is missing", c.Statuses)
		}
		opts.Statuses = path
	} else {
		opts.Checker, opts.ExecChecker = c.Checker, c.ExecChecker
	}
	// The reference is fetched first, so that it is the first artifact
	// the action records (reference-run-id), before the cache's.
	ref, source, refErr := c.reference(ctx, rc)
	var cache *CacheUse
	if c.Cache != "" {
		opts.Cache, cache = c.openCache(ctx, rc)
		defer opts.Cache.Close()
	}
	next, err := c.build(ctx, opts)
	if err != nil {
		return Errored("build parse baseline: %v", err)
	}
	details := map[string]any{"total": next.Total, "by_code": next.ByCode, "failure_rate": next.FailureRate}
	maps.Copy(details, suppDetails)
	if len(next.ExpiredSuppressions) > 0 {
		details["expired_suppressions"] = next.ExpiredSuppressions
	}
	if len(next.UnusedSuppressions) > 0 {
		details["unused_suppressions"] = next.UnusedSuppressions
	}
	owners := next.StaleOwners()
	if len(owners) > 0 {
		details["stale_suppression_owners"] = owners
	}
	defer func() { out.Summary += staleSuppressions(next, owners) }()
	if o, ok := c.writeOutput(rc, next, ref, details); !ok {
		return o
	}
	if cache != nil {
		if err := c.saveCache(rc, opts.Cache, cache); err != nil {
			return Errored("%v", err)
		}
	}
	switch err := refErr; {
	case errors.Is(err, ErrReferenceNotFound):
		out = c.noReference(rc, err, details)
	case err != nil:
		out = Errored("reference %s: %v", source.Name, err)
		out.Details = mergeDetails(details, out.Details)
	default:
		// The comparison regression makes, with its lists capped the
		// same explicit way (totals, truncated).
		res, err := compare.Stream(compare.Files(ref), compare.Files(next), c.policy, maxListedFiles)
		if err != nil {
			out = Errored("compare with %s: %v", source.Name, err)
			out.Details = mergeDetails(details, out.Details)
			break
		}
		res.Timestamp = compare.Stamp(rc.Now())
		if res.OK {
			out = Passed(regressionSummary(res), details)
		} else {
			out = Failed(regressionSummary(res), details)
		}
		out.Regression = &res
		out.Trend = trendOf(ref, c.policy)
		if out.Trend.Refused != "" {
			details["history_warning"] = "the reference's history was refused, no trend shown: " + out.Trend.Refused
		}
	}
	out.Reference = &source
	if cache != nil {
		out.Cache = cache
		out.Summary += fmt.Sprintf("; %d file(s) re-checked, %d reused (cache)", cache.Rechecked, cache.Reused)
	}
	return out
}

// suppressions sets the suppressions file of opts: the one configured
// (suppressions: "" for none), else the default location that exists, as
// parse-baseline reads it. It returns the details that say which file was
// read and whether it was found by default.
func (c *parseRegressionCheck) suppressions(rc *RunContext, opts *scan.Options) (map[string]any, error) {
	details := map[string]any{}
	if c.MaxAge > 0 {
		details["suppressions_max_age_days"] = int(c.MaxAge)
	}
	if c.Suppressions != nil {
		if *c.Suppressions != "" {
			opts.Suppressions = rc.Path(*c.Suppressions)
			details["suppressions"] = *c.Suppressions
		}
		return details, nil
	}
	p, err := scan.DefaultSuppressions(rc.Dir)
	if err != nil || p == "" {
		return details, err
	}
	opts.Suppressions = p
	name := p
	if rel, err := filepath.Rel(cmp.Or(rc.Dir, "."), p); err == nil {
		name = filepath.ToSlash(rel)
	}
	details["suppressions"], details["suppressions_default"] = name, true
	return details, nil
}

// maxStaleListed bounds the fingerprints the sign-off line names per kind;
// details list them all.
const maxStaleListed = 5

// staleSuppressions is the sign-off's note of the entries that no longer
// do anything: expired ones (expires= or suppressions_max_age) suppress
// nothing, unused ones match no failure, each with the owners its entries
// name (owner=), whom to ask. "" when there are none. The owners are the
// suppressions file's words: the sign-off escapes the line (safetext), so
// that owner=@team names the team without notifying it.
func staleSuppressions(b *baseline.Baseline, owners map[string][]string) string {
	var parts []string
	for _, l := range []struct {
		what string
		fps  []string
	}{{"expired", b.ExpiredSuppressions}, {"unused", b.UnusedSuppressions}} {
		if len(l.fps) == 0 {
			continue
		}
		names := scan.StaleNames(l.fps, owners, maxStaleListed)
		parts = append(parts, fmt.Sprintf("%d %s (%s)", len(l.fps), l.what, strings.Join(names, ", ")))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; suppression entries " + strings.Join(parts, ", ")
}

// writeOutput writes the new baseline to output: when set, continuing the
// history of ref (nil when none was loaded: the history starts here) with
// its own entry at rc.Commit. It returns false with the outcome to
// report when the file cannot be written.
func (c *parseRegressionCheck) writeOutput(rc *RunContext, next, ref *baseline.Baseline, details map[string]any) (Outcome, bool) {
	switch {
	case next.Total == 0:
		// Only with allow_empty. Never the next reference: a baseline of
		// nothing would make every later failure look new.
		details["allow_empty"] = true
		if c.Output != "" {
			details["output_skipped"] = "no file checked: " + c.Output + " not written"
		}
		return Outcome{}, true
	case c.Output == "":
		return Outcome{}, true
	}
	var prev []baseline.Point
	if ref != nil {
		// A reference that cannot be a point starts the history afresh.
		prev, _ = baseline.HistoryOf(ref)
	}
	// The history is informational: one that cannot be continued (a
	// timestamp that is not RFC 3339) leaves the baseline without it.
	out := *next
	if err := out.ContinueHistory(prev, rc.Commit); err != nil {
		details["history_warning"] = err.Error()
	}
	data, err := baseline.Encode(&out)
	if err != nil {
		return Errored("encode baseline: %v", err), false
	}
	if err := rc.WriteOutput(c.Output, data); err != nil {
		return Errored("%v", err), false
	}
	details["output"] = c.Output
	return Outcome{}, true
}

// reference loads the reference baseline from its file or the fetcher, and
// says where it came from.
func (c *parseRegressionCheck) reference(ctx context.Context, rc *RunContext) (*baseline.Baseline, ReferenceSource, error) {
	data, source, err := c.Reference.fetch(ctx, rc)
	if err != nil {
		return nil, source, err
	}
	b, err := baseline.Decode(data)
	return b, source, err
}

// fetch reads the reference file, or has the fetcher download the
// artifact, and says where it came from. A reference that does not exist
// wraps ErrReferenceNotFound.
func (s referenceSpec) fetch(ctx context.Context, rc *RunContext) ([]byte, ReferenceSource, error) {
	var source ReferenceSource
	if s.Artifact == "" {
		source.Name = s.File
		b, err := os.ReadFile(rc.Path(s.File))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, source, fmt.Errorf("%w: %s does not exist", ErrReferenceNotFound, s.File)
		}
		return b, source, err
	}
	ref := artifact.Ref{Name: s.Artifact, Branch: s.Branch, File: s.File}
	source.Name = ref.String()
	if rc.Reference == nil {
		return nil, source, fmt.Errorf("%w: artifact references are fetched by the action; give reference: {file: F} here", ErrReferenceNotFound)
	}
	b, found, err := rc.Reference.FetchReference(ctx, ref)
	if err != nil {
		return nil, source, err
	}
	source.Found = &found
	source.AgeHours = int(rc.Now().Sub(found.CreatedAt).Hours())
	return b, source, nil
}

// noReference applies missing_reference: a first run has nothing to
// compare with.
func (c *parseRegressionCheck) noReference(rc *RunContext, err error, details map[string]any) Outcome {
	return noReference(cmp.Or(c.MissingReference, rc.MissingReference, MissingWarn), err, details)
}

// noReference applies a missing_reference policy to a gate's details.
func noReference(policy string, err error, details map[string]any) Outcome {
	details["missing_reference"] = policy
	details["reason"] = err.Error()
	switch policy {
	case MissingPass:
		return Passed("no reference baseline (missing_reference: pass)", details)
	case MissingWarn:
		details["warning"] = err.Error()
		return Passed("no reference baseline: not compared (warning)", details)
	}
	return Outcome{Status: StatusMissing, Summary: "no reference baseline: " + err.Error(), Details: details}
}

func regressionSummary(res compare.Result) string {
	var parts []string
	for _, r := range res.Codes {
		if r.Gated {
			parts = append(parts, fmt.Sprintf("%s %d→%d", r.Code, r.Old, r.New))
		}
	}
	s := strings.Join(parts, ", ")
	spread := ""
	if n := res.NewSuppressedTotal; n > 0 {
		// Not gated, but in the sign-off line: a suppression must not
		// spread to new files unseen.
		spread = fmt.Sprintf("; %d file(s) newly hidden by a suppression not written for them (first: %s)", n, res.NewSuppressed[0].Path)
	}
	if !res.OK {
		var reg []string
		for _, r := range res.Regressions {
			if r.NewFiles > 0 {
				reg = append(reg, fmt.Sprintf("%s in %d new file(s)", r.Code, r.NewFiles))
				continue
			}
			reg = append(reg, fmt.Sprintf("%s +%d", r.Code, r.Delta))
		}
		return "regression: " + strings.Join(reg, ", ") + " (" + s + ")" + spread
	}
	return cmp.Or(s, "no gated codes") + spread
}

// CheckPrograms checks that the program of each parse-regression gate that
// runs a checker can be found, through PATH or as a path, as the gate will
// look for it (gate --validate). ParseConfig leaves it out: the program is a
// fact of the machine that runs the gates, not of the file.
func (c *Config) CheckPrograms() error {
	for _, g := range c.Gates {
		for _, check := range leafChecks(g.Check) {
			pr, ok := check.(*parseRegressionCheck)
			if !ok || pr.Checker == "" {
				continue
			}
			if _, err := pr.command.LookPath(); err != nil {
				return &ConfigError{File: c.File, Line: pr.line, Msg: fmt.Sprintf("gate %s: \"checker\": %v", g.ID, err)}
			}
			if pr.ExecChecker == "" {
				continue
			}
			if _, err := pr.exec.LookPath(); err != nil {
				return &ConfigError{File: c.File, Line: pr.execLine, Msg: fmt.Sprintf("gate %s: \"exec_checker\": %v", g.ID, err)}
			}
		}
	}
	return nil
}

// PinnedReferenceBranches are the branches parse-regression gates name
// in reference: {artifact, branch}: their push runs must upload the
// baseline those gates will look for.
func (c *Config) PinnedReferenceBranches() []string {
	var out []string
	for _, g := range c.Gates {
		for _, check := range leafChecks(g.Check) {
			if pr, ok := check.(*parseRegressionCheck); ok && pr.Reference.Branch != "" {
				out = append(out, pr.Reference.Branch)
			}
		}
	}
	return out
}

// leafChecks are the checks of one kind that c is made of: c itself, or
// those it wraps (a previous: comparison) or lists (checks:).
func leafChecks(c Check) []Check {
	switch c := c.(type) {
	case *previousCheck:
		return leafChecks(c.inner)
	case *checksCheck:
		var out []Check
		for _, it := range c.items {
			out = append(out, leafChecks(it.Check)...)
		}
		return out
	case nil:
		return nil
	}
	return []Check{c}
}

// deref is the list a pointer holds, nil for none.
func deref(p *[]string) []string {
	if p == nil {
		return nil
	}
	return *p
}
