package gate

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/setting"
)

// DefaultSSETimeout bounds one SSE connection.
const DefaultSSETimeout = 10 * time.Second

// maxSSEEvents bounds the events kept from one stream.
const maxSSEEvents = 10000

// sseCheck reads a server-sent event stream and judges its envelope:
// order of first appearance, positions, ids, and Last-Event-ID resume.
type sseCheck struct {
	URL     string            `yaml:"url"`
	Headers map[string]string `yaml:"headers"`
	Timeout Duration          `yaml:"timeout"`
	// Until ends the read at the first event of this type (for streams that
	// never close by themselves).
	Until string `yaml:"until"`
	// AllowEmpty passes a stream of zero events (with min_events: 0);
	// without it an empty stream fails whatever min_events says.
	AllowEmpty bool `yaml:"allow_empty"`
	Expect     struct {
		Order        []string       `yaml:"order"`
		Within       map[string]int `yaml:"within"`
		MonotonicIDs bool           `yaml:"monotonic_ids"`
		Resume       bool           `yaml:"resume"`
		Headers      headerExpect   `yaml:"headers"`
		MinEvents    *int           `yaml:"min_events"`
		// Data holds, per event type, expectations on each such event's
		// data read as JSON; the type must occur at least once.
		Data map[string]jsonExpect `yaml:"data"`
	} `yaml:"expect"`
}

type sseEvent struct {
	Type string
	ID   string
	Data string
}

func decodeSSE(d *Decoder, value *yaml.Node, _ map[string]*yaml.Node) (Check, error) {
	c := &sseCheck{}
	if err := d.Decode(value, c); err != nil {
		return nil, err
	}
	if !isURL(c.URL) {
		return nil, d.Errorf(value, "sse: url must be an http(s) URL")
	}
	if c.Timeout == 0 {
		c.Timeout = Duration(DefaultSSETimeout)
	}
	expect := valueNode(value, "expect", value)
	for _, t := range sortedKeys(c.Expect.Within) {
		if err := setting.Position(c.Expect.Within[t]); err != nil {
			return nil, d.keyed(valueNode(valueNode(expect, "within", expect), t, expect), "within."+t, err)
		}
	}
	if c.Expect.MinEvents != nil {
		if err := setting.Count(*c.Expect.MinEvents); err != nil {
			return nil, d.settingError(expect, "min_events", err)
		}
	}
	return c, nil
}

func (c *sseCheck) Run(ctx context.Context, rc *RunContext) Outcome {
	details := map[string]any{"url": c.URL}
	hdr, events, ended, err := c.read(ctx, rc.HTTP, "")
	if err != nil {
		details["error"] = err.Error()
		return Failed(err.Error(), details)
	}
	details["events_seen"] = len(events)
	types := firstAppearances(events)
	details["types"] = types
	if len(events) > 0 {
		details["first_id"], details["last_id"] = events[0].ID, events[len(events)-1].ID
	}
	var problems []string
	if !ended {
		problems = append(problems, fmt.Sprintf("stream did not end within %s (set until: EVENT for endless streams)", c.Timeout.Std()))
	}
	min := 1
	if c.Expect.MinEvents != nil {
		min = *c.Expect.MinEvents
	}
	switch {
	case len(events) == 0 && !c.AllowEmpty:
		problems = append(problems, fmt.Sprintf("no event from %s: an empty stream proves nothing (allow_empty: true accepts it)", c.URL))
	case len(events) < min:
		problems = append(problems, fmt.Sprintf("%d event(s), want at least %d", len(events), min))
	}
	problems = append(problems, checkHeaders(c.Expect.Headers, hdr)...)
	if len(c.Expect.Order) > 0 {
		p := checkOrder(types, c.Expect.Order)
		details["order"] = cmp.Or(p, "ok")
		if p != "" {
			problems = append(problems, p)
		}
	}
	for _, t := range sortedKeys(c.Expect.Within) {
		n := c.Expect.Within[t]
		pos := slices.IndexFunc(events, func(e sseEvent) bool { return e.Type == t })
		if pos < 0 || pos >= n {
			problems = append(problems, fmt.Sprintf("event %s not within the first %d (at %s)", t, n, position(pos)))
		}
	}
	for _, t := range sortedKeys(c.Expect.Data) {
		problems = append(problems, checkEventData(events, t, c.Expect.Data[t])...)
	}
	if c.Expect.MonotonicIDs {
		if p := checkMonotonic(events); p != "" {
			problems = append(problems, p)
			details["monotonic_ids"] = p
		} else {
			details["monotonic_ids"] = "ok"
		}
	}
	if c.Expect.Resume && ctx.Err() == nil {
		problems = append(problems, c.resume(ctx, rc.HTTP, events, details)...)
	}
	if len(problems) > 0 {
		details["problems"] = problems
		return Failed(problems[0], details)
	}
	summary := fmt.Sprintf("%d events, order %s", len(events), strings.Join(types, "→"))
	if c.Expect.Resume {
		summary += fmt.Sprintf("; resumed at %v", details["resume_first_id"])
	}
	return Passed(summary, details)
}

// checkEventData judges the JSON data of every event of type t; an
// expectation on a type that never occurs fails (fail closed).
func checkEventData(events []sseEvent, t string, want jsonExpect) []string {
	seen := 0
	for _, e := range events {
		if e.Type != t {
			continue
		}
		seen++
		var doc any
		if err := json.Unmarshal([]byte(e.Data), &doc); err != nil {
			return []string{fmt.Sprintf("event %s (id %q): data is not JSON: %s", t, e.ID, truncate(e.Data, 80))}
		}
		if p := want.check(doc); len(p) > 0 {
			return []string{fmt.Sprintf("event %s (id %q) data %s", t, e.ID, p[0])}
		}
	}
	if seen == 0 {
		return []string{fmt.Sprintf("event %s: none in the stream, so its data cannot be judged", t)}
	}
	return nil
}

// resume reconnects with Last-Event-ID set to a mid-stream id; the first
// resumed event must carry that id + 1 (a restart from 1 is no resume).
func (c *sseCheck) resume(ctx context.Context, client *http.Client, events []sseEvent, details map[string]any) []string {
	var withID []int
	for i, e := range events {
		if _, err := strconv.Atoi(e.ID); err == nil {
			withID = append(withID, i)
		}
	}
	if len(withID) < 2 {
		return []string{"resume: need at least 2 events with numeric ids to test Last-Event-ID"}
	}
	mid := events[withID[(len(withID)-1)/2]].ID
	from, _ := strconv.Atoi(mid)
	details["resume_from"] = mid
	_, resumed, _, err := c.read(ctx, client, mid)
	if err != nil {
		return []string{"resume: " + err.Error()}
	}
	details["resume_events"] = len(resumed)
	i := slices.IndexFunc(resumed, func(e sseEvent) bool { return e.ID != "" })
	if i < 0 {
		return []string{fmt.Sprintf("resume: no event with an id after Last-Event-ID %s", mid)}
	}
	details["resume_first_id"] = resumed[i].ID
	if got, err := strconv.Atoi(resumed[i].ID); err != nil || got != from+1 {
		return []string{fmt.Sprintf("resume: first id after Last-Event-ID %s is %s, want %d", mid, resumed[i].ID, from+1)}
	}
	return nil
}

// read connects once and collects events until the stream ends, the until
// event arrives, or the timeout passes (ended false).
func (c *sseCheck) read(ctx context.Context, client *http.Client, lastID string) (http.Header, []sseEvent, bool, error) {
	cctx, cancel := context.WithTimeout(ctx, c.Timeout.Std())
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return nil, nil, false, err
	}
	req.Header.Set("Accept", "text/event-stream")
	for _, k := range sortedKeys(c.Headers) {
		req.Header.Set(k, c.Headers[k])
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, false, fmt.Errorf("connect: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.Header, nil, false, fmt.Errorf("status %d, want 200", resp.StatusCode)
	}
	var events []sseEvent
	var cur sseEvent
	var data []string
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if cur.Type != "" || cur.ID != "" || len(data) > 0 {
				cur.Data = strings.Join(data, "\n")
				if cur.Type == "" {
					cur.Type = "message"
				}
				events = append(events, cur)
				if cur.Type == c.Until && c.Until != "" || len(events) >= maxSSEEvents {
					return resp.Header, events, true, nil
				}
			}
			cur, data = sseEvent{}, nil
			continue
		}
		field, val, _ := strings.Cut(line, ":")
		val = strings.TrimPrefix(val, " ")
		switch field {
		case "event":
			cur.Type = val
		case "id":
			cur.ID = val
		case "data":
			data = append(data, val)
		}
	}
	if cctx.Err() != nil {
		return resp.Header, events, false, nil
	}
	if err := sc.Err(); err != nil {
		return resp.Header, events, false, fmt.Errorf("read stream: %w", err)
	}
	return resp.Header, events, true, nil
}

func firstAppearances(events []sseEvent) []string {
	var types []string
	for _, e := range events {
		if !slices.Contains(types, e.Type) {
			types = append(types, e.Type)
		}
	}
	return types
}

// checkOrder requires the wanted types to first appear in the given order.
func checkOrder(types, want []string) string {
	last := -1
	for _, w := range want {
		i := slices.Index(types, w)
		if i < 0 {
			return fmt.Sprintf("event %s never appeared (order wanted %s, got %s)", w, strings.Join(want, "→"), strings.Join(types, "→"))
		}
		if i < last {
			return fmt.Sprintf("event order %s, want %s", strings.Join(types, "→"), strings.Join(want, "→"))
		}
		last = i
	}
	return ""
}

func checkMonotonic(events []sseEvent) string {
	prev := 0
	for i, e := range events {
		n, err := strconv.Atoi(e.ID)
		if err != nil {
			return fmt.Sprintf("event %d (%s) has no numeric id (%q)", i+1, e.Type, e.ID)
		}
		if i > 0 && n <= prev {
			return fmt.Sprintf("ids not monotonic: %d after %d", n, prev)
		}
		prev = n
	}
	return ""
}

func position(i int) string {
	if i < 0 {
		return "absent"
	}
	return strconv.Itoa(i + 1)
}
