package scan

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Progress cadence: a terminal gets a live line, a log (CI) a plain line
// every few seconds so that it stays readable.
const (
	liveEvery  = 250 * time.Millisecond
	plainEvery = 5 * time.Second
)

// progress reports done/total, rate and ETA. Real time is used on
// purpose: it measures the run, not the injected clock of the document.
type progress struct {
	w     io.Writer
	live  bool
	total int
	start time.Time

	mu   sync.Mutex
	done int
	quit chan struct{}
	wg   sync.WaitGroup
}

func startProgress(w io.Writer, live bool, total int) *progress {
	p := &progress{w: w, live: live, total: total, start: time.Now(), quit: make(chan struct{})}
	if w == nil {
		return p
	}
	every := plainEvery
	if live {
		every = liveEvery
	}
	p.wg.Go(func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				p.print(false)
			case <-p.quit:
				if live {
					p.print(true) // end the rewritten line
				}
				return
			}
		}
	})
	return p
}

func (p *progress) add(n int) {
	p.mu.Lock()
	p.done += n
	p.mu.Unlock()
}

func (p *progress) stop() {
	close(p.quit)
	p.wg.Wait()
}

func (p *progress) print(final bool) {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	el := time.Since(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(done) / el
	}
	line := fmt.Sprintf("checked %d/%d files, %.0f files/s", done, p.total, rate)
	if !final && rate > 0 && done < p.total {
		eta := time.Duration(float64(p.total-done) / rate * float64(time.Second)).Round(time.Second)
		line += fmt.Sprintf(", ETA %s", eta)
	}
	if final {
		line += fmt.Sprintf(" in %.1fs", el)
	}
	switch {
	case p.live && final:
		fmt.Fprintf(p.w, "\r\033[K%s\n", line)
	case p.live:
		fmt.Fprintf(p.w, "\r\033[K%s", line)
	default:
		fmt.Fprintln(p.w, line)
	}
}
