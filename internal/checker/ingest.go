package checker

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Ingested is what a status source said: one status per file (the last
// word on a file wins) in order of first mention, and the producing tool
// when the source names it (SARIF's tool.driver.name).
type Ingested struct {
	Statuses []Status
	Tool     string
	Format   string // "jsonl" or "sarif"
	// Partial: the source names only files with findings, not every file
	// it checked (a SARIF run without artifacts, as staticcheck, gosec
	// and flawfinder write), so a file it does not name may have passed
	// or not been checked.
	Partial bool
}

// maxIngestLine bounds one JSONL line.
const maxIngestLine = 1 << 20

// Ingest reads statuses produced elsewhere, detecting the format: a SARIF
// 2.1.0 log (a JSON object with "runs"), or JSON status lines, one per line,
// each naming its file. Lines that are not status lines (ordinary checker
// output captured with them) are skipped; a status line without a file,
// or with a field of the wrong type, is an error naming its line number.
func Ingest(r io.Reader) (*Ingested, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64 << 10)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	first := head
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if _, ok, _ := ParseStatusLine(first); !ok && len(head) > 0 && head[0] == '{' && looksSARIF(head) {
		return ingestSARIF(br)
	}
	return ingestLines(br)
}

// looksSARIF tells a SARIF log from status lines by its top-level keys: a
// log without runs is still SARIF, and refused as such.
func looksSARIF(head []byte) bool {
	for _, k := range []string{`"runs"`, `"version"`, `"$schema"`} {
		if bytes.Contains(head, []byte(k)) {
			return true
		}
	}
	return false
}

func ingestLines(r io.Reader) (*Ingested, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxIngestLine)
	acc := newAccumulator()
	for n := 1; sc.Scan(); n++ {
		s, ok, err := ParseStatusLine(sc.Bytes())
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if !ok {
			continue
		}
		if strings.TrimSpace(s.File) == "" {
			return nil, fmt.Errorf("line %d: status line has no \"file\"", n)
		}
		s.Evidence = FromIngest
		if i, ok := acc.at[s.File]; ok && (s.NameLossy || acc.out[i].NameLossy) {
			return nil, fmt.Errorf("line %d: %w", n, ErrLossyNames(s.File))
		}
		acc.put(s, true)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read status lines: %w", err)
	}
	if len(acc.out) == 0 {
		return nil, errors.New("no JSON status lines and not a SARIF log")
	}
	return &Ingested{Statuses: acc.out, Format: "jsonl"}, nil
}

// ErrLossyNames is two status lines whose files read as one name, name,
// when at least one was not spelled in UTF-8: they may be two files whose
// names differ only in bytes JSON cannot hold (Latin-1 "r\xe9sum\xe9" and
// "r\xe8sum\xe8" both read "r\uFFFDsum\uFFFD"). The later word cannot
// win: it may be another file's, and would pass this one.
func ErrLossyNames(name string) error {
	return fmt.Errorf("two status lines name files that both read as %q, a name that is not UTF-8 (invalid bytes or an unpaired surrogate such as \\udcff): they cannot be told apart; rename the files or leave them out of the statuses", name)
}

// accumulator keeps one status per file in first-mention order.
type accumulator struct {
	at  map[string]int
	out []Status
}

func newAccumulator() *accumulator { return &accumulator{at: map[string]int{}} }

// put records s; replace says whether a later word on a file wins (JSONL)
// or the caller decides (SARIF keeps the strongest).
func (a *accumulator) put(s Status, replace bool) {
	if i, ok := a.at[s.File]; ok {
		if replace {
			a.out[i] = s
		}
		return
	}
	a.at[s.File] = len(a.out)
	a.out = append(a.out, s)
}
