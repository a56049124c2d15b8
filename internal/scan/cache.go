package scan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unique"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/checker"
	"github.com/org/gonogo-action/internal/version"
)

// The cache file (docs/parse-baseline.md#cache) is JSON lines: a header
// that names the format, the tool's version and the checker identity, one
// line per file (its path, the path handed to the checker, the SHA-256 of
// its content and its verdict), and a trailer with the count of files and
// the SHA-256 of every byte before it, so a truncated or damaged file is
// known as such and never half-trusted.
const (
	cacheFormat  = "gonogo-parse-cache"
	cacheVersion = 1
	// DefaultCacheFile is the cache's conventional name; a walk never
	// checks it (SkipFiles).
	DefaultCacheFile = "parse_baseline.cache"
)

// Cache makes a checker run incremental: a file whose content, reported
// path and checker identity are those of an entry of a source is not
// checked again, its verdict is reused. The identity is the checker's
// command line, the SHA-256 of the program it resolves to and of every
// argument that names an existing file, the environment it sees (less the
// variables that describe the run, volatileEnv), the timeout, the status
// prefix, the user it runs as, the working directory, this tool's version
// and Key. A change to any of them re-checks every file; a change to a
// file's content re-checks that file.
//
// Only verdicts the checker itself gave on the file's content are kept:
// never a timeout, a file that could not be read, a checker that did not
// start or crashed, a batch that said nothing about a file, or an
// INTERNAL_ERROR. Those are checked again on the next run.
type Cache struct {
	// Key is the user's part of the identity (--cache-key): what the
	// tool cannot see, such as an interpreter's modules.
	Key string
	// Sources are earlier caches, the first preferred when two hold the
	// same file. A source that cannot be trusted whole (damaged,
	// truncated, not a cache, written by another version, for another
	// checker) is ignored, and Log says why; it is never fatal.
	Sources []CacheSource
	// Log receives one line per source ignored (nil: dropped).
	Log func(string)

	stats  CacheStats
	header cacheHeader
	reuse  map[string]cacheEntry
	next   []recorded
	done   bool
}

// recorded is a verdict of this run, for Encode.
type recorded struct {
	path string
	cacheEntry
}

// CacheSource is the content of an earlier cache and where it came from.
type CacheSource struct {
	Name string
	Data []byte
}

// CacheStats says what a run did with its cache.
type CacheStats struct {
	// Rechecked files went to the checker; Reused files took their
	// verdict from a source.
	Rechecked, Reused int
	// Sources names the sources that were usable (and so consulted).
	Sources []string
}

// Stats reports what the run did; zero before Build.
func (c *Cache) Stats() CacheStats { return c.stats }

// cacheHeader is the first line of a cache file.
type cacheHeader struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Tool    string `json:"tool"`
	// Identity is the SHA-256 of Parts' JSON.
	Identity string `json:"identity"`
	// Parts hash each part of the identity apart, so that a run can say
	// which part changed. They hold hashes and names, never an
	// environment value: an artifact is readable by anyone who can read
	// the repository.
	Parts map[string]string `json:"parts"`
}

// cacheLine is one file's line.
type cacheLine struct {
	Path     string           `json:"path"`
	Arg      string           `json:"arg"`
	SHA256   string           `json:"sha256"`
	CodeName string           `json:"code_name"`
	Line     int              `json:"line,omitempty"`
	Message  string           `json:"message,omitempty"`
	Phase    string           `json:"phase,omitempty"`
	Evidence checker.Evidence `json:"evidence"`
}

// cacheEntry is a cacheLine in memory, where a run may hold one for each
// of hundreds of thousands of files: the digest as bytes, the path held
// by the map's key or shared with the run's target.
type cacheEntry struct {
	Arg    string
	Sum    [sha256.Size]byte
	Status checker.Status
}

func (l cacheLine) entry() (cacheEntry, error) {
	e := cacheEntry{Arg: l.Arg, Status: checker.Status{File: l.Arg, CodeName: l.CodeName, Line: l.Line,
		Message: l.Message, Phase: l.Phase, Evidence: l.Evidence}}
	if l.Path == "" || l.Arg == "" {
		return e, fmt.Errorf("want a path and an argument")
	}
	if n, err := hex.Decode(e.Sum[:], []byte(l.SHA256)); err != nil || n != sha256.Size || len(l.SHA256) != 2*sha256.Size || strings.ToLower(l.SHA256) != l.SHA256 {
		return e, fmt.Errorf("sha256 %q: want 64 lower-case hex digits", l.SHA256)
	}
	code, ok := baseline.CodeByName(l.CodeName)
	if !ok {
		return e, fmt.Errorf("code_name %q: not a known code", l.CodeName)
	}
	// One copy of each name, phase and evidence, not one per file.
	e.Status.CodeName = code.Name
	e.Status.Phase = intern(l.Phase)
	e.Status.Evidence = checker.Evidence(intern(string(l.Evidence)))
	if !cacheable(e.Status) {
		return e, fmt.Errorf("a %s verdict from %q evidence is never cached", l.CodeName, l.Evidence)
	}
	// A cached verdict meets what a live one does: a known phase, and a
	// message as checker.Clean leaves it.
	if l.Line < 0 || checker.Clean(l.Message, checker.MaxMessage) != l.Message || !baseline.ValidPhase(l.Phase) {
		return e, fmt.Errorf("line, message or phase out of range")
	}
	return e, nil
}

// cacheTrailer is the last line of a cache file.
type cacheTrailer struct {
	End    bool   `json:"end"`
	Files  int    `json:"files"`
	SHA256 string `json:"sha256"`
}

// cacheable reports whether a verdict depends only on the file's content
// and the checker, and so may be reused.
func cacheable(s checker.Status) bool {
	switch s.Evidence {
	case checker.FromJSON, checker.FromPrefix, checker.FromExit, checker.FromHeuristic, checker.FromFallback:
	default:
		return false
	}
	switch s.CodeName {
	case baseline.InternalError, baseline.TimeoutError, baseline.IOError:
		return false
	}
	return true
}

// volatileEnv names the variables left out of the identity: they describe
// the run, not the check (the commit, the event, the run's number, the
// step's command files, the container's host name), and would otherwise
// make every run's key differ from main's. GitHub reserves the GITHUB_
// prefix for its own variables, and RUNNER_ belongs to the runner.
// https://docs.github.com/en/actions/reference/workflows-and-actions/variables
// GITHUB_WORKSPACE stays: it is where the checkout is.
func volatileEnv(name string) bool {
	switch name {
	case "GITHUB_WORKSPACE":
		return false
	case "HOSTNAME", "_", "SHLVL", "OLDPWD":
		return true
	}
	return strings.HasPrefix(name, "GITHUB_") || strings.HasPrefix(name, "RUNNER_")
}

// identityInput is what the checker identity is computed from.
type identityInput struct {
	// runners are the checkers in the order they run: the checker, then
	// the execute phase's when there is one. Their environment is one.
	runners    []*checker.Runner
	timeout    string
	codePrefix string
	user       string
	dir        string
}

// identity computes the header of a cache for in: the parts and their
// hash. Reading the program or an argument file may fail (a race with a
// deletion): the part then says so, and no earlier cache matches it.
func (c *Cache) identity(in identityInput) cacheHeader {
	sum := func(parts ...string) string {
		h := sha256.New()
		for _, p := range parts {
			fmt.Fprintf(h, "%d:%s;", len(p), p)
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	parts := map[string]string{
		"timeout": in.timeout,
		"user":    sum(in.user),
		"dir":     sum(in.dir),
		"key":     sum(c.Key),
	}
	for i, r := range in.runners {
		prefix := ""
		if i > 0 {
			prefix = "exec_" // the execute phase's checker
		}
		cmd := r.Command
		argv, _ := json.Marshal(cmd.Argv)
		parts[prefix+"command"] = sum(string(argv), cmd.Mode.String(), in.codePrefix)
		parts[prefix+"executable"] = sum(r.Program(), fileDigest(r.Program()))
		var files []string
		for _, a := range cmd.Argv[1:] {
			for _, p := range argFiles(a) {
				files = append(files, p, fileDigest(p))
			}
		}
		parts[prefix+"files"] = sum(files...)
	}
	var env, names []string
	for _, kv := range in.runners[0].Env {
		name, _, _ := strings.Cut(kv, "=")
		if !volatileEnv(name) {
			env = append(env, kv)
			names = append(names, name)
		}
	}
	slices.Sort(env)
	slices.Sort(names)
	parts["env"] = sum(env...)
	parts["env_names"] = strings.Join(names, ",")
	data, _ := json.Marshal(parts) // sorted keys
	id := sha256.Sum256(data)
	return cacheHeader{Format: cacheFormat, Version: cacheVersion, Tool: version.Version,
		Identity: hex.EncodeToString(id[:]), Parts: parts}
}

// argFiles returns the paths an argument names that exist as regular
// files: the argument itself, or the value of --flag=value.
func argFiles(a string) []string {
	if a == checker.FilePlaceholder || a == checker.FilesPlaceholder {
		return nil
	}
	var out []string
	for _, p := range []string{a, afterEq(a)} {
		if p == "" || slices.Contains(out, p) {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			out = append(out, p)
		}
	}
	return out
}

func afterEq(a string) string {
	if !strings.HasPrefix(a, "-") {
		return ""
	}
	_, v, _ := strings.Cut(a, "=")
	return v
}

// fileDigest is the hex SHA-256 of a file's content, or a word that no
// digest equals when it cannot be read.
func fileDigest(p string) string {
	sum, err := hashFile(p)
	if err != nil {
		return "unreadable"
	}
	return hex.EncodeToString(sum[:])
}

// begin computes the identity and loads the sources that match it.
func (c *Cache) begin(in identityInput, files int) {
	c.header = c.identity(in)
	c.reuse = map[string]cacheEntry{}
	c.next, c.stats, c.done = make([]recorded, 0, files), CacheStats{}, false
	for i, src := range c.Sources {
		entries, err := c.parse(src.Data)
		// Decoded, the source is no longer needed: let it go (a cache
		// of many files is large).
		c.Sources[i].Data = nil
		if err != nil {
			c.log(fmt.Sprintf("cache %s ignored: %v", src.Name, err))
			continue
		}
		c.stats.Sources = append(c.stats.Sources, src.Name)
		if len(c.reuse) == 0 {
			c.reuse = entries
			continue
		}
		for p, e := range entries {
			if _, ok := c.reuse[p]; !ok {
				c.reuse[p] = e
			}
		}
	}
}

func (c *Cache) log(s string) {
	if c.Log != nil {
		c.Log(s)
	}
}

// lookup returns the reusable verdict on tg whose content hashes to sum.
func (c *Cache) lookup(tg target, sum [32]byte) (checker.Status, bool) {
	e, ok := c.reuse[tg.Rel]
	if !ok || e.Arg != tg.Arg || e.Sum != sum {
		return checker.Status{}, false
	}
	return e.Status, true
}

// record keeps tg's verdict for the next run.
func (c *Cache) record(tg target, sum [32]byte, s checker.Status) {
	if !cacheable(s) {
		return
	}
	s.File, s.Suppressed = tg.Arg, false
	c.next = append(c.next, recorded{tg.Rel, cacheEntry{Arg: tg.Arg, Sum: sum, Status: s}})
}

// finish drops what the run no longer needs; Encode may follow.
func (c *Cache) finish() {
	c.reuse = nil
	c.done = true
}

// Encode returns the cache a finished Build leaves: the files of this run
// only (files removed since are dropped), sorted by path.
func (c *Cache) Encode() ([]byte, error) {
	if !c.done {
		return nil, fmt.Errorf("cache: no finished run to record")
	}
	slices.SortFunc(c.next, func(a, b recorded) int { return strings.Compare(a.path, b.path) })
	var buf bytes.Buffer
	buf.Grow(len(c.next) * 256) // about a line's size: one allocation, not a doubling series
	line := func(v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode cache: %w", err)
		}
		buf.Write(data)
		buf.WriteByte('\n')
		return nil
	}
	if err := line(c.header); err != nil {
		return nil, err
	}
	for _, r := range c.next {
		s := r.Status
		if err := line(cacheLine{Path: r.path, Arg: r.Arg, SHA256: hex.EncodeToString(r.Sum[:]), CodeName: s.CodeName,
			Line: s.Line, Message: s.Message, Phase: s.Phase, Evidence: s.Evidence}); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256(buf.Bytes())
	if err := line(cacheTrailer{End: true, Files: len(c.next), SHA256: hex.EncodeToString(sum[:])}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// parse reads a cache and returns its entries by path when the whole of
// it can be trusted for this run's identity; the error says why not.
func (c *Cache) parse(data []byte) (map[string]cacheEntry, error) {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	var h cacheHeader
	if err := json.Unmarshal(first, &h); err != nil || h.Format != cacheFormat {
		return nil, fmt.Errorf("not a parse-baseline cache (its first line is no %s header)", cacheFormat)
	}
	switch {
	case h.Version != cacheVersion:
		return nil, fmt.Errorf("cache format version %d, this tool reads %d", h.Version, cacheVersion)
	case h.Tool != version.Version:
		return nil, fmt.Errorf("written by version %q of the tool, this is %q", h.Tool, version.Version)
	}
	if len(data) == 0 || data[len(data)-1] != '\n' {
		return nil, fmt.Errorf("truncated: no end line")
	}
	body := data[:len(data)-1]
	cut := bytes.LastIndexByte(body, '\n')
	if cut < 0 {
		return nil, fmt.Errorf("truncated: no end line")
	}
	var tr cacheTrailer
	if err := strictJSON(body[cut+1:], &tr); err != nil || !tr.End {
		return nil, fmt.Errorf("truncated: no end line")
	}
	sum := sha256.Sum256(data[:cut+1])
	if hex.EncodeToString(sum[:]) != tr.SHA256 {
		return nil, fmt.Errorf("damaged: its checksum does not match its content")
	}
	if h.Identity != c.header.Identity {
		return nil, fmt.Errorf("the checker changed (%s): every file is checked again", changedParts(h.Parts, c.header.Parts))
	}
	body = data[len(first)+1 : cut+1]
	if n := bytes.Count(body, []byte("\n")); n != tr.Files {
		return nil, fmt.Errorf("damaged: %d files, its end line says %d", n, tr.Files)
	}
	entries := make(map[string]cacheEntry, tr.Files)
	for i := 0; len(body) > 0; i++ {
		l, rest, _ := bytes.Cut(body, []byte("\n"))
		body = rest
		var cl cacheLine
		if err := strictJSON(l, &cl); err != nil {
			return nil, fmt.Errorf("line %d: %v", i+2, err)
		}
		e, err := cl.entry()
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+2, err)
		}
		if _, dup := entries[cl.Path]; dup {
			return nil, fmt.Errorf("line %d: %s listed twice", i+2, cl.Path)
		}
		entries[cl.Path] = e
	}
	return entries, nil
}

// strictJSON decodes one JSON value with no unknown field and nothing
// after it.
func strictJSON(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("more than one JSON value")
	}
	return nil
}

// changedParts names the identity parts that differ.
func changedParts(old, cur map[string]string) string {
	var diff []string
	for _, k := range slices.Sorted(maps.Keys(cur)) {
		if k == "env_names" {
			continue
		}
		if old[k] != cur[k] {
			if k == "env" {
				k += envNamesDiff(old["env_names"], cur["env_names"])
			}
			diff = append(diff, k)
		}
	}
	if len(diff) == 0 {
		return "identity"
	}
	return strings.Join(diff, ", ")
}

// envNamesDiff names the variables that came or went, when any did.
func envNamesDiff(old, cur string) string {
	o, c := strings.Split(old, ","), strings.Split(cur, ",")
	var d []string
	for _, n := range c {
		if n != "" && !slices.Contains(o, n) {
			d = append(d, "+"+n)
		}
	}
	for _, n := range o {
		if n != "" && !slices.Contains(c, n) {
			d = append(d, "-"+n)
		}
	}
	if len(d) == 0 {
		return ""
	}
	return " " + strings.Join(d, " ")
}

// intern returns one copy of a short string that repeats across files
// (a phase, an evidence): unique.Make keeps one per value.
func intern(s string) string {
	if s == "" || len(s) > 64 {
		return s
	}
	return unique.Make(s).Value()
}

// hashFile is the SHA-256 of a file's content.
func hashFile(p string) ([32]byte, error) {
	var sum [32]byte
	f, err := os.Open(p)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// workingDir is the checker's working directory (ours), absolute.
func workingDir() string {
	d, err := os.Getwd()
	if err != nil {
		return ""
	}
	return filepath.Clean(d)
}
