package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/safetext"
)

// Trend is what TrendMarkdown charts: the reference branch's last
// baselines and, when known, this run's counts.
type Trend struct {
	// Codes are charted in this order, one chart each.
	Codes []string
	// IncludeSuppressed counts suppressed failures too, as the gate that
	// compared them did.
	IncludeSuppressed bool
	// Points are the reference's history, oldest first.
	Points []baseline.Point
	// Current is this run's count per code, as compared; nil when the run
	// was not compared.
	Current map[string]int
	// Refused says why the reference's history was not read
	// (baseline.TrendOf); then no point is charted, and the reason is
	// said instead.
	Refused string
}

// TrendOf is the trend a comparison with ref charts under p, res its
// result: the reference branch's history as ref carries it
// (baseline.TrendOf), then this run. `regression --markdown` draws it; a
// regression gate draws the same from its results.
func TrendOf(ref *baseline.Baseline, p compare.Policy, res compare.Result) Trend {
	t := Trend{Codes: p.GatedCodes(), IncludeSuppressed: p.IncludeSuppressed, Current: CurrentCounts(res)}
	t.Points, t.Refused = baseline.TrendOf(ref)
	return t
}

// refusedRunes bounds the reason a refused trend gives: it may come from
// a file a pull request wrote.
const refusedRunes = 300

// CurrentCounts are a comparison's new counts per code, as a Trend's
// Current: every code of its rows, gated or not.
func CurrentCounts(r compare.Result) map[string]int {
	out := make(map[string]int, len(r.Codes))
	for _, row := range r.Codes {
		out[row.Code] = row.New
	}
	return out
}

// currentLabel names this run's point.
const currentLabel = "this run"

// TrendMarkdown renders t for a pull request comment, a job summary or
// gate_sign_off.md: per code a Mermaid xychart-beta line chart, which
// GitHub draws from a ```mermaid block, then one table with the same
// numbers for readers without charts (another viewer, a terminal, a screen
// reader). Mermaid's syntax, as its xychart grammar reads it:
//
//	xychart-beta
//	    title "PARSE_ERROR"
//	    x-axis ["Sep 12", "Sep 13", "this run"]
//	    y-axis "files" 0 --> 20
//	    line [8, 10, 11]
//
// https://mermaid.js.org/syntax/xyChart.html. Every label is built here
// from validated values (times, code names) and still quoted by
// safetext.MermaidString; the numbers are integers. A chart needs two
// points; with fewer only the table is written, and with no point of the
// reference nothing, or, when its history was refused, one line that says
// why.
func TrendMarkdown(t Trend) string {
	if t.Refused != "" {
		return "_No trend: the reference's history was refused (" + safetext.Inline(t.Refused, refusedRunes) + ")._\n"
	}
	// Without a point of the reference there is no trend, only this run.
	if len(t.Points) == 0 || len(t.Codes) == 0 {
		return ""
	}
	labels := trendLabels(t.Points, t.Current != nil)
	series := make([][]int, len(t.Codes))
	for i, c := range t.Codes {
		for _, p := range t.Points {
			series[i] = append(series[i], p.Counts(c, t.IncludeSuppressed))
		}
		if t.Current != nil {
			series[i] = append(series[i], max(0, t.Current[c]))
		}
	}
	var b strings.Builder
	which := "unsuppressed failures"
	if t.IncludeSuppressed {
		which = "failures, suppressed ones included"
	}
	fmt.Fprintf(&b, "**Trend** of the reference branch's last %d baseline%s (%s, as compared)", len(t.Points), plural(len(t.Points)), which)
	if t.Current != nil {
		b.WriteString(", then this run")
	}
	b.WriteString(":\n")
	if len(labels) >= 2 {
		for i, c := range t.Codes {
			b.WriteString("\n```mermaid\nxychart-beta\n")
			fmt.Fprintf(&b, "    title %s\n", safetext.MermaidString(c, 40))
			b.WriteString("    x-axis [")
			for j, l := range labels {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(safetext.MermaidString(l, 40))
			}
			b.WriteString("]\n")
			fmt.Fprintf(&b, "    y-axis %s 0 --> %d\n", safetext.MermaidString("files", 20), max(1, maxOf(series[i])))
			b.WriteString("    line [" + joinInts(series[i]) + "]\n```\n")
		}
	}
	b.WriteString("\n| Baseline | Commit | Total |")
	for _, c := range t.Codes {
		b.WriteString(" " + safetext.Cell(c, 40) + " |")
	}
	b.WriteString("\n|---|---|--:|" + strings.Repeat("--:|", len(t.Codes)) + "\n")
	for j, p := range t.Points {
		fmt.Fprintf(&b, "| %s | %s | %d |", pointTime(p), commitCell(p.Commit), p.Total)
		for i := range t.Codes {
			fmt.Fprintf(&b, " %d |", series[i][j])
		}
		b.WriteString("\n")
	}
	if t.Current != nil {
		b.WriteString("| " + currentLabel + " | – | – |")
		for i := range t.Codes {
			fmt.Fprintf(&b, " %d |", series[i][len(t.Points)])
		}
		b.WriteString("\n")
	}
	return b.String()
}

// trendLabels are the x-axis categories: each point's day ("Sep 12"), a
// repeated day numbered ("Sep 12 #2") since a category axis merges equal
// names, then this run.
func trendLabels(points []baseline.Point, current bool) []string {
	seen := map[string]int{}
	var out []string
	for _, p := range points {
		l := "?"
		if ts, err := time.Parse(time.RFC3339, p.Timestamp); err == nil {
			l = ts.UTC().Format("Jan 2")
		}
		seen[l]++
		if n := seen[l]; n > 1 {
			l += " #" + strconv.Itoa(n)
		}
		out = append(out, l)
	}
	if current {
		out = append(out, currentLabel)
	}
	return out
}

// pointTime is a point's time for the table, in UTC to the minute.
func pointTime(p baseline.Point) string {
	ts, err := time.Parse(time.RFC3339, p.Timestamp)
	if err != nil {
		return safetext.Cell(p.Timestamp, 40)
	}
	return ts.UTC().Format("2006-01-02 15:04 UTC")
}

// commitCell is a commit's first seven hex digits in code; the history
// holds full commit ids only (baseline.CheckCommit), checked again here.
func commitCell(c string) string {
	if baseline.CheckCommit(c) != nil {
		return "–"
	}
	return "`" + c[:7] + "`"
}

func maxOf(ns []int) int {
	m := 0
	for _, n := range ns {
		m = max(m, n)
	}
	return m
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
