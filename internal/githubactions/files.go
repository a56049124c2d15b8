package githubactions

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"

	"github.com/org/gonogo-action/internal/safetext"
)

// MaxSummary is the job summary's size limit per step: above it the runner
// drops the whole summary and shows an error.
// https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#step-isolation-and-limits
const MaxSummary = 1 << 20

// summaryNote ends a summary that had to be cut.
const summaryNote = "> [!WARNING]\n> This summary was cut to the 1 MiB limit of a job summary; `gate_results.json` holds everything.\n"

var outputName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// SetOutput appends name=value to the GITHUB_OUTPUT file as a heredoc whose
// delimiter is random and checked not to occur in the value, so an untrusted
// value cannot end the heredoc early and set other outputs. Without
// GITHUB_OUTPUT it does nothing.
func (a *Action) SetOutput(name, value string) error {
	path := a.getenv("GITHUB_OUTPUT")
	if path == "" {
		return nil
	}
	if !outputName.MatchString(name) {
		return fmt.Errorf("output name %q: want letters, digits, '_' or '-'", name)
	}
	delim, err := a.token("ghadelimiter_", value)
	if err != nil {
		return fmt.Errorf("output %s: %w", name, err)
	}
	return a.appendFile(path, name+"<<"+delim+"\n"+value+"\n"+delim+"\n")
}

// AppendSummary adds markdown to the step's job summary (GITHUB_STEP_SUMMARY).
// The file as a whole stays within MaxSummary: what does not fit is cut at a
// line boundary, open code fences are closed and a note says so. It reports
// whether md was cut. Without GITHUB_STEP_SUMMARY it does nothing.
func (a *Action) AppendSummary(md string) (cut bool, err error) {
	path := a.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return false, nil
	}
	used := 0
	if fi, err := os.Stat(path); err == nil {
		used = int(fi.Size())
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("job summary: %w", err)
	}
	room := MaxSummary - used
	if room < len(summaryNote) {
		return len(md) > 0, nil // full: adding even the note would drop it all
	}
	out := safetext.Truncate(md, room, safetext.Bytes, summaryNote)
	return out != md, a.appendFile(path, out)
}

func (a *Action) appendFile(path, s string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("open runner file: %w", err)
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write runner file %s: %w", path, err)
	}
	return nil
}
