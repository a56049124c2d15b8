package coverage

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// parseGoCover reads a `go test -coverprofile` file and counts statements as
// `go tool cover -func` does (golang.org/x/tools/cover.ParseProfilesFromReader):
// a block listed several times — once per test binary with `-coverpkg`, or
// in concatenated profiles — is one block, covered when any copy has a count,
// and a block whose copies disagree on its statement count is an error.
//
// Unlike go tool cover, a repeated `mode:` line equal to the first is
// accepted, so that profiles concatenated by a script read as one.
func parseGoCover(data []byte) (Report, error) {
	type block struct {
		stmts   int64
		covered bool
		line    int
	}
	blocks := map[string]*block{}
	var order []string
	mode := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if m, ok := strings.CutPrefix(line, "mode:"); ok {
			m = strings.TrimSpace(m)
			switch {
			case m != "set" && m != "count" && m != "atomic":
				return Report{}, fmt.Errorf("go profile line %d: mode %q: want set, count or atomic", n, m)
			case mode != "" && m != mode:
				return Report{}, fmt.Errorf("go profile line %d: mode %q after mode %q", n, m, mode)
			}
			mode = m
			continue
		}
		if mode == "" {
			return Report{}, fmt.Errorf("go profile line %d: want the mode line first (mode: set|count|atomic)", n)
		}
		key, stmts, count, err := goBlock(line)
		if err != nil {
			return Report{}, fmt.Errorf("go profile line %d: %w", n, err)
		}
		b := blocks[key]
		if b == nil {
			b = &block{stmts: stmts, line: n}
			blocks[key] = b
			order = append(order, key)
		} else if b.stmts != stmts {
			return Report{}, fmt.Errorf("go profile line %d: block %s has %d statements, %d on line %d", n, key, stmts, b.stmts, b.line)
		}
		b.covered = b.covered || count > 0
	}
	if err := sc.Err(); err != nil {
		return Report{}, fmt.Errorf("go profile line %d: %w", n+1, err)
	}
	if mode == "" {
		return Report{}, fmt.Errorf("go profile: no mode line")
	}
	var r Report
	for _, k := range order {
		b := blocks[k]
		var err error
		if r.Total, err = add(r.Total, b.stmts); err == nil && b.covered {
			r.Covered, err = add(r.Covered, b.stmts)
		}
		if err != nil {
			return Report{}, fmt.Errorf("go profile line %d: %w", b.line, err)
		}
	}
	return r, nil
}

// goBlock parses FILE:L1.C1,L2.C2 STMTS COUNT; the file name may contain
// spaces and colons, so it is read from the end, as go tool cover does.
func goBlock(line string) (key string, stmts, count int64, err error) {
	const want = "want FILE:LINE.COL,LINE.COL STATEMENTS COUNT"
	i := strings.LastIndexAny(line, " \t")
	if i < 0 {
		return "", 0, 0, fmt.Errorf("%q: %s", truncate(line), want)
	}
	rest := strings.TrimRight(line[:i], " \t")
	j := strings.LastIndexAny(rest, " \t")
	if j < 0 {
		return "", 0, 0, fmt.Errorf("%q: %s", truncate(line), want)
	}
	stmtsS, countS := rest[j+1:], line[i+1:]
	stmts, err1 := strconv.ParseInt(stmtsS, 10, 64)
	count, err2 := strconv.ParseInt(countS, 10, 64)
	if err1 != nil || stmts < 0 {
		return "", 0, 0, fmt.Errorf("statement count %q: want a non-negative integer", stmtsS)
	}
	if err2 != nil || count < 0 {
		return "", 0, 0, fmt.Errorf("count %q: want a non-negative integer", countS)
	}
	key = strings.TrimRight(rest[:j], " \t")
	colon := strings.LastIndexByte(key, ':')
	if colon <= 0 || !goRange(key[colon+1:]) {
		return "", 0, 0, fmt.Errorf("%q: %s", truncate(line), want)
	}
	return key, stmts, count, nil
}

// goRange reports whether s is LINE.COL,LINE.COL.
func goRange(s string) bool {
	a, b, ok := strings.Cut(s, ",")
	return ok && goPos(a) && goPos(b)
}

func goPos(s string) bool {
	l, c, ok := strings.Cut(s, ".")
	return ok && isDigits(l) && isDigits(c)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
