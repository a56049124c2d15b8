// Package aetherra is the demo service of the gate examples: a tiny
// stand-in for the Aetherra OS that speaks the endpoints the
// specification's eight go/no-go gates and its post-release watch probe,
// and writes the files they read (the HMR audit log, the security alert
// sink). Each Fault makes one gate's check fail, so the tests can show that
// every gate catches its problem.
package aetherra

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// Faults, one per gate (or check) they break: the eight gates of
// gonogo.yml, then the post-release watch of watch.yml.
const (
	FaultNoEngine      = "no-engine"      // launcher_smoke: engine not registered
	FaultSSEOrder      = "sse-order"      // chat_sse_resume: usage before policy
	FaultSSERestart    = "sse-restart"    // chat_sse_resume: ignores Last-Event-ID
	FaultNetOpen       = "net-open"       // security_strict: outbound calls allowed
	FaultMemoryDown    = "memory-down"    // memory: status unavailable
	FaultHMRNoSwap     = "hmr-no-swap"    // hmr_quiesce (and spec_tests_coverage's kernel metrics): prepare without swap
	FaultAgentsOpen    = "agents-open"    // agents_api: enabled without a token
	FaultNoPolicy      = "no-policy"      // policy_dp: no policy header or event
	FaultKernelBacklog = "kernel-backlog" // spec_tests_coverage: 25 kernel tasks in flight
	FaultNoEditPlan    = "no-edit-plan"   // spec_tests_coverage: the Lyrixa bridge synthesizes no edit plan
	FaultQueueBacklog  = "queue-backlog"  // spec_tests_coverage: 250 kernel tasks pending

	FaultSecurityAlert  = "security-alert"  // watch security_alerts: an alert in the sink
	FaultDLQFlood       = "dlq-flood"       // watch kernel_dlq: tasks expire and are dropped
	FaultAuditUnbounded = "audit-unbounded" // watch hmr_audit_rotation: the audit log outgrows its caps
	FaultCoherenceDrift = "coherence-drift" // watch memory_coherence: coherence falls from 0.98 to 0.61
)

// Faults lists every fault.
var Faults = []string{FaultNoEngine, FaultSSEOrder, FaultSSERestart, FaultNetOpen, FaultMemoryDown,
	FaultHMRNoSwap, FaultAgentsOpen, FaultNoPolicy, FaultNoEditPlan, FaultKernelBacklog, FaultQueueBacklog,
	FaultSecurityAlert, FaultDLQFlood, FaultAuditUnbounded, FaultCoherenceDrift}

// The HMR audit log's rotation caps: the log rotates past AuditMaxBytes
// and keeps AuditMaxKept rotated files.
const (
	AuditMaxBytes = 1 << 20
	AuditMaxKept  = 5
)

// Options configure the service.
type Options struct {
	// AgentsEnabled turns the agents API on; with AgentsToken set, callers
	// must present it as a bearer token.
	AgentsEnabled bool
	AgentsToken   string
	// DP adds differential-privacy keys to the policy.
	DP        bool
	DPEpsilon float64
	// Faults to inject.
	Faults []string
	// NetAllow are the hosts outbound calls may reach.
	NetAllow []string
}

// Server is the demo service's HTTP handler.
type Server struct {
	opt Options
	mux *http.ServeMux
}

// New builds the handler.
func New(opt Options) *Server {
	s := &Server{opt: opt, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	s.mux.HandleFunc("GET /api/kernel/status", s.kernelStatus)
	s.mux.HandleFunc("GET /metrics", s.metrics)
	s.mux.HandleFunc("GET /api/memory/status", s.memoryStatus)
	s.mux.HandleFunc("GET /api/ai/stream", s.stream)
	s.mux.HandleFunc("GET /api/agents", s.agents)
	s.mux.HandleFunc("POST /api/net/fetch", s.netFetch)
	s.mux.HandleFunc("GET /api/security/status", s.securityStatus)
	s.mux.HandleFunc("POST /api/lyrixa/chat", s.lyrixaChat)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) has(fault string) bool { return slices.Contains(s.opt.Faults, fault) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// queues are the kernel's task queues, as the status and the metrics
// report them.
type queues struct {
	pending, inflight int
	// expired and dropped are the tasks in the dead-letter queue, by
	// why they landed there.
	expired, dropped int
}

func (s *Server) queues() queues {
	q := queues{expired: 1}
	if s.has(FaultKernelBacklog) {
		q.inflight = 25
	}
	if s.has(FaultQueueBacklog) {
		q.pending = 250
	}
	if s.has(FaultDLQFlood) {
		q.expired, q.dropped = 40, 12
	}
	return q
}

func (s *Server) kernelStatus(w http.ResponseWriter, _ *http.Request) {
	services := map[string]bool{"memory_system": true, "plugin_manager": true, "aetherra_engine": true}
	if s.has(FaultNoEngine) {
		delete(services, "aetherra_engine")
	}
	q := s.queues()
	writeJSON(w, http.StatusOK, map[string]any{
		"running":  true,
		"queues":   map[string]int{"pending": q.pending, "inflight": q.inflight, "dlq": q.expired + q.dropped},
		"services": services,
	})
}

// metrics serves the kernel's inflight gauge, its dead-letter queue by
// reason and the HMR swap counter in the Prometheus text format, written
// by the Prometheus project's encoder.
func (s *Server) metrics(w http.ResponseWriter, _ *http.Request) {
	q := s.queues()
	swaps := 1.0 // the demo's one HMR reload
	if s.has(FaultHMRNoSwap) {
		swaps = 0 // prepared, never swapped: the counter says so too
	}
	gauge, counter := dto.MetricType_GAUGE, dto.MetricType_COUNTER
	dlq := func(reason string, n int) *dto.Metric {
		return &dto.Metric{Label: []*dto.LabelPair{{Name: new("reason"), Value: new(reason)}},
			Gauge: &dto.Gauge{Value: new(float64(n))}}
	}
	families := []*dto.MetricFamily{
		{Name: new("aetherra_kernel_inflight"), Help: new("Kernel tasks in flight."), Type: &gauge,
			Metric: []*dto.Metric{{Gauge: &dto.Gauge{Value: new(float64(q.inflight))}}}},
		{Name: new("aetherra_kernel_dlq_tasks"), Help: new("Kernel tasks in the dead-letter queue, by reason."), Type: &gauge,
			Metric: []*dto.Metric{dlq("dropped", q.dropped), dlq("expired", q.expired)}},
		{Name: new("aetherra_hmr_swaps_total"), Help: new("Hot module swaps completed."), Type: &counter,
			Metric: []*dto.Metric{{Counter: &dto.Counter{Value: new(swaps)}}}},
	}
	w.Header().Set("Content-Type", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
	for _, mf := range families {
		if _, err := expfmt.MetricFamilyToText(w, mf); err != nil {
			return
		}
	}
}

func (s *Server) memoryStatus(w http.ResponseWriter, _ *http.Request) {
	if s.has(FaultMemoryDown) {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"healthy": false, "error": "memory backend unavailable"})
		return
	}
	coherence := 0.98
	if s.has(FaultCoherenceDrift) {
		coherence = 0.61
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"healthy":         true,
		"mode":            "hybrid",
		"backend":         "classical", // the quantum backend is absent: graceful fallback
		"node_statistics": map[string]int{"total_nodes": 3, "branches": 1},
		"coherence":       coherence,
	})
}

// policy is what the chat stream announces in its header and its event.
func (s *Server) policy(r *http.Request) map[string]any {
	p := map[string]any{"scratchpad": r.URL.Query().Get("scratchpad_policy"), "retention": "session"}
	if p["scratchpad"] == "" {
		p["scratchpad"] = "redacted"
	}
	if s.opt.DP {
		p["dp"] = map[string]any{"enabled": true, "epsilon": s.opt.DPEpsilon}
	}
	return p
}

// stream is the chat SSE: status, policy, tokens, usage, final, with ids
// 1…n; Last-Event-ID resumes after the given id.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	policy, _ := json.Marshal(s.policy(r))
	type event struct{ typ, data string }
	msg := r.URL.Query().Get("message")
	events := []event{
		{"status", `{"state":"thinking"}`},
		{"policy", string(policy)},
		{"token", mustJSON(map[string]string{"text": "pong"})},
		{"token", mustJSON(map[string]string{"text": " (" + msg + ")"})},
		{"usage", `{"prompt_tokens":3,"completion_tokens":2}`},
		{"final", `{"done":true}`},
	}
	if s.has(FaultSSEOrder) {
		events[1], events[4] = events[4], events[1]
	}
	if s.has(FaultNoPolicy) {
		events = slices.Delete(events, 1, 2)
	} else {
		w.Header().Set("X-Aetherra-Policy", string(policy))
	}
	start := 0
	if last, err := strconv.Atoi(r.Header.Get("Last-Event-ID")); err == nil && !s.has(FaultSSERestart) {
		start = min(max(last, 0), len(events))
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	for i := start; i < len(events); i++ {
		fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", i+1, events[i].typ, events[i].data)
		flusher.Flush()
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// agents is off by default (501); when on, it requires the token if one is
// configured.
func (s *Server) agents(w http.ResponseWriter, r *http.Request) {
	open := s.has(FaultAgentsOpen)
	if !s.opt.AgentsEnabled && !open {
		writeJSON(w, http.StatusNotImplemented, map[string]any{"enabled": false, "reason": "agents API disabled"})
		return
	}
	if s.opt.AgentsToken != "" && !open && r.Header.Get("Authorization") != "Bearer "+s.opt.AgentsToken {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"enabled": true, "error": "token required"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"enabled": true, "orchestrator": map[string]any{"agents": 2, "status": "idle"}})
}

// netFetch applies the outbound network policy to ?url=.
func (s *Server) netFetch(w http.ResponseWriter, r *http.Request) {
	u, err := url.Parse(r.URL.Query().Get("url"))
	if err != nil || u.Host == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "want ?url="})
		return
	}
	if !s.has(FaultNetOpen) && !slices.Contains(s.opt.NetAllow, u.Hostname()) {
		writeJSON(w, http.StatusForbidden, map[string]any{"denied": true, "host": u.Hostname()})
		return
	}
	// The demo never calls out: it only says it would.
	writeJSON(w, http.StatusOK, map[string]any{"denied": false, "host": u.Hostname()})
}

func (s *Server) securityStatus(w http.ResponseWriter, _ *http.Request) {
	strict := !s.has(FaultNetOpen)
	writeJSON(w, http.StatusOK, map[string]any{"script_verify_strict": true, "net_strict": strict, "unsigned_scripts": 0})
}

// HMRReload performs a hot module swap of target and writes the audit
// log to path (a JSONL file), freshly rotated: AUDIT_ROTATE (the size the
// previous log reached and the rotated files kept, within AuditMaxBytes
// and AuditMaxKept), then HMR_PREPARE, and HMR_SWAP once inflight work is
// drained.
func (s *Server) HMRReload(path, target string, now func() time.Time) error {
	ts := float64(now().UnixMilli()) / 1000
	rotate := map[string]any{"event": "AUDIT_ROTATE", "file": filepath.Base(path), "ts": ts,
		"size_bytes": AuditMaxBytes / 2, "max_bytes": AuditMaxBytes, "kept": 3, "max_kept": AuditMaxKept}
	if s.has(FaultAuditUnbounded) {
		// Rotation stopped honouring its caps.
		rotate["size_bytes"], rotate["kept"] = 8*AuditMaxBytes, 12
	}
	lines := []string{mustJSON(rotate)}
	events := []string{"HMR_PREPARE", "HMR_DRAIN", "HMR_SWAP"}
	if s.has(FaultHMRNoSwap) {
		events = events[:2]
	}
	for _, e := range events {
		lines = append(lines, mustJSON(map[string]any{"event": e, "target": target, "ts": ts, "inflight": 0}))
	}
	return writeLines(path, lines)
}

// WriteAlerts opens the security alert sink at path (a JSONL file), as the
// service does at start: empty, unless a fault raised an alert.
func (s *Server) WriteAlerts(path string, now func() time.Time) error {
	var lines []string
	if s.has(FaultSecurityAlert) {
		lines = append(lines, mustJSON(map[string]any{"ts": float64(now().UnixMilli()) / 1000, "severity": "high",
			"kind": "script_signature", "message": "unsigned script executed: workflows/night_cycle.aether"}))
	}
	return writeLines(path, lines)
}

// writeLines writes path (and its directory) with one line each.
func writeLines(path string, lines []string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// ParseFaults splits a comma-separated fault list, rejecting unknown ones.
func ParseFaults(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !slices.Contains(Faults, f) {
			return nil, fmt.Errorf("unknown fault %q (known: %s)", f, strings.Join(Faults, ", "))
		}
		out = append(out, f)
	}
	return out, nil
}

// lyrixaChat is the Lyrixa bridge of the endpoint table: the default
// persona answers and an edit plan is synthesized from the message.
func (s *Server) lyrixaChat(w http.ResponseWriter, _ *http.Request) {
	out := map[string]any{"persona": "default", "reply": "ok"}
	if !s.has(FaultNoEditPlan) {
		out["edit_plan"] = map[string]any{"synthesized": true, "steps": []string{"analyze", "edit", "verify"}}
	}
	writeJSON(w, http.StatusOK, out)
}
