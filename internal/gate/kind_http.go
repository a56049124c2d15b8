package gate

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/setting"
)

// maxBody bounds a response body read by the http kind.
const maxBody = 1 << 20

// httpCheck runs requests in order; every step must meet its expectations.
type httpCheck struct {
	Steps []httpStep
}

// httpDetailKeys are the details an http check writes itself (and the
// engine's): a capture may not take their names.
var httpDetailKeys = append([]string{"steps"}, engineDetailKeys...)

type httpStep struct {
	Request struct {
		Method  string            `yaml:"method"`
		URL     string            `yaml:"url"`
		Headers map[string]string `yaml:"headers"`
		Body    string            `yaml:"body"`
	} `yaml:"request"`
	Expect struct {
		Status  []int        `yaml:"status"`
		Headers headerExpect `yaml:"headers"`
		JSON    jsonExpect   `yaml:"json"`
	} `yaml:"expect"`
	// CaptureNode is the step's capture: names of details taken from the
	// JSON body (as a run gate's capture takes them from stdout), e.g. a
	// figure that a gate's previous: compares with an earlier run's.
	CaptureNode yaml.Node `yaml:"capture"`
	capture     map[string]string
}

func decodeHTTP(d *Decoder, value *yaml.Node, _ map[string]*yaml.Node) (Check, error) {
	c := &httpCheck{}
	if value.Kind != yaml.SequenceNode || len(value.Content) == 0 {
		return nil, d.Errorf(value, "http: want a list of {request, expect} steps")
	}
	if err := d.Decode(value, &c.Steps); err != nil {
		return nil, err
	}
	captured := map[string]bool{}
	for i := range c.Steps {
		s := &c.Steps[i]
		n := value.Content[i]
		if s.CaptureNode.Kind != 0 {
			capture, err := decodeCapture(d, &s.CaptureNode, httpDetailKeys)
			if err != nil {
				return nil, err
			}
			for _, name := range sortedKeys(capture) {
				if captured[name] {
					return nil, d.Errorf(&s.CaptureNode, "http step %d: capture %q is taken by an earlier step; choose another name", i+1, name)
				}
				captured[name] = true
			}
			s.capture = capture
		}
		if !isURL(s.Request.URL) {
			return nil, d.Errorf(n, "http step %d: request.url must be an http(s) URL", i+1)
		}
		s.Request.Method = strings.ToUpper(cmp.Or(s.Request.Method, http.MethodGet))
		if len(s.Expect.Status) == 0 {
			s.Expect.Status = []int{200}
		}
		for _, code := range s.Expect.Status {
			if err := setting.HTTPStatus(code); err != nil {
				return nil, d.settingError(valueNode(n, "expect", n), "status", err)
			}
		}
	}
	return c, nil
}

func (c *httpCheck) Run(ctx context.Context, rc *RunContext) Outcome {
	var steps []map[string]any
	details := map[string]any{}
	ok := true
	summary := ""
	for i, s := range c.Steps {
		st, problems := s.do(ctx, rc.HTTP, details)
		steps = append(steps, st)
		if len(problems) > 0 {
			ok = false
			if summary == "" {
				summary = fmt.Sprintf("step %d (%s %s): %s", i+1, s.Request.Method, s.Request.URL, problems[0])
			}
			break // later steps usually depend on earlier ones
		}
	}
	details["steps"] = steps
	if ok {
		codes := make([]string, len(steps))
		for i, st := range steps {
			codes[i] = fmt.Sprint(st["status"])
		}
		return Passed(fmt.Sprintf("%d request(s) as expected (status %s)", len(steps), strings.Join(codes, ", ")), details)
	}
	return Failed(summary, details)
}

// do makes the step's request and judges the answer; captured values go
// to details.
func (s httpStep) do(ctx context.Context, client *http.Client, details map[string]any) (map[string]any, []string) {
	st := map[string]any{"method": s.Request.Method, "url": s.Request.URL}
	var body io.Reader
	if s.Request.Body != "" {
		body = strings.NewReader(s.Request.Body)
	}
	req, err := http.NewRequestWithContext(ctx, s.Request.Method, s.Request.URL, body)
	if err != nil {
		st["error"] = err.Error()
		return st, []string{err.Error()}
	}
	for _, k := range sortedKeys(s.Request.Headers) {
		req.Header.Set(k, s.Request.Headers[k])
	}
	resp, err := client.Do(req)
	if err != nil {
		st["error"] = err.Error()
		return st, []string{"request: " + err.Error()}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	st["status"] = resp.StatusCode
	var problems []string
	if err != nil {
		problems = append(problems, "read body: "+err.Error())
	}
	if !slices.Contains(s.Expect.Status, resp.StatusCode) {
		problems = append(problems, fmt.Sprintf("status %d, want %v", resp.StatusCode, s.Expect.Status))
	}
	problems = append(problems, checkHeaders(s.Expect.Headers, resp.Header)...)
	if len(s.Expect.JSON) > 0 || len(s.capture) > 0 {
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			if len(bytes.TrimSpace(data)) == 0 {
				problems = append(problems, "body is empty, want JSON")
			} else {
				problems = append(problems, "body is not JSON: "+truncate(string(data), 80))
			}
		} else {
			problems = append(problems, s.Expect.JSON.check(doc)...)
			problems = append(problems, captureValues(s.capture, doc, "the body's JSON", details)...)
		}
	}
	st["ok"] = len(problems) == 0
	if len(problems) > 0 {
		st["problems"] = problems
	}
	return st, problems
}
