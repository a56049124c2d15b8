package scan

import (
	"bufio"
	"bytes"
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"iter"
	"sync"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/checker"
	"github.com/org/gonogo-action/internal/scratch"
)

// A checker run streams: the files are walked once in path order, to
// count them, refuse two reported alike and draw --limit's sample, and
// written to an unnamed temporary file as they come; that list is then
// read back and handed to the checker in units, Jobs at a time, and their
// verdicts put back in path order before they reach the tally, which
// writes the passed list to a spill. Only the units in flight are held,
// never the list of files, so memory grows with the failures listed and
// not with the files checked (docs/parse-baseline.md#memory). Reading the
// list back, not walking again, checks the files that were counted: a
// file that appears during the run (a checker's own output in the tree)
// is not checked, and one that disappears is reported as unreadable.

// plan is what the walk learns before any file is checked.
type plan struct {
	// matched is how many files the run selected, before --limit and
	// --shard; count is how many it checks.
	matched, count int
	// sample is --limit's sample when it keeps fewer than matched (nil:
	// every file).
	sample map[string]bool
	// list holds the walk's targets (writeListed), in its order.
	list *scratch.File
}

// The list holds each target as its Root and the lengths and bytes of
// its Rel, Arg and error message: raw bytes, since a name need not be
// UTF-8 (JSON would change it).
func writeListed(w *scratch.File, tg target) error {
	var msg string
	if tg.Err != nil {
		msg = tg.Err.Error()
	}
	b := binary.AppendUvarint(nil, uint64(tg.Root))
	for _, s := range []string{tg.Rel, tg.Arg, msg} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	_, err := w.Write(b)
	return err
}

// readListed reads one target back; io.EOF at the end of the list.
func readListed(r *bufio.Reader) (target, error) {
	root, err := binary.ReadUvarint(r)
	if err != nil {
		return target{}, err
	}
	var s [3]string
	for i := range s {
		n, err := binary.ReadUvarint(r)
		switch {
		case err == io.EOF:
			return target{}, io.ErrUnexpectedEOF
		case err != nil:
			return target{}, err
		case n > 1<<20:
			return target{}, errors.New("damaged")
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return target{}, err
		}
		s[i] = string(b)
	}
	tg := target{Root: int(root), Rel: s[0], Arg: s[1]}
	if s[2] != "" {
		tg.Err = errors.New(s[2])
	}
	return tg, nil
}

// planRun walks the files once: it counts them, refuses two reported
// alike, draws --limit's sample (the limit smallest SHA-256 of the paths,
// as sample does, holding limit of them) and lists them for the check.
// The caller closes the plan.
func planRun(o Options) (p plan, err error) {
	if p.list, err = scratch.New("gonogo-files-*"); err != nil {
		return p, fmt.Errorf("file list: %w", err)
	}
	defer func() {
		if err != nil {
			p.close()
		}
	}()
	var h sumHeap
	for tg, err := range distinct(walk(o.Paths, o.Include, o.Exclude)) {
		if err != nil {
			return p, err
		}
		p.matched++
		if o.Limit > 0 {
			heap.Push(&h, keyedPath{sha256.Sum256([]byte(tg.Rel)), tg.Rel})
			if h.Len() > o.Limit {
				heap.Pop(&h)
			}
		} else if inShard(tg.Rel, o.ShardK, o.ShardN) {
			p.count++
		} else {
			continue // never checked: not listed
		}
		if err := writeListed(p.list, tg); err != nil {
			return p, fmt.Errorf("file list: %w", err)
		}
	}
	if o.Limit > 0 {
		if p.matched > o.Limit {
			p.sample = make(map[string]bool, h.Len())
		}
		for _, k := range h {
			if p.sample != nil {
				p.sample[k.rel] = true
			}
			if inShard(k.rel, o.ShardK, o.ShardN) {
				p.count++
			}
		}
	}
	return p, nil
}

// close releases the list.
func (p plan) close() {
	if p.list != nil {
		p.list.Close()
	}
}

// targets reads the list back and yields the targets the plan checks.
func (p plan) targets(o Options) iter.Seq2[target, error] {
	return func(yield func(target, error) bool) {
		contents, err := p.list.Contents()
		if err != nil {
			yield(target{}, fmt.Errorf("file list: %w", err))
			return
		}
		r := bufio.NewReaderSize(contents, 64<<10)
		for {
			tg, err := readListed(r)
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(target{}, fmt.Errorf("file list: %w", err))
				return
			}
			if p.sample != nil && !p.sample[tg.Rel] || !inShard(tg.Rel, o.ShardK, o.ShardN) {
				continue
			}
			if !yield(tg, nil) {
				return
			}
		}
	}
}

// keyedPath is a path and its SHA-256; sumHeap keeps the largest on top,
// so that popping it leaves the smallest.
type keyedPath struct {
	sum [sha256.Size]byte
	rel string
}

type sumHeap []keyedPath

func (h sumHeap) Len() int           { return len(h) }
func (h sumHeap) Less(i, j int) bool { return bytes.Compare(h[i].sum[:], h[j].sum[:]) > 0 }
func (h sumHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *sumHeap) Push(x any)        { *h = append(*h, x.(keyedPath)) }
func (h *sumHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// runChecker has the checker judge the files the plan selects, Jobs
// processes at a time; with an execute phase, the files it passes are
// then judged by the execute checker alone. With a cache, a file's final
// verdict (after both phases) is reused or recorded; the identity covers
// both checkers.
func runChecker(ctx context.Context, o Options, t *tally) error {
	r := judge{cache: o.Cache}
	var err error
	if r.parse, err = newRunner(o, o.Checker); err != nil {
		return err
	}
	if o.ExecChecker != "" {
		if r.exec, err = newRunner(o, o.ExecChecker); err != nil {
			return fmt.Errorf("execute phase: %w", err)
		}
		// A second checker that says nothing about a file has not
		// passed it.
		r.exec.RequireStatus = true
	}
	p, err := planRun(o)
	if err != nil {
		return err
	}
	defer p.close()
	t.matched = p.matched
	if c := o.Cache; c != nil {
		runners := []*checker.Runner{r.parse}
		if r.exec != nil {
			runners = append(runners, r.exec)
		}
		if err := c.begin(identityInput{runners: runners, timeout: o.Timeout.String(), codePrefix: o.CodePrefix,
			user: userString(o.User), dir: workingDir()}); err != nil {
			return err
		}
	}
	// A unit is a batch when either checker takes batches: a batch
	// execute checker after a per-file checker still runs once per batch
	// of the files passed, not once per file.
	batch := r.parse.Command.Mode == checker.Batch || r.exec != nil && r.exec.Command.Mode == checker.Batch
	size := unitSize(batch, o.BatchSize, p.count, o.Jobs)
	prog := startProgress(o.Progress, o.ProgressLive, p.count)
	defer prog.stop()
	targets := p.targets(o)
	if c := o.Cache; c != nil {
		targets = c.lookups(targets)
	}
	err = inOrder(ctx, targets, o.Jobs, size, r.units, func(u []target, vs []verdict) error {
		for i, tg := range u {
			v := vs[i]
			t.add(tg.Rel, v.st)
			if c := o.Cache; c != nil {
				if v.reused {
					c.stats.Reused++
				} else {
					c.stats.Rechecked++
				}
				if v.keep {
					if err := c.record(tg, v.sum, v.st); err != nil {
						return err
					}
				}
			}
		}
		prog.add(len(u))
		return t.err
	})
	if err == nil && o.Cache != nil {
		err = o.Cache.finish()
	}
	return err
}

// judge is what a unit of files goes through.
type judge struct {
	parse, exec *checker.Runner
	cache       *Cache
}

// verdict is a file's final status, and what the cache does with it.
type verdict struct {
	st checker.Status
	// reused: from the cache. keep: to be recorded, with sum, the hash
	// of the content the verdict is on.
	reused, keep bool
	sum          [sha256.Size]byte
}

// units judges one unit: reused verdicts first, the rest by the checker,
// then those it passed by the execute checker.
func (r judge) units(ctx context.Context, unit []target) []verdict {
	vs := make([]verdict, len(unit))
	var todo []int
	for i, tg := range unit {
		if r.cache != nil && tg.Err == nil {
			if sum, err := hashFile(tg.Arg); err == nil {
				if reusable(tg.cached, tg, sum) {
					vs[i] = verdict{st: tg.cached.Status, reused: true, keep: true, sum: sum}
					continue
				}
				vs[i] = verdict{keep: true, sum: sum}
			}
		}
		todo = append(todo, i)
	}
	var again []int
	for j, s := range check(ctx, r.parse, pick(unit, todo)) {
		i := todo[j]
		vs[i].st = phased(s, baseline.PhaseParse)
		if r.exec != nil && vs[i].st.OK() {
			again = append(again, i)
		}
	}
	if len(again) > 0 {
		for j, s := range check(ctx, r.exec, pick(unit, again)) {
			vs[again[j]].st = phased(s, baseline.PhaseExecute)
		}
	}
	for _, i := range todo {
		// Kept only when the file the checker read is the file that was
		// hashed.
		if vs[i].keep {
			now, err := hashFile(unit[i].Arg)
			vs[i].keep = err == nil && now == vs[i].sum
		}
	}
	return vs
}

func pick(unit []target, at []int) []target {
	out := make([]target, len(at))
	for j, i := range at {
		out[j] = unit[i]
	}
	return out
}

// inOrder hands the targets of seq, in units of size, to jobs workers
// running work, and gives each unit and its verdicts to done in the
// order of seq, from this goroutine. At most a window of targets is
// between the walk and done: a slow unit holds the walk back instead of
// letting finished ones pile up. An error from seq or done ends the run
// (the units in flight are cancelled) and is returned; a cancelled ctx
// is an interruption.
func inOrder(ctx context.Context, seq iter.Seq2[target, error], jobs, size int,
	work func(context.Context, []target) []verdict, done func([]target, []verdict) error) error {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		n    int
		unit []target
	}
	type result struct {
		job
		vs []verdict
	}
	window := make(chan struct{}, max(1024, 4*jobs*size))
	jobsCh, results := make(chan job), make(chan result)
	var wg sync.WaitGroup
	for range max(1, jobs) {
		wg.Go(func() {
			for j := range jobsCh {
				results <- result{j, work(ctx, j.unit)}
			}
		})
	}
	var walkErr error // set before jobsCh closes
	go func() {
		defer close(jobsCh)
		b, n := batcher{size: size}, 0
		send := func(u []target) bool {
			if u == nil {
				return true
			}
			select {
			case jobsCh <- job{n, u}:
				n++
				return true
			case <-ctx.Done():
				return false
			}
		}
		for tg, err := range seq {
			if err != nil {
				walkErr = err
				cancel()
				return
			}
			select {
			case window <- struct{}{}:
			default:
				// The window is full: what is held here goes first, or
				// nothing would free it.
				if !send(b.take()) {
					return
				}
				select {
				case window <- struct{}{}:
				case <-ctx.Done():
					return
				}
			}
			if !send(b.add(tg)) {
				return
			}
			if b.full() && !send(b.take()) {
				return
			}
		}
		send(b.take())
	}()
	go func() { wg.Wait(); close(results) }()
	pending := map[int]result{}
	next := 0
	var doneErr error
	for r := range results {
		pending[r.n] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if doneErr == nil {
				if doneErr = done(r.unit, r.vs); doneErr != nil {
					cancel()
				}
			}
			for range r.unit {
				<-window
			}
		}
	}
	switch {
	case walkErr != nil:
		return walkErr
	case doneErr != nil:
		return doneErr
	case parent.Err() != nil:
		return fmt.Errorf("interrupted: %w", parent.Err())
	}
	return nil
}
