package checker

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
)

// SARIF 2.1.0, the parts that say which file failed how, read as the
// specification defines them:
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
type sarifLog struct {
	Version string `json:"version"`
	// Runs is a pointer so that a log without "runs" (or with null) is
	// told apart from one with an empty list: both are refused.
	Runs *[]sarifRun `json:"runs"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

// sarifArtifactLocation is §3.4: a URI, maybe relative to a base named by
// uriBaseId, or an index into run.artifacts.
type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
	Index     *int   `json:"index"`
}

type sarifLocation struct {
	PhysicalLocation *struct {
		ArtifactLocation *sarifArtifactLocation `json:"artifactLocation"`
		Region           struct {
			StartLine int `json:"startLine"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

type sarifRule struct {
	ID                   string                     `json:"id"`
	Properties           map[string]json.RawMessage `json:"properties"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

// sarifNotification is §3.58: what a tool says about its own run. ESLint's
// SARIF formatter reports a file it could not parse this way, not as a
// result.
type sarifNotification struct {
	Level      string          `json:"level"`
	Message    sarifMessage    `json:"message"`
	Locations  []sarifLocation `json:"locations"`
	Descriptor struct {
		ID string `json:"id"`
	} `json:"descriptor"`
	Properties map[string]json.RawMessage `json:"properties"`
}

type sarifInvocation struct {
	ExecutionSuccessful            *bool               `json:"executionSuccessful"`
	ToolExecutionNotifications     []sarifNotification `json:"toolExecutionNotifications"`
	ToolConfigurationNotifications []sarifNotification `json:"toolConfigurationNotifications"`
}

type sarifRun struct {
	Tool struct {
		Driver struct {
			Name  string      `json:"name"`
			Rules []sarifRule `json:"rules"`
		} `json:"driver"`
	} `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds"`
	Artifacts          []struct {
		Location sarifArtifactLocation `json:"location"`
	} `json:"artifacts"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifResult struct {
	RuleID       string                     `json:"ruleId"`
	RuleIndex    *int                       `json:"ruleIndex"`
	Level        string                     `json:"level"`
	Kind         string                     `json:"kind"`
	Message      sarifMessage               `json:"message"`
	Locations    []sarifLocation            `json:"locations"`
	Properties   map[string]json.RawMessage `json:"properties"`
	Suppressions []struct {
		Status string `json:"status"`
	} `json:"suppressions"`
}

// The enums of the specification (§3.27.9 kind, §3.27.10 level, §3.35.3
// suppression status). A value outside them is refused: "ERROR" is not
// "error", and reading it as anything would be a guess.
var (
	sarifLevels       = []string{"none", "note", "warning", "error"}
	sarifKinds        = []string{"notApplicable", "pass", "fail", "review", "open", "informational"}
	sarifSuppressions = []string{"accepted", "underReview", "rejected"}
)

// Failure strengths: a file's status is its strongest finding; an
// unsuppressed finding always outranks a suppressed one.
const (
	rankNone = iota
	rankSuppressedWarning
	rankSuppressedError
	rankWarning
	rankError
)

// ingestSARIF reads a SARIF 2.1.0 log; docs/parse-baseline.md has the
// mapping from level and kind to status codes.
func ingestSARIF(r io.Reader) (*Ingested, error) {
	var log sarifLog
	dec := json.NewDecoder(r)
	if err := dec.Decode(&log); err != nil {
		return nil, fmt.Errorf("read SARIF: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("read SARIF: data after the log object (two logs in one file?)")
	}
	if log.Version != "2.1.0" {
		return nil, fmt.Errorf("SARIF version %q: only 2.1.0 is supported", log.Version)
	}
	if log.Runs == nil || len(*log.Runs) == 0 {
		return nil, errors.New("SARIF runs: missing or empty; the tool reported no run")
	}
	in := &sarifIngest{acc: newAccumulator(), rank: map[string]int{}}
	var tools []string
	partial := false
	for ri := range *log.Runs {
		run := &(*log.Runs)[ri]
		partial = partial || len(run.Artifacts) == 0
		if n := run.Tool.Driver.Name; n != "" && !slices.Contains(tools, n) {
			tools = append(tools, n)
		}
		if err := in.run(ri, run); err != nil {
			return nil, err
		}
	}
	return &Ingested{Statuses: in.acc.out, Tool: strings.Join(tools, ", "), Format: "sarif", Partial: partial}, nil
}

type sarifIngest struct {
	acc  *accumulator
	rank map[string]int // file → rank of its current status
}

// put records a finding on a file, keeping the strongest (then the lowest
// line) per file.
func (in *sarifIngest) put(s Status, r int) {
	j, seen := in.acc.at[s.File]
	if !seen {
		in.acc.put(s, false)
		in.rank[s.File] = r
		return
	}
	old := in.acc.out[j]
	if r > in.rank[s.File] || (r == in.rank[s.File] && r > rankNone && s.Line < old.Line) {
		in.acc.out[j], in.rank[s.File] = s, r
	}
}

func (in *sarifIngest) run(ri int, run *sarifRun) error {
	where := fmt.Sprintf("SARIF runs[%d]", ri)
	for k, rule := range run.Tool.Driver.Rules {
		if l := rule.DefaultConfiguration.Level; l != "" && !slices.Contains(sarifLevels, l) {
			return fmt.Errorf("%s.tool.driver.rules[%d].defaultConfiguration.level %q: want one of %s", where, k, l, strings.Join(sarifLevels, ", "))
		}
	}
	for k, a := range run.Artifacts {
		p, err := run.path(a.Location)
		if err != nil {
			return fmt.Errorf("%s.artifacts[%d].location: %w", where, k, err)
		}
		if p != "" {
			in.put(Status{File: p, CodeName: baseline.Success, Evidence: FromIngest}, rankNone)
		}
	}
	for k, inv := range run.Invocations {
		if err := in.invocation(fmt.Sprintf("%s.invocations[%d]", where, k), run, inv); err != nil {
			return err
		}
	}
	for k, res := range run.Results {
		at := fmt.Sprintf("%s.results[%d]", where, k)
		s, r, err := run.resultStatus(res)
		if err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		p, line, err := run.firstFile(res.Locations)
		if err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if p == "" {
			if r == rankNone {
				continue // a pass or a note about nothing in particular
			}
			// A finding that names no file cannot be attributed; dropping
			// it would pass what the tool failed.
			return fmt.Errorf("%s: a failing result (%s) names no file; it cannot be attributed", at, sarifWhat(res.RuleID, res.Message.Text))
		}
		s.File, s.Line = p, line
		in.put(s, r)
	}
	return nil
}

// invocation applies §3.20: a notification of level error that names a
// file makes that file fail; one that names no file, or a run that says
// executionSuccessful: false without blaming any file, is a run the tool
// could not do, and the ingest fails.
func (in *sarifIngest) invocation(where string, run *sarifRun, inv sarifInvocation) error {
	if inv.ExecutionSuccessful == nil {
		return fmt.Errorf("%s.executionSuccessful: missing (the specification requires it)", where)
	}
	blamed := 0
	var unblamed []string
	for _, list := range []struct {
		name string
		ns   []sarifNotification
	}{{"toolExecutionNotifications", inv.ToolExecutionNotifications}, {"toolConfigurationNotifications", inv.ToolConfigurationNotifications}} {
		for k, n := range list.ns {
			at := fmt.Sprintf("%s.%s[%d]", where, list.name, k)
			level := cmp.Or(n.Level, "warning") // §3.58.6
			if !slices.Contains(sarifLevels, level) {
				return fmt.Errorf("%s.level %q: want one of %s", at, n.Level, strings.Join(sarifLevels, ", "))
			}
			if level != "error" && level != "warning" {
				continue
			}
			p, line, err := run.firstFile(n.Locations)
			if err != nil {
				return fmt.Errorf("%s: %w", at, err)
			}
			if p == "" {
				if level == "error" {
					unblamed = append(unblamed, sarifWhat(n.Descriptor.ID, n.Message.Text))
				}
				continue
			}
			name, msg := explicitCode(n.Properties, n.Descriptor.ID), n.Message.Text
			if name == "" {
				if code, _, _, ok := Heuristic(msg); ok {
					name = code
				}
			}
			s, r := findingStatus(name, level, "", msg)
			s.File, s.Line = p, line
			if s.Line == 0 {
				s.Line = LineNumber(msg)
			}
			in.put(s, r)
			blamed++
		}
	}
	switch {
	case len(unblamed) > 0:
		return fmt.Errorf("%s: the tool reports an error that names no file: %s", where, unblamed[0])
	case !*inv.ExecutionSuccessful && blamed == 0:
		return fmt.Errorf("%s: the tool reports it did not run successfully (executionSuccessful: false) and names no file; its findings cannot be trusted", where)
	}
	return nil
}

// resultStatus decides a result's status and rank, its file left empty.
func (run *sarifRun) resultStatus(res sarifResult) (Status, int, error) {
	if res.Level != "" && !slices.Contains(sarifLevels, res.Level) {
		return Status{}, 0, fmt.Errorf("level %q: want one of %s", res.Level, strings.Join(sarifLevels, ", "))
	}
	if res.Kind != "" && !slices.Contains(sarifKinds, res.Kind) {
		return Status{}, 0, fmt.Errorf("kind %q: want one of %s", res.Kind, strings.Join(sarifKinds, ", "))
	}
	suppressed := false
	for k, sp := range res.Suppressions {
		if sp.Status != "" && !slices.Contains(sarifSuppressions, sp.Status) {
			return Status{}, 0, fmt.Errorf("suppressions[%d].status %q: want one of %s", k, sp.Status, strings.Join(sarifSuppressions, ", "))
		}
		// §3.35.3: no status means accepted; underReview and rejected do
		// not suppress.
		suppressed = suppressed || sp.Status == "" || sp.Status == "accepted"
	}
	props, level := res.Properties, res.Level
	if rule, ok := run.rule(res); ok {
		if props == nil {
			props = rule.Properties
		}
		if level == "" && (res.Kind == "" || res.Kind == "fail") {
			level = rule.DefaultConfiguration.Level
		}
	}
	switch {
	case res.Kind != "" && res.Kind != "fail":
		// pass, notApplicable, informational, review and open are not
		// findings; §3.27.10 gives them level none.
		return Status{CodeName: baseline.Success, Evidence: FromIngest}, rankNone, nil
	case level == "":
		level = "warning" // §3.27.10's default
	}
	s, r := findingStatus(explicitCode(props, res.RuleID), level, res.RuleID, res.Message.Text)
	if suppressed && r > rankNone {
		s.Suppressed = true
		r -= rankWarning - rankSuppressedWarning
	}
	return s, r, nil
}

// findingStatus maps a finding to a status: an explicit code wins;
// otherwise a finding of level error or warning is VALIDATION_ERROR,
// which the default policy gates, as it gates a checker's validation
// failure. Warnings are findings too: a level is not a reliable severity
// (staticcheck marks the problems it exits 1 on as warning, through its
// rules' defaultConfiguration). Levels note and none are not failures.
func findingStatus(name, level, ruleID, msg string) (Status, int) {
	s := Status{CodeName: baseline.Success, Evidence: FromIngest}
	r := map[string]int{"error": rankError, "warning": rankWarning}[level]
	if r == rankNone {
		return s, rankNone
	}
	if name == "" || name == baseline.Success {
		name = baseline.ValidationError
		if ruleID != "" {
			msg = "[" + ruleID + "] " + msg
		}
	}
	s.CodeName, s.Message = name, Clean(msg, MaxMessage)
	return s, r
}

// explicitCode is the status code a producer named: properties.code_name,
// properties.code, or a rule (or descriptor) id that is a code name.
func explicitCode(props map[string]json.RawMessage, id string) string {
	if raw, ok := props["code_name"]; ok {
		var v string
		if json.Unmarshal(raw, &v) == nil {
			if n := codeNameAlias(v); n != "" {
				return n
			}
		}
	}
	if raw, ok := props["code"]; ok {
		if n, ok := intValue(raw); ok {
			if c, ok := baseline.CodeByNum(n); ok {
				return c.Name
			}
		}
	}
	return codeNameAlias(id)
}

// rule finds a result's rule by ruleIndex, else by ruleId.
func (run *sarifRun) rule(res sarifResult) (sarifRule, bool) {
	rules := run.Tool.Driver.Rules
	if res.RuleIndex != nil && *res.RuleIndex >= 0 && *res.RuleIndex < len(rules) {
		return rules[*res.RuleIndex], true
	}
	if res.RuleID == "" {
		return sarifRule{}, false
	}
	i := slices.IndexFunc(rules, func(r sarifRule) bool { return r.ID == res.RuleID })
	if i < 0 {
		return sarifRule{}, false
	}
	return rules[i], true
}

// firstFile is the file and line of the first location that names a file.
func (run *sarifRun) firstFile(locs []sarifLocation) (string, int, error) {
	for _, l := range locs {
		if l.PhysicalLocation == nil || l.PhysicalLocation.ArtifactLocation == nil {
			continue
		}
		p, err := run.path(*l.PhysicalLocation.ArtifactLocation)
		if err != nil {
			return "", 0, err
		}
		if p != "" {
			return p, max(0, l.PhysicalLocation.Region.StartLine), nil
		}
	}
	return "", 0, nil
}

// path resolves an artifact location to a path: through run.artifacts
// when it has only an index, against its uriBaseId when the run defines
// that base (§3.14.14 originalUriBaseIds); a base the run does not define
// is the checkout, so the URI stays relative.
func (run *sarifRun) path(l sarifArtifactLocation) (string, error) {
	if l.URI == "" && l.Index != nil {
		if *l.Index < 0 || *l.Index >= len(run.Artifacts) {
			return "", fmt.Errorf("artifact index %d: the run lists %d artifacts", *l.Index, len(run.Artifacts))
		}
		a := run.Artifacts[*l.Index].Location
		l.URI, l.URIBaseID = a.URI, cmp.Or(l.URIBaseID, a.URIBaseID)
	}
	if l.URI == "" {
		return "", nil
	}
	uri, err := run.resolve(l.URI, l.URIBaseID, 0)
	if err != nil {
		return "", err
	}
	return uriPath(uri), nil
}

func (run *sarifRun) resolve(uri, baseID string, depth int) (string, error) {
	if baseID == "" {
		return uri, nil
	}
	base, ok := run.OriginalURIBaseIDs[baseID]
	if !ok || base.URI == "" {
		return uri, nil
	}
	if depth > 8 {
		return "", fmt.Errorf("uriBaseId %q: bases refer to each other in a loop", baseID)
	}
	b, err := run.resolve(base.URI, base.URIBaseID, depth+1)
	if err != nil {
		return "", err
	}
	bu, err1 := url.Parse(b)
	ru, err2 := url.Parse(uri)
	if err1 != nil || err2 != nil {
		return "", fmt.Errorf("uriBaseId %q: cannot join %q and %q", baseID, b, uri)
	}
	if !strings.HasSuffix(bu.Path, "/") { // §3.14.14: a base ends with "/"; be lenient
		bu.Path += "/"
	}
	return bu.ResolveReference(ru).String(), nil
}

// uriPath turns an artifact URI into a path: file: URIs lose their scheme
// (and host), percent-escapes are decoded.
func uriPath(uri string) string {
	if u, err := url.Parse(uri); err == nil && (u.Scheme == "file" || u.Scheme == "") {
		if u.Scheme == "file" {
			return u.Path
		}
		if p, err := url.PathUnescape(uri); err == nil {
			return p
		}
	}
	return uri
}

// sarifWhat names a finding in an error message.
func sarifWhat(id, text string) string {
	text = Clean(text, 200)
	if id == "" {
		return fmt.Sprintf("%q", text)
	}
	return fmt.Sprintf("%s %q", id, text)
}
