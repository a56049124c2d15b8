package scan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/outfile"
)

// History file names, as the specification shows them.
const (
	TrendsFile   = "trends.json"
	snapshotTail = "_classification.json"
	// TrendsKeep is how many snapshots trends.json covers.
	TrendsKeep = 20
)

var snapshotRE = regexp.MustCompile(`^\d{8}T\d{6}_classification\.json$`)

// Trend is one entry of trends.json. Suppressed is an addition to the
// specification's {file, timestamp, failed, total}.
type Trend struct {
	File       string `json:"file"`
	Timestamp  string `json:"timestamp"`
	Failed     int    `json:"failed"`
	Total      int    `json:"total"`
	Suppressed int    `json:"suppressed"`
}

// WriteHistory stores b as <UTC YYYYMMDDTHHMMSS>_classification.json in dir
// (created if needed) and rewrites trends.json from the last TrendsKeep
// snapshots there. It rebuilds the trends from the snapshots rather than
// appending, so a deleted or hand-edited snapshot cannot leave the trends
// wrong. It returns the snapshot's path.
func WriteHistory(dir string, b *baseline.Baseline, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	snap := filepath.Join(dir, now.UTC().Format("20060102T150405")+snapshotTail)
	if err := baseline.Write(snap, b); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && snapshotRE.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	if len(names) > TrendsKeep {
		names = names[len(names)-TrendsKeep:]
	}
	trends := make([]Trend, 0, len(names))
	for _, name := range names {
		old, err := baseline.Read(filepath.Join(dir, name))
		if err != nil {
			continue // a snapshot that is not a baseline is no trend point
		}
		trends = append(trends, Trend{
			File: name, Timestamp: old.Timestamp, Total: old.Total,
			Failed: old.Total - old.ByCode[baseline.Success], Suppressed: old.SuppressedFailures,
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(trends); err != nil {
		return "", err
	}
	if err := outfile.Write(filepath.Join(dir, TrendsFile), buf.Bytes()); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	return snap, nil
}
