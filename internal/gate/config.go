package gate

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// DefaultConfigPath is where the gates are declared unless --config says
// otherwise.
const DefaultConfigPath = ".github/gonogo.yml"

// DefaultTimeout bounds a gate that declares no timeout.
const DefaultTimeout = 5 * time.Minute

// DefaultReadyTimeout bounds a service's readiness probe.
const DefaultReadyTimeout = 30 * time.Second

// The size limits of a configuration. A release's gates number in the tens;
// the limits leave ample room and bound the time and memory validation may
// take on a file a pull request controls.
const (
	// MaxConfigBytes bounds the configuration file.
	MaxConfigBytes = 1 << 20
	// MaxGates bounds the gates it declares.
	MaxGates = 1000
)

// limits are the bounds parseConfig applies; tests lift them to measure
// how validation scales.
type limits struct{ bytes, gates int }

var defaultLimits = limits{bytes: MaxConfigBytes, gates: MaxGates}

// Config is a validated gonogo.yml.
type Config struct {
	File     string
	Version  int
	Profile  string
	Env      map[string]string
	Services []Service
	// Gates in declaration order; results keep that order.
	Gates []*Gate
	// ReferenceBranches (reference.branches) are the patterns of the
	// branches whose push runs produce reference baselines, besides the
	// default branch, which always does.
	ReferenceBranches []string
	// Risks is the residual-risk watchlist, in declaration order.
	Risks []Risk
	// byID indexes Gates, so that lookups by id (duplicates, needs,
	// cycles, selection) keep validation linear in the number of gates.
	byID map[string]*Gate
}

// Service is a process started before the gates and stopped after them.
type Service struct {
	Name         string
	Run          string
	Ready        string
	ReadyTimeout time.Duration
	Env          map[string]string
	Line         int
}

// Gate is one declared gate.
type Gate struct {
	ID        string
	Title     string
	Mandatory bool
	Manual    bool
	Timeout   time.Duration
	Env       map[string]string
	Needs     []string
	Evidence  string
	// Reason is why a manual gate needs a person (details.reason of its
	// follow-up); "" takes ManualReason's default.
	Reason string
	// Kind is the YAML key of the gate's check ("run", "http", …); empty
	// only for a manual gate without an automated check.
	Kind  string
	Check Check
	Line  int
}

// Gate returns the gate with the given id, or nil.
func (c *Config) Gate(id string) *Gate {
	if c.byID != nil {
		return c.byID[id]
	}
	for _, g := range c.Gates {
		if g.ID == id {
			return g
		}
	}
	return nil
}

type configYAML struct {
	Version  int               `yaml:"version"`
	Profile  string            `yaml:"profile"`
	Env      map[string]string `yaml:"env"`
	Services []serviceYAML     `yaml:"services"`
	Gates    []yaml.Node       `yaml:"gates"`
	// Reference is the top-level reference: {branches: […]}.
	Reference referenceYAML `yaml:"reference"`
	Risks     []Risk        `yaml:"risks"`
}

type serviceYAML struct {
	Name         string            `yaml:"name"`
	Run          string            `yaml:"run"`
	Ready        string            `yaml:"ready"`
	ReadyTimeout Duration          `yaml:"ready_timeout"`
	Env          map[string]string `yaml:"env"`
}

type gateYAML struct {
	ID        string            `yaml:"id"`
	Title     string            `yaml:"title"`
	Mandatory *bool             `yaml:"mandatory"`
	Manual    bool              `yaml:"manual"`
	Timeout   Duration          `yaml:"timeout"`
	Env       map[string]string `yaml:"env"`
	Needs     []string          `yaml:"needs"`
	Evidence  string            `yaml:"evidence"`
	Reason    string            `yaml:"reason"`
	// Previous compares a figure of the gate's details with an earlier
	// run's (previous.go); decoded once the check is known.
	Previous yaml.Node `yaml:"previous"`
}

var (
	idPattern  = regexp.MustCompile(`^[a-z0-9_]+$`)
	envPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	commonKeys = keysOf(gateYAML{})
)

// LoadConfig reads and validates a configuration file. A file over
// MaxConfigBytes is refused unread past the limit; ctx stops validation
// (the error is then ctx's, for errors.Is).
func LoadConfig(ctx context.Context, path string) (*Config, error) {
	return loadConfig(ctx, path, defaultLimits)
}

func loadConfig(ctx context.Context, path string, lim limits) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	// One byte past the limit tells an oversized file from one that fits,
	// without reading a huge (or endless) file whole.
	data, err := io.ReadAll(io.LimitReader(f, int64(lim.bytes)+1))
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return parseConfig(ctx, path, data, lim)
}

// ParseConfig validates a configuration; name is used in error messages.
func ParseConfig(name string, data []byte) (*Config, error) {
	return parseConfig(context.Background(), name, data, defaultLimits)
}

// parseConfig validates data in time linear in its size: every lookup by id
// goes through Config.byID. ctx is checked between phases and between gates.
func parseConfig(ctx context.Context, name string, data []byte, lim limits) (*Config, error) {
	if len(data) > lim.bytes {
		return nil, &ConfigError{File: name, Msg: fmt.Sprintf("configuration over the size limit of %s: declare fewer or shorter gates", sizeText(lim.bytes))}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d := newDecoder(name)
	root, err := d.Document(data)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if root == nil {
		return nil, &ConfigError{File: name, Msg: "empty configuration: declare version: 1 and gates"}
	}
	// Counted before the gates are decoded, so that an oversized list costs
	// no more than its parse.
	for i := 0; root.Kind == yaml.MappingNode && i+1 < len(root.Content); i += 2 {
		if k, v := root.Content[i], root.Content[i+1]; k.Value == "gates" && len(v.Content) > lim.gates {
			return nil, d.Errorf(k, "%d gates declared, over the limit of %d", len(v.Content), lim.gates)
		}
	}
	var raw configYAML
	if err := d.Decode(root, &raw); err != nil {
		return nil, err
	}
	if raw.Version != 1 {
		return nil, d.Errorf(valueNode(root, "version", root), "version must be 1, not %d", raw.Version)
	}
	cfg := &Config{File: name, Version: raw.Version, Profile: raw.Profile, Env: raw.Env}
	if err := d.checkEnv(valueNode(root, "env", root), raw.Env); err != nil {
		return nil, err
	}
	if err := d.services(cfg, raw.Services, valueNode(root, "services", root)); err != nil {
		return nil, err
	}
	branches, err := d.referenceBranches(root, raw.Reference)
	if err != nil {
		return nil, err
	}
	cfg.ReferenceBranches = branches
	if len(raw.Gates) == 0 {
		return nil, d.Errorf(root, "no gates declared")
	}
	cfg.byID = make(map[string]*Gate, len(raw.Gates))
	for i := range raw.Gates {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		g, err := d.gate(&raw.Gates[i])
		if err != nil {
			return nil, err
		}
		if cfg.byID[g.ID] != nil {
			return nil, d.Errorf(&raw.Gates[i], "gate id %q is declared twice", g.ID)
		}
		cfg.Gates = append(cfg.Gates, g)
		cfg.byID[g.ID] = g
	}
	for _, g := range cfg.Gates {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, n := range g.Needs {
			if cfg.Gate(n) == nil {
				return nil, &ConfigError{File: name, Line: g.Line, Msg: fmt.Sprintf("gate %s needs unknown gate %q", g.ID, n)}
			}
			if n == g.ID {
				return nil, &ConfigError{File: name, Line: g.Line, Msg: fmt.Sprintf("gate %s needs itself", g.ID)}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := d.risks(cfg, raw.Risks, valueNode(root, "risks", root)); err != nil {
		return nil, err
	}
	if cycle := findCycle(cfg); cycle != nil {
		g := cfg.Gate(cycle[0])
		return nil, &ConfigError{File: name, Line: g.Line, Msg: "needs form a cycle: " + strings.Join(cycle, " → ")}
	}
	return cfg, nil
}

// sizeText renders a byte limit for a message: "1 MiB (1048576 bytes)".
func sizeText(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB (%d bytes)", n>>20, n)
	}
	return fmt.Sprintf("%d bytes", n)
}

func (d *Decoder) services(cfg *Config, raw []serviceYAML, node *yaml.Node) error {
	names := make(map[string]bool, len(raw))
	for i, s := range raw {
		n := node
		if node != nil && i < len(node.Content) {
			n = node.Content[i]
		}
		switch {
		case !idPattern.MatchString(s.Name):
			return d.Errorf(n, "service name %q must match [a-z0-9_]+", s.Name)
		case strings.TrimSpace(s.Run) == "":
			return d.Errorf(n, "service %s: run is required", s.Name)
		case s.Ready != "" && !strings.HasPrefix(s.Ready, "http://") && !strings.HasPrefix(s.Ready, "https://"):
			return d.Errorf(n, "service %s: ready must be an http(s) URL", s.Name)
		}
		if err := d.checkEnv(n, s.Env); err != nil {
			return err
		}
		if names[s.Name] {
			return d.Errorf(n, "service %q is declared twice", s.Name)
		}
		names[s.Name] = true
		rt := s.ReadyTimeout.Std()
		if rt == 0 {
			rt = DefaultReadyTimeout
		}
		cfg.Services = append(cfg.Services, Service{Name: s.Name, Run: s.Run, Ready: s.Ready, ReadyTimeout: rt, Env: s.Env, Line: n.Line})
	}
	return nil
}

func (d *Decoder) checkEnv(node *yaml.Node, env map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(env)) {
		if !envPattern.MatchString(k) {
			return d.Errorf(node, "env name %q is not a valid variable name", k)
		}
	}
	return nil
}

// gate splits a gate mapping into the common keys and the kind's keys.
func (d *Decoder) gate(node *yaml.Node) (*Gate, error) {
	if node.Kind != yaml.MappingNode {
		return nil, d.Errorf(node, "a gate must be a mapping with id and one kind (%s)", strings.Join(KindKeys(), ", "))
	}
	common := &yaml.Node{Kind: yaml.MappingNode, Line: node.Line, Column: node.Column}
	kindNodes := map[string]*yaml.Node{}
	var kindKeyNodes []*yaml.Node
	var checks *yaml.Node
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], node.Content[i+1]
		switch {
		case slices.Contains(commonKeys, k.Value):
			common.Content = append(common.Content, k, v)
		case k.Value == ChecksKind:
			checks = v
		case isKind(k.Value), isSibling(k.Value):
			kindNodes[k.Value] = v
			kindKeyNodes = append(kindKeyNodes, k)
		default:
			known := append(slices.Clone(commonKeys), KindKeys()...)
			known = append(known, ChecksKind)
			slices.Sort(known)
			return nil, d.Errorf(k, "unknown key %q (expected one of: %s)", k.Value, strings.Join(known, ", "))
		}
	}
	var raw gateYAML
	if err := d.Decode(common, &raw); err != nil {
		return nil, err
	}
	g := &Gate{ID: raw.ID, Title: raw.Title, Mandatory: true, Manual: raw.Manual, Timeout: raw.Timeout.Std(),
		Env: raw.Env, Needs: raw.Needs, Evidence: raw.Evidence, Reason: raw.Reason, Line: node.Line}
	if raw.Mandatory != nil {
		g.Mandatory = *raw.Mandatory
	}
	if !idPattern.MatchString(g.ID) {
		return nil, d.Errorf(node, "gate id %q must match [a-z0-9_]+", g.ID)
	}
	if g.Title == "" {
		g.Title = g.ID
	}
	if g.Reason != "" && !g.Manual {
		return nil, d.Errorf(valueNode(node, "reason", node), "gate %s: reason is for manual gates (manual: true)", g.ID)
	}
	if g.Timeout == 0 {
		g.Timeout = DefaultTimeout
	}
	if err := d.checkEnv(valueNode(node, "env", node), g.Env); err != nil {
		return nil, err
	}
	if checks != nil {
		if len(kindKeyNodes) > 0 {
			return nil, d.Errorf(kindKeyNodes[0], "gate %s declares checks and the key %q; put every kind inside checks, or declare one kind without checks", g.ID, kindKeyNodes[0].Value)
		}
		check, err := d.decodeChecks(g.ID, checks)
		if err != nil {
			return nil, err
		}
		g.Kind, g.Check = ChecksKind, check
	} else {
		kindKey, check, err := d.kindCheck("gate "+g.ID, "gate", node, kindKeyNodes, kindNodes, g.Manual)
		if err != nil {
			return nil, err
		}
		g.Kind, g.Check = kindKey, check
	}
	if raw.Previous.Kind != 0 {
		check, err := decodePrevious(d, &raw.Previous, g.ID, g.Check)
		if err != nil {
			return nil, err
		}
		g.Check = check
	}
	return g, nil
}

// kindCheck decodes the one kind among keys (the kind and sibling keys of a
// gate or of one of its checks, with their values) and returns its key and
// check; owner names the place in messages, noun what it is ("gate",
// "check"). Without a kind it returns no
// check when none is allowed (a manual gate), else an error.
func (d *Decoder) kindCheck(owner, noun string, at *yaml.Node, keys []*yaml.Node, values map[string]*yaml.Node, noneAllowed bool) (string, Check, error) {
	var declared []string
	var declaredNodes []*yaml.Node
	for _, kn := range keys {
		if isKind(kn.Value) {
			declared = append(declared, kn.Value)
			declaredNodes = append(declaredNodes, kn)
		}
	}
	switch {
	case len(declared) > 1:
		return "", nil, d.Errorf(declaredNodes[1], "%s declares two kinds (%s); declare exactly one, or list them under checks", owner, strings.Join(declared, ", "))
	case len(declared) == 0 && !noneAllowed:
		return "", nil, d.Errorf(at, "%s declares no kind; add one of: %s", owner, strings.Join(KindKeys(), ", "))
	}
	siblings := map[string]*yaml.Node{}
	var k kind
	var kindKey string
	if len(declared) == 1 {
		kindKey = declared[0]
		k = kinds[kindKey]
	}
	for _, kn := range keys {
		if isKind(kn.Value) {
			continue
		}
		if !slices.Contains(k.siblings, kn.Value) {
			return "", nil, d.Errorf(kn, "key %q is not valid for a %s %s", kn.Value, cmp.Or(kindKey, "manual"), noun)
		}
		siblings[kn.Value] = values[kn.Value]
	}
	if k.decode == nil {
		return kindKey, nil, nil
	}
	check, err := k.decode(d, values[kindKey], siblings)
	if err != nil {
		return "", nil, err
	}
	return kindKey, check, nil
}

func isKind(key string) bool {
	_, ok := kinds[key]
	return ok
}

func isSibling(key string) bool {
	for _, k := range kinds {
		if slices.Contains(k.siblings, key) {
			return true
		}
	}
	return false
}

// valueNode returns the value of key in mapping m, or def.
func valueNode(m *yaml.Node, key string, def *yaml.Node) *yaml.Node {
	if m != nil && m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
	}
	return def
}

func keysOf(v any) []string {
	var out []string
	t := reflectTypeOf(v)
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		out = append(out, name)
	}
	return out
}

// findCycle returns the ids of a needs cycle, or nil.
func findCycle(cfg *Config) []string {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var visit func(id string) []string
	visit = func(id string) []string {
		color[id] = grey
		stack = append(stack, id)
		for _, n := range cfg.Gate(id).Needs {
			switch color[n] {
			case grey:
				i := slices.Index(stack, n)
				return append(slices.Clone(stack[i:]), n)
			case white:
				if c := visit(n); c != nil {
					return c
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
		return nil
	}
	for _, g := range cfg.Gates {
		if color[g.ID] == white {
			if c := visit(g.ID); c != nil {
				return c
			}
		}
	}
	return nil
}

// ManualReason is details.reason of a manual follow-up: the configured
// reason, or one derived from the gate, so that a 🔧 never comes without
// one.
func (g *Gate) ManualReason() string {
	if g.Reason != "" {
		return g.Reason
	}
	if g.Check == nil {
		return g.Title + ": no automated check; a person validates it"
	}
	return g.Title + ": the automated check passed; a person validates the rest"
}
