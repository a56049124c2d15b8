package compare

import (
	"errors"
	"fmt"
	"slices"

	"github.com/org/gonogo-action/internal/baseline"
)

// Source is one baseline as a comparison reads it: its files one at a
// time in baseline.SortFiles order (the order this project writes), then
// the rest of the document. A *baseline.Reader over such a document is
// one, so two baselines of any size are compared holding a few files of
// each; Files makes one of a baseline in memory.
type Source interface {
	// Next returns the next file, valid until the next call, or nil after
	// the last one.
	Next() (*baseline.File, error)
	// Baseline returns the document's other fields once Next has returned
	// nil.
	Baseline() *baseline.Baseline
}

var _ Source = (*baseline.Reader)(nil)

// ErrUnsorted is a Source whose files are not in baseline.SortFiles order:
// it cannot be joined file by file. Read that baseline whole and Compare.
var ErrUnsorted = errors.New("files are not sorted by path, code and line")

// ErrShard is a baseline of one shard of a run (--shard K/N): it holds
// part of the files, so a comparison would take the others for fixed.
var ErrShard = errors.New("the baseline is shard")

// ErrSample is two baselines of different selections: a sample (--limit)
// and every file, or samples of different sizes. The files one checked and
// the other did not would look fixed or new.
var ErrSample = errors.New("the baselines check different files")

func sampleOf(limit int) string {
	if limit == 0 {
		return "every file"
	}
	return fmt.Sprintf("a sample of %d files (--limit %d)", limit, limit)
}

// All lists every file: Stream's limit for a full report.
const All = -1

// Files is a Source over b, its files sorted first when they are not
// (on a copy: b is not changed).
func Files(b *baseline.Baseline) Source {
	files := b.Files
	if !slices.IsSortedFunc(files, baseline.CompareFiles) {
		files = slices.Clone(files)
		baseline.SortFiles(files)
	}
	return &memSource{b: b, files: files}
}

type memSource struct {
	b     *baseline.Baseline
	files []baseline.File
	i     int
}

func (m *memSource) Next() (*baseline.File, error) {
	if m.i == len(m.files) {
		return nil, nil
	}
	m.i++
	return &m.files[m.i-1], nil
}

func (m *memSource) Baseline() *baseline.Baseline { return m.b }

// Stream judges next against ref under p as Compare does, reading each
// baseline once, file by file, and listing at most limit files of each
// list (All for every one); the totals count them all. It walks both lists
// in path order instead of hashing 2×200,000 paths, and keeps of each file
// only what the report needs: its path where the other baseline's passed
// list must say what it was there, and the files it lists. An error is a
// Source's, or ErrUnsorted (wrapped, naming the side: ref or new).
func Stream(ref, next Source, p Policy, limit int) (Result, error) {
	return stream(ref, next, p, limit, nil)
}

// List names one of a report's lists of files.
type List int

// The lists, in the order the report's JSON writes them.
const (
	NewFailures List = iota
	Fixed
	NewSuppressed
)

// Overflow takes the files of a list past those a Result holds, in list
// order, as StreamFull comes to them; an error from it ends the
// comparison with that error.
type Overflow func(l List, f baseline.File) error

// StreamFull is Stream for a full report that may be too large to hold:
// each list holds its first head files (head ≥ 1) and hands every further
// one to rest, for a caller that writes them where the list goes. The
// Result reads as a full one — no ListLimit, not truncated — since every
// file is listed, in the Result or through rest; the totals say how many.
func StreamFull(ref, next Source, p Policy, head int, rest Overflow) (Result, error) {
	if head < 1 || rest == nil {
		return Result{}, fmt.Errorf("compare: StreamFull wants a head of 1 or more (%d) and an Overflow", head)
	}
	return stream(ref, next, p, head, rest)
}

func stream(ref, next Source, p Policy, limit int, rest Overflow) (Result, error) {
	j := &join{ref: side{name: "ref", src: ref}, next: side{name: "new", src: next}, limit: limit, full: rest != nil,
		added:    list{id: NewFailures, limit: limit, rest: rest, files: []baseline.File{}},
		fixed:    list{id: Fixed, limit: limit, rest: rest, files: []baseline.File{}},
		spread:   list{id: NewSuppressed, limit: limit, rest: rest},
		newGated: map[string]int{}, includeSuppressed: p.IncludeSuppressed}
	if err := j.run(); err != nil {
		return Result{}, err
	}
	for _, s := range []side{j.ref, j.next} {
		if s.doc.Shard != "" {
			return Result{}, fmt.Errorf("%s: %w %s of a run; merge the shards first (parse-baseline merge)", s.name, ErrShard, s.doc.Shard)
		}
	}
	if r, n := j.ref.doc.Limit, j.next.doc.Limit; r != n {
		return Result{}, fmt.Errorf("%w: ref is %s, new %s; compare baselines of the same selection", ErrSample, sampleOf(r), sampleOf(n))
	}
	return judge(j, p), nil
}

// side is one baseline being read: the file ahead, the files counted per
// code as they went by, and, at the end, the document.
type side struct {
	name string
	src  Source
	head baseline.File
	more bool
	// listed and suppressed count files per code, all and those marked
	// suppressed.
	listed, suppressed map[string]int
	doc                *baseline.Baseline
}

// advance reads the next file into head, checking the order.
func (s *side) advance() error {
	f, err := s.src.Next()
	if err != nil {
		return err // the Source names its baseline
	}
	if f == nil {
		s.more = false
		s.doc = s.src.Baseline()
		return nil
	}
	if s.more && baseline.CompareFiles(s.head, *f) > 0 {
		return fmt.Errorf("%s: %w (%s after %s)", s.name, ErrUnsorted, f.Path, s.head.Path)
	}
	s.head, s.more = *f, true
	s.listed[f.CodeName]++
	if f.Suppressed {
		s.suppressed[f.CodeName]++
	}
	return nil
}

// group appends to g the files ahead that have path.
func (s *side) group(g []baseline.File, path string) ([]baseline.File, error) {
	for s.more && s.head.Path == path {
		g = append(g, s.head)
		if err := s.advance(); err != nil {
			return g, err
		}
	}
	return g, nil
}

// lists reports whether the baseline lists every file it counts with
// code c, so that files can be matched instead of counts.
func (s *side) lists(c string) bool { return s.listed[c] >= s.doc.ByCode[c] }

// list is the first limit files of a list, and how many there are; rest,
// when set, takes the others.
type list struct {
	id    List
	files []baseline.File
	total int
	limit int
	rest  Overflow
}

func (l *list) add(f baseline.File) error {
	l.total++
	switch {
	case l.limit == All || len(l.files) < l.limit:
		l.files = append(l.files, f)
	case l.rest != nil:
		return l.rest(l.id, f)
	}
	return nil
}

func (l *list) truncated() bool { return l.rest == nil && len(l.files) < l.total }

// oneSided is a path only one baseline lists: what it was in the other
// is known once that one's passed list has been read.
type oneSided struct {
	path, code string
	inRef      bool
}

type join struct {
	ref, next         side
	limit             int
	full              bool // every file listed, some through an Overflow
	added, fixed      list
	spread            list
	newGated          map[string]int // new failures per code, suppressed ones only when gated
	includeSuppressed bool
	changed           map[string]int // transitions between codes both list
	pending           []oneSided
}

func (j *join) run() error {
	j.changed = map[string]int{}
	for _, s := range []*side{&j.ref, &j.next} {
		s.listed, s.suppressed, s.more = map[string]int{}, map[string]int{}, false
		if err := s.advance(); err != nil {
			return err
		}
	}
	var rg, ng []baseline.File
	for j.ref.more || j.next.more {
		var path string
		switch {
		case !j.ref.more:
			path = j.next.head.Path
		case !j.next.more:
			path = j.ref.head.Path
		default:
			path = min(j.ref.head.Path, j.next.head.Path)
		}
		var err error
		if rg, err = j.ref.group(rg[:0], path); err != nil {
			return err
		}
		if ng, err = j.next.group(ng[:0], path); err != nil {
			return err
		}
		if err := j.compare(path, rg, ng); err != nil {
			return err
		}
	}
	return nil
}

// compare matches one path's files by code; an error is an Overflow's.
func (j *join) compare(path string, rg, ng []baseline.File) error {
	for _, f := range ng {
		if missing(f, rg) {
			if err := j.added.add(f); err != nil {
				return err
			}
			if j.includeSuppressed || !f.Suppressed {
				j.newGated[f.CodeName]++
			}
		}
		if f.UnscopedSuppression && !failedWith(rg, f.Fingerprint) {
			if err := j.spread.add(f); err != nil {
				return err
			}
		}
	}
	for _, f := range rg {
		if missing(f, ng) {
			if err := j.fixed.add(f); err != nil {
				return err
			}
		}
	}
	switch {
	case len(rg) == 0:
		j.pending = append(j.pending, oneSided{path: path, code: ng[0].CodeName})
	case len(ng) == 0:
		j.pending = append(j.pending, oneSided{path: path, code: rg[0].CodeName, inRef: true})
	case rg[0].CodeName != ng[0].CodeName:
		j.changed[rg[0].CodeName+"→"+ng[0].CodeName]++
	}
	return nil
}

// missing reports whether f fails with a code that other lacks.
func missing(f baseline.File, other []baseline.File) bool {
	return f.Failing() && !slices.ContainsFunc(other, func(o baseline.File) bool { return o.CodeName == f.CodeName })
}

// failedWith reports whether one of a path's reference files has the
// fingerprint; one written without fingerprints has them computed by the
// specification's formula.
func failedWith(ref []baseline.File, fp string) bool {
	return slices.ContainsFunc(ref, func(r baseline.File) bool {
		got := r.Fingerprint
		if got == "" && r.Failing() {
			got = baseline.Fingerprint(r.CodeName, r.Line, r.Message)
		}
		return got == fp
	})
}

// transitions counts files per "FROM→TO" change of code, the paths only
// one baseline lists resolved against the other's passed list.
func (j *join) transitions() map[string]int {
	out := j.changed
	for _, o := range j.pending {
		from, to := o.code, o.code
		if o.inRef {
			to = absent(j.next.doc, o.path, Removed)
		} else {
			from = absent(j.ref.doc, o.path, New)
		}
		if from != to {
			out[from+"→"+to]++
		}
	}
	return out
}
