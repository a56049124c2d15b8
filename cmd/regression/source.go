package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
)

// batchSize is how many files a reader hands over at a time: enough that
// handing over costs nothing next to reading, few enough to hold little.
const batchSize = 1024

// prefetch is a compare.Source that reads one baseline file on its own
// goroutine, a batch of files at a time, so that the two baselines are
// decoded on two cores while the comparison joins them, and neither is
// ever held whole.
type prefetch struct {
	batches chan batch
	stop    chan struct{}
	cur     []baseline.File
	i       int
	doc     *baseline.Baseline
	err     error
}

var _ compare.Source = (*prefetch)(nil)

// batch is the next files read, and at the end the document or the error
// that ended it.
type batch struct {
	files []baseline.File
	doc   *baseline.Baseline
	err   error
}

// openBaseline opens the baseline at path (flag names it in errors) and
// starts reading it; close stops the reading.
func openBaseline(ctx context.Context, flag, path string) (*prefetch, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: read baseline: %w", flag, err)
	}
	p := &prefetch{batches: make(chan batch, 4), stop: make(chan struct{})}
	go p.read(ctx, f, func(err error) error { return fmt.Errorf("%s: baseline %s: %w", flag, path, err) })
	return p, nil
}

func (p *prefetch) read(ctx context.Context, f *os.File, wrap func(error) error) {
	defer close(p.batches)
	defer f.Close()
	r := baseline.NewReader(f)
	send := func(b batch) bool {
		select {
		case p.batches <- b:
			return true
		case <-p.stop:
			return false
		}
	}
	files := make([]baseline.File, 0, batchSize)
	for {
		next, err := r.Next()
		switch {
		case err != nil:
			send(batch{files: files, err: wrap(err)})
			return
		case next == nil:
			send(batch{files: files, doc: r.Baseline()})
			return
		}
		files = append(files, *next)
		if len(files) == batchSize {
			if err := ctx.Err(); err != nil {
				send(batch{err: err})
				return
			}
			if !send(batch{files: files}) {
				return
			}
			files = make([]baseline.File, 0, batchSize)
		}
	}
}

func (p *prefetch) Next() (*baseline.File, error) {
	for p.i == len(p.cur) {
		if p.doc != nil || p.err != nil {
			return nil, p.err
		}
		b, ok := <-p.batches
		if !ok {
			return nil, errors.New("baseline reader stopped")
		}
		p.cur, p.i, p.doc, p.err = b.files, 0, b.doc, b.err
	}
	p.i++
	return &p.cur[p.i-1], nil
}

func (p *prefetch) Baseline() *baseline.Baseline { return p.doc }

// close stops the reading goroutine, wherever it is.
func (p *prefetch) close() { close(p.stop) }
