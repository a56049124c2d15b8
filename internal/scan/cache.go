package scan

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unique"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/checker"
	"github.com/org/gonogo-action/internal/scratch"
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

	stats   CacheStats
	header  cacheHeader
	cursors []*cacheCursor
	out     *cacheWriter
	done    bool
}

// CacheSource is an earlier cache and where it came from: its content in
// Data, or in Content (Size bytes; a file), which is then read twice, once
// to verify it whole and once as the run goes, and never held whole.
type CacheSource struct {
	Name    string
	Data    []byte
	Content io.ReaderAt
	Size    int64
}

func (s CacheSource) reader() *io.SectionReader {
	if s.Content == nil {
		return io.NewSectionReader(bytes.NewReader(s.Data), 0, int64(len(s.Data)))
	}
	return io.NewSectionReader(s.Content, 0, s.Size)
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

// cacheEntry is a cacheLine as a run uses it: the digest as bytes.
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

// toolID is the tool's version as a cache records it: the release stamp,
// or, for a build that carries none ("dev": a go build, and a go install
// …@v1.2.3 too, which applies no -ldflags), "dev+" and a digest of the
// running executable. Two unstamped builds may judge the same checker
// output differently (a later one fails closed where an earlier one
// passed), so a verdict one of them recorded is not the other's. An
// executable that cannot be read gets a digest of its own, never equal to
// another run's.
var toolID = sync.OnceValue(func() string {
	if version.Version != "dev" {
		return version.Version
	}
	if exe, err := os.Executable(); err == nil {
		if sum, err := hashFile(exe); err == nil {
			return "dev+" + hex.EncodeToString(sum[:8])
		}
	}
	var nonce [8]byte
	rand.Read(nonce[:])
	return "dev+unreadable-" + hex.EncodeToString(nonce[:])
})

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
	return cacheHeader{Format: cacheFormat, Version: cacheVersion, Tool: toolID(),
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

// begin computes the identity, verifies the sources that match it, and
// starts the cache this run writes.
func (c *Cache) begin(in identityInput) error {
	c.header = c.identity(in)
	c.cursors, c.stats, c.done = nil, CacheStats{}, false
	for i, src := range c.Sources {
		cur, err := c.verify(src)
		if err != nil {
			c.log(fmt.Sprintf("cache %s ignored: %v", src.Name, err))
			continue
		}
		// Read from here on as the run goes; a source in memory is no
		// longer needed once read (a cache of many files is large).
		c.Sources[i].Data = nil
		c.stats.Sources = append(c.stats.Sources, src.Name)
		c.cursors = append(c.cursors, cur)
	}
	out, err := newCacheWriter(c.header)
	c.out = out
	return err
}

func (c *Cache) log(s string) {
	if c.Log != nil {
		c.Log(s)
	}
}

// find returns the entry the sources hold for the file reported as rel,
// the first source's when several do. Calls come in path order.
func (c *Cache) find(rel string) *cacheEntry {
	var found *cacheEntry
	for _, cur := range c.cursors {
		e, err := cur.seek(rel)
		if err != nil {
			// Changed since it was verified: none of it from here on.
			c.log(fmt.Sprintf("cache %s: %v; its remaining files are checked again", cur.name, err))
			cur.stop()
		}
		if found == nil && e != nil {
			found = e
		}
	}
	return found
}

// lookups gives each target of seq, which comes in path order, what the
// sources hold for it.
func (c *Cache) lookups(seq iter.Seq2[target, error]) iter.Seq2[target, error] {
	return func(yield func(target, error) bool) {
		for tg, err := range seq {
			if err == nil {
				tg.cached = c.find(tg.Rel)
			}
			if !yield(tg, err) {
				return
			}
		}
	}
}

// reusable reports whether e, the entry found for tg, holds a verdict on
// tg's content as it hashes to sum.
func reusable(e *cacheEntry, tg target, sum [sha256.Size]byte) bool {
	return e != nil && e.Arg == tg.Arg && e.Sum == sum
}

// record keeps tg's verdict for the next run. Calls come in path order.
func (c *Cache) record(tg target, sum [32]byte, s checker.Status) error {
	// A name that is not UTF-8 cannot be written as JSON as it is: two
	// such names could come back as one path listed twice, and a cache
	// that lists one twice is ignored whole.
	if !cacheable(s) || !utf8.ValidString(tg.Rel) || !utf8.ValidString(tg.Arg) {
		return nil
	}
	return c.out.add(cacheLine{Path: tg.Rel, Arg: tg.Arg, SHA256: hex.EncodeToString(sum[:]), CodeName: s.CodeName,
		Line: s.Line, Message: s.Message, Phase: s.Phase, Evidence: s.Evidence})
}

// finish ends the cache this run wrote; Encode or WriteTo may follow.
func (c *Cache) finish() error {
	for _, cur := range c.cursors {
		cur.stop()
	}
	c.cursors = nil
	if err := c.out.end(); err != nil {
		return err
	}
	c.done = true
	return nil
}

// WriteTo writes the cache a finished Build leaves: the files of this
// run only (files removed since are dropped), sorted by path.
func (c *Cache) WriteTo(w io.Writer) (int64, error) {
	if !c.done {
		return 0, fmt.Errorf("cache: no finished run to record")
	}
	return c.out.copyTo(w)
}

// Encode returns what WriteTo writes.
func (c *Cache) Encode() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Close releases the file the run's cache is kept in.
func (c *Cache) Close() error {
	if c == nil || c.out == nil {
		return nil
	}
	return c.out.close()
}

// maxCacheLine bounds a line of a cache: a path, an argument and a
// message (checker.MaxMessage) are far shorter.
const maxCacheLine = 1 << 20

// verify reads src whole and returns a cursor on its files when all of it
// can be trusted for this run's identity; the error says why not. The
// checks come in the order a reader needs them: the header, the end line
// and the checksum, the identity, then each line.
func (c *Cache) verify(src CacheSource) (*cacheCursor, error) {
	r := bufio.NewReaderSize(src.reader(), 64<<10)
	first, err := readLine(r)
	var h cacheHeader
	if err != nil || json.Unmarshal(first, &h) != nil || h.Format != cacheFormat {
		return nil, fmt.Errorf("not a parse-baseline cache (its first line is no %s header)", cacheFormat)
	}
	switch {
	case h.Version != cacheVersion:
		return nil, fmt.Errorf("cache format version %d, this tool reads %d", h.Version, cacheVersion)
	case h.Tool != toolID():
		return nil, fmt.Errorf("written by version %q of the tool, this is %q", h.Tool, toolID())
	}
	sum := sha256.New()
	sum.Write(first)
	// Each line is known to be a file's only once the next one is read:
	// the last is the end line, outside the checksum.
	var held []byte
	var lineErr error
	files, last := 0, ""
	for {
		l, err := readLine(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if held != nil {
			sum.Write(held)
			files++
			if lineErr == nil {
				var path string
				path, _, lineErr = parseCacheLine(held)
				switch {
				case lineErr != nil:
				case files > 1 && path == last:
					lineErr = fmt.Errorf("%s listed twice", path)
				case files > 1 && path < last:
					lineErr = fmt.Errorf("%s listed after %s: the files are not in path order", path, last)
				}
				if lineErr != nil {
					lineErr = fmt.Errorf("line %d: %v", files+1, lineErr)
				}
				last = path
			}
		}
		held = l
	}
	var tr cacheTrailer
	if held == nil || held[len(held)-1] != '\n' || strictJSON(held, &tr) != nil || !tr.End {
		return nil, fmt.Errorf("truncated: no end line")
	}
	if hex.EncodeToString(sum.Sum(nil)) != tr.SHA256 {
		return nil, fmt.Errorf("damaged: its checksum does not match its content")
	}
	if h.Identity != c.header.Identity {
		return nil, fmt.Errorf("the checker changed (%s): every file is checked again", changedParts(h.Parts, c.header.Parts))
	}
	if files != tr.Files {
		return nil, fmt.Errorf("damaged: %d files, its end line says %d", files, tr.Files)
	}
	if lineErr != nil {
		return nil, lineErr
	}
	cur := &cacheCursor{name: src.Name, r: bufio.NewReaderSize(src.reader(), 64<<10), left: files}
	if _, err := readLine(cur.r); err != nil { // the header
		return nil, err
	}
	return cur, nil
}

// readLine reads one line, its newline kept (none on a last line that
// lacks it); io.EOF when there is none.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		part, err := r.ReadSlice('\n')
		line = append(line, part...)
		if len(line) > maxCacheLine {
			return nil, fmt.Errorf("damaged: a line of more than %d bytes", maxCacheLine)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(line) > 0:
			return line, nil
		}
		return line, err
	}
}

// parseCacheLine reads a file's line strictly.
func parseCacheLine(l []byte) (string, cacheEntry, error) {
	var cl cacheLine
	if err := strictJSON(l, &cl); err != nil {
		return "", cacheEntry{}, err
	}
	e, err := cl.entry()
	return cl.Path, e, err
}

// cacheCursor reads a verified source's files in path order.
type cacheCursor struct {
	name string
	r    *bufio.Reader
	left int // lines not read yet
	// cur is the line read last, at path; none once ok is false.
	path string
	cur  cacheEntry
	ok   bool
}

// seek returns the entry for rel, reading on past the paths before it.
// An error means the source no longer reads as it was verified.
func (k *cacheCursor) seek(rel string) (*cacheEntry, error) {
	for (!k.ok || k.path < rel) && k.left > 0 {
		l, err := readLine(k.r)
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
		k.left--
		path, e, err := parseCacheLine(l)
		if err != nil || (k.ok && path <= k.path) {
			return nil, fmt.Errorf("changed since it was read")
		}
		k.path, k.cur, k.ok = path, e, true
	}
	if k.ok && k.path == rel {
		e := k.cur // the caller keeps it past the next seek
		return &e, nil
	}
	return nil, nil
}

func (k *cacheCursor) stop() { k.left, k.ok = 0, false }

// cacheWriter writes a run's cache to an unnamed temporary file as the
// verdicts come, in path order, with the running checksum of its end line.
type cacheWriter struct {
	f     *scratch.File
	sum   hash.Hash
	files int
	last  string
	err   error
}

func newCacheWriter(h cacheHeader) (*cacheWriter, error) {
	f, err := scratch.New("gonogo-cache-*")
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	cw := &cacheWriter{f: f, sum: sha256.New()}
	return cw, cw.line(h, true)
}

// line writes v's line, counted in the checksum when summed.
func (cw *cacheWriter) line(v any, summed bool) error {
	if cw.err != nil {
		return cw.err
	}
	data, err := json.Marshal(v)
	if err == nil {
		data = append(data, '\n')
		_, err = cw.f.Write(data)
	}
	if err != nil {
		cw.err = fmt.Errorf("cache: %w", err)
	}
	if summed {
		cw.sum.Write(data)
	}
	return cw.err
}

func (cw *cacheWriter) add(l cacheLine) error {
	if cw.err == nil && cw.files > 0 && l.Path <= cw.last {
		cw.err = fmt.Errorf("cache: %s recorded after %s", l.Path, cw.last)
	}
	if err := cw.line(l, true); err != nil {
		return err
	}
	cw.files++
	cw.last = l.Path
	return nil
}

// end writes the end line, outside the checksum.
func (cw *cacheWriter) end() error {
	return cw.line(cacheTrailer{End: true, Files: cw.files, SHA256: hex.EncodeToString(cw.sum.Sum(nil))}, false)
}

func (cw *cacheWriter) copyTo(w io.Writer) (int64, error) {
	if cw.err != nil {
		return 0, cw.err
	}
	r, err := cw.f.Contents()
	if err != nil {
		return 0, fmt.Errorf("cache: %w", err)
	}
	return io.Copy(w, r)
}

func (cw *cacheWriter) close() error { return cw.f.Close() }

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
	buf := hashBufs.Get().(*[]byte)
	defer hashBufs.Put(buf)
	// As a plain reader: os.File's WriteTo would copy through a buffer
	// of its own, one per file hashed.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, *buf); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// hashBufs are hashFile's read buffers: a run hashes every file, twice
// when it checks it.
var hashBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// workingDir is the checker's working directory (ours), absolute.
func workingDir() string {
	d, err := os.Getwd()
	if err != nil {
		return ""
	}
	return filepath.Clean(d)
}
