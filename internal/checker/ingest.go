package checker

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
)

// Ingested is what a status source said: one status per file (the last
// word on a file wins) in order of first mention, and the producing tool
// when the source names it (SARIF's tool.driver.name).
type Ingested struct {
	Statuses []Status
	Tool     string
	Format   string // "jsonl" or "sarif"
}

// maxIngestLine bounds one JSONL line.
const maxIngestLine = 1 << 20

// Ingest reads statuses produced elsewhere, detecting the format: a SARIF
// 2.1.0 log (a JSON object with "runs"), or JSON status lines, one per line,
// each naming its file. Lines that are not status lines (ordinary checker
// output captured with them) are skipped; a status line without a file is
// an error, since it cannot be attributed.
func Ingest(r io.Reader) (*Ingested, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64 << 10)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	first := head
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if _, ok := ParseStatusLine(first); !ok && len(head) > 0 && head[0] == '{' && bytes.Contains(head, []byte(`"runs"`)) {
		return ingestSARIF(br)
	}
	return ingestLines(br)
}

func ingestLines(r io.Reader) (*Ingested, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxIngestLine)
	acc := newAccumulator()
	for n := 1; sc.Scan(); n++ {
		s, ok := ParseStatusLine(sc.Bytes())
		if !ok {
			continue
		}
		if strings.TrimSpace(s.File) == "" {
			return nil, fmt.Errorf("line %d: status line has no \"file\"", n)
		}
		s.Evidence = FromIngest
		acc.put(s, true)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read status lines: %w", err)
	}
	if len(acc.out) == 0 {
		return nil, errors.New("no JSON status lines and not a SARIF log")
	}
	return &Ingested{Statuses: acc.out, Format: "jsonl"}, nil
}

// accumulator keeps one status per file in first-mention order.
type accumulator struct {
	at  map[string]int
	out []Status
}

func newAccumulator() *accumulator { return &accumulator{at: map[string]int{}} }

// put records s; replace says whether a later word on a file wins (JSONL)
// or the caller decides (SARIF keeps the strongest).
func (a *accumulator) put(s Status, replace bool) {
	if i, ok := a.at[s.File]; ok {
		if replace {
			a.out[i] = s
		}
		return
	}
	a.at[s.File] = len(a.out)
	a.out = append(a.out, s)
}

// SARIF 2.1.0, the parts that say which file failed how.
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
type sarifLog struct {
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool struct {
		Driver struct {
			Name  string `json:"name"`
			Rules []struct {
				ID                   string                     `json:"id"`
				Properties           map[string]json.RawMessage `json:"properties"`
				DefaultConfiguration struct {
					Level string `json:"level"`
				} `json:"defaultConfiguration"`
			} `json:"rules"`
		} `json:"driver"`
	} `json:"tool"`
	Artifacts []struct {
		Location sarifArtifactLocation `json:"location"`
	} `json:"artifacts"`
	Results []sarifResult `json:"results"`
}

type sarifArtifactLocation struct {
	URI   string `json:"uri"`
	Index *int   `json:"index"`
}

type sarifResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex *int   `json:"ruleIndex"`
	Level     string `json:"level"`
	Kind      string `json:"kind"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
			Region           struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// ingestSARIF reads a SARIF log. Every artifact a run lists counts as
// checked; a file fails on its strongest result (level error before
// warning, then the lowest line). Results of level note or none, and of
// kind pass, informational or notApplicable, are not failures. The code is
// taken from the result's properties (code_name, code), its rule id when
// that is a code name (PARSE_ERROR, E_PARSE_…) or its rule's properties;
// otherwise it is GENERIC_FAILURE.
func ingestSARIF(r io.Reader) (*Ingested, error) {
	var log sarifLog
	dec := json.NewDecoder(r)
	if err := dec.Decode(&log); err != nil {
		return nil, fmt.Errorf("read SARIF: %w", err)
	}
	if log.Version != "2.1.0" {
		return nil, fmt.Errorf("SARIF version %q: only 2.1.0 is supported", log.Version)
	}
	acc := newAccumulator()
	rank := map[string]int{} // file → rank of its current status
	var tools []string
	for ri, run := range log.Runs {
		if n := run.Tool.Driver.Name; n != "" && !slices.Contains(tools, n) {
			tools = append(tools, n)
		}
		uriAt := func(l sarifArtifactLocation) string {
			if l.URI == "" && l.Index != nil && *l.Index >= 0 && *l.Index < len(run.Artifacts) {
				l = run.Artifacts[*l.Index].Location
			}
			return uriPath(l.URI)
		}
		for _, a := range run.Artifacts {
			if p := uriPath(a.Location.URI); p != "" {
				acc.put(Status{File: p, CodeName: baseline.Success, Evidence: FromIngest}, false)
			}
		}
		for i, res := range run.Results {
			if len(res.Locations) == 0 {
				continue
			}
			loc := res.Locations[0].PhysicalLocation
			p := uriAt(loc.ArtifactLocation)
			if p == "" {
				return nil, fmt.Errorf("SARIF runs[%d].results[%d]: no file location", ri, i)
			}
			s, r := sarifStatus(run, res)
			s.File, s.Line = p, max(0, loc.Region.StartLine)
			j, seen := acc.at[p]
			if !seen {
				acc.put(s, false)
				rank[p] = r
				continue
			}
			old := acc.out[j]
			if r > rank[p] || (r == rank[p] && r > 0 && s.Line < old.Line) {
				acc.out[j], rank[p] = s, r
			}
		}
	}
	return &Ingested{Statuses: acc.out, Tool: strings.Join(tools, ", "), Format: "sarif"}, nil
}

// sarifStatus turns a result into a status and its strength: 2 error,
// 1 warning, 0 not a failure.
func sarifStatus(run sarifRun, res sarifResult) (Status, int) {
	s := Status{CodeName: baseline.Success, Evidence: FromIngest}
	props := res.Properties
	level := res.Level
	if res.RuleIndex != nil && *res.RuleIndex >= 0 && *res.RuleIndex < len(run.Tool.Driver.Rules) {
		rule := run.Tool.Driver.Rules[*res.RuleIndex]
		if level == "" {
			level = rule.DefaultConfiguration.Level
		}
		if props == nil {
			props = rule.Properties
		}
	} else {
		for _, rule := range run.Tool.Driver.Rules {
			if rule.ID == res.RuleID && res.RuleID != "" {
				if level == "" {
					level = rule.DefaultConfiguration.Level
				}
				if props == nil {
					props = rule.Properties
				}
				break
			}
		}
	}
	if level == "" {
		level = "warning" // SARIF's default
	}
	strength := map[string]int{"error": 2, "warning": 1}[level]
	switch res.Kind {
	case "pass", "informational", "notApplicable", "open", "review":
		strength = 0
	}
	if strength == 0 {
		return s, 0
	}
	name := ""
	if raw, ok := props["code_name"]; ok {
		var v string
		if json.Unmarshal(raw, &v) == nil {
			name = codeNameAlias(v)
		}
	}
	if raw, ok := props["code"]; name == "" && ok {
		if n, ok := intValue(raw); ok {
			if c, ok := baseline.CodeByNum(n); ok {
				name = c.Name
			}
		}
	}
	if name == "" {
		name = codeNameAlias(res.RuleID)
	}
	msg := res.Message.Text
	if name == "" || name == baseline.Success {
		name = baseline.GenericFailure
		if res.RuleID != "" {
			msg = "[" + res.RuleID + "] " + msg
		}
	}
	s.CodeName, s.Message = name, Clean(msg, MaxMessage)
	return s, strength
}

// uriPath turns an artifact URI into a path: file: URIs lose their scheme,
// percent-escapes are decoded.
func uriPath(uri string) string {
	if uri == "" {
		return ""
	}
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
