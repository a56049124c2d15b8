package githubactions

import (
	"fmt"
	"io"
	"strconv"
)

// Level is an annotation's severity.
type Level string

// Annotation levels, named as the workflow commands.
const (
	Error   Level = "error"
	Warning Level = "warning"
	Notice  Level = "notice"
)

// Annotation marks a file and line in the pull request's diff view.
type Annotation struct {
	Level   Level
	Title   string
	File    string // relative to the repository root
	Line    int    // 1-based; 0 = the whole file
	Message string
}

// Annotate issues a. The runner shows at most 10 errors and 10 warnings per
// step (and 50 per job) and drops the rest silently, so past 10 of a level
// Annotate only counts; Close then says how many were left out.
func (a *Action) Annotate(an Annotation) error {
	if !a.Enabled() {
		return nil
	}
	a.mu.Lock()
	over := false
	switch an.Level {
	case Error:
		if over = a.errors >= a.maxErrors; over {
			a.moreErrs++
		} else {
			a.errors++
		}
	case Warning:
		if over = a.warnings >= a.maxWarning; over {
			a.moreWarns++
		} else {
			a.warnings++
		}
	case Notice:
	default:
		a.mu.Unlock()
		return fmt.Errorf("annotation level %q: want error, warning or notice", an.Level)
	}
	a.mu.Unlock()
	if over {
		return nil
	}
	props := []prop{{"title", an.Title}, {"file", an.File}}
	if an.Line > 0 {
		props = append(props, prop{"line", strconv.Itoa(an.Line)})
	}
	return a.command(string(an.Level), props, an.Message)
}

// Close issues the closing note when annotations were left out. It uses a
// notice, which has its own budget, so it never displaces an error.
func (a *Action) Close() error {
	a.mu.Lock()
	e, w := a.moreErrs, a.moreWarns
	a.mu.Unlock()
	if e+w == 0 || !a.Enabled() {
		return nil
	}
	msg := fmt.Sprintf("%d more error(s) and %d more warning(s) were not annotated (GitHub shows at most %d per level per step): see the job summary", e, w, a.maxErrors)
	return a.command("notice", []prop{{"title", "gonogo"}}, msg)
}

// Relay copies untrusted output (a gate's or checker's stdout and stderr)
// to w between ::stop-commands::<token> and ::<token>::, so nothing in it is
// taken as a workflow command. The token is random and checked not to occur
// in output. The runner parses both stdout and stderr: relay everything
// through one writer so the markers and the text stay in order.
func (a *Action) Relay(w io.Writer, output []byte) error {
	if !a.Enabled() {
		_, err := w.Write(output)
		return err
	}
	tok, err := a.token("", string(output))
	if err != nil {
		return err
	}
	text := string(output)
	if text != "" && text[len(text)-1] != '\n' {
		text += "\n"
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := io.WriteString(w, "::stop-commands::"+tok+"\n"+text+"::"+tok+"::\n"); err != nil {
		return fmt.Errorf("relay output: %w", err)
	}
	return nil
}
