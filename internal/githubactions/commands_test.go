package githubactions

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAnnotateEscapesAndLimits(t *testing.T) {
	t.Parallel()
	a, out := newTest(t, env{})
	evil := "bad\n::set-output name=x::y\r\n%0A::error::z"
	for i := range 12 {
		if err := a.Annotate(Annotation{Level: Error, Title: "new: E1,x", File: "a,b:c.py", Line: i + 1, Message: evil}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Annotate(Annotation{Level: Warning, File: "w.py", Message: "w"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Annotate(Annotation{Level: "debug"}); err == nil {
		t.Error("unknown level accepted")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 12 { // 10 errors, 1 warning, 1 closing notice
		t.Fatalf("got %d lines:\n%s", len(lines), out)
	}
	wantFirst := "::error title=new%3A E1%2Cx,file=a%2Cb%3Ac.py,line=1::bad%0A::set-output name=x::y%0D%0A%250A::error::z"
	if lines[0] != wantFirst {
		t.Errorf("first line:\n got %s\nwant %s", lines[0], wantFirst)
	}
	if lines[10] != "::warning file=w.py::w" {
		t.Errorf("warning line = %s", lines[10])
	}
	if !strings.HasPrefix(lines[11], "::notice title=gonogo::2 more error(s) and 0 more warning(s)") {
		t.Errorf("closing note = %s", lines[11])
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice ") {
			t.Errorf("unexpected command line %q", l)
		}
	}
}

func TestAddMask(t *testing.T) {
	t.Parallel()
	a, out := newTest(t, env{})
	if err := a.AddMask("ghs_abc%\nsecond line\n\n"); err != nil {
		t.Fatal(err)
	}
	if err := a.AddMask(""); err != nil {
		t.Fatal(err)
	}
	want := "::add-mask::ghs_abc%25\n::add-mask::second line\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRelayCannotResumeCommands(t *testing.T) {
	t.Parallel()
	forged := hex.EncodeToString(block(0x11))
	output := "::" + forged + "::\n::error::injected\n::stop-commands::other\n::other::\n::add-mask::x"
	a, _ := newTest(t, env{})
	a.random = &rigged{blocks: [][]byte{block(0x11), block(0x22)}}
	var w bytes.Buffer
	if err := a.Relay(&w, []byte(output)); err != nil {
		t.Fatal(err)
	}
	tok := hex.EncodeToString(block(0x22))
	want := "::stop-commands::" + tok + "\n" + output + "\n::" + tok + "::\n"
	if diff := cmp.Diff(want, w.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := strings.Count(w.String(), "::"+tok+"::"); n != 1 {
		t.Errorf("resume token appears %d times", n)
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	t.Run("appends", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "summary")
		a, _ := newTest(t, env{"GITHUB_STEP_SUMMARY": path})
		for _, md := range []string{"# one\n", "two\n"} {
			if cut, err := a.AppendSummary(md); cut || err != nil {
				t.Fatal(cut, err)
			}
		}
		raw, _ := os.ReadFile(path)
		if string(raw) != "# one\ntwo\n" {
			t.Errorf("summary = %q", raw)
		}
	})
	t.Run("cut to the limit", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "summary")
		if err := os.WriteFile(path, bytes.Repeat([]byte("x\n"), MaxSummary/4), 0o644); err != nil {
			t.Fatal(err)
		}
		a, _ := newTest(t, env{"GITHUB_STEP_SUMMARY": path})
		md := "```text\n" + strings.Repeat("line é\n", MaxSummary/4)
		cut, err := a.AppendSummary(md)
		if err != nil || !cut {
			t.Fatal(cut, err)
		}
		raw, _ := os.ReadFile(path)
		if len(raw) > MaxSummary {
			t.Errorf("summary is %d bytes, limit %d", len(raw), MaxSummary)
		}
		if !strings.HasSuffix(string(raw), "line é\n```\n\n"+summaryNote) {
			t.Errorf("summary ends %q", raw[len(raw)-200:])
		}
		// Full: nothing more is written.
		if cut, err := a.AppendSummary("more\n"); !cut || err != nil {
			t.Errorf("AppendSummary on a full summary = %v, %v", cut, err)
		}
		if raw2, _ := os.ReadFile(path); len(raw2) != len(raw) {
			t.Errorf("full summary grew from %d to %d", len(raw), len(raw2))
		}
	})
}

// The runner compares the resume token without regard to case, so output
// holding the token in upper case must not be relayed under it.
func TestRelayTokenClashIgnoresCase(t *testing.T) {
	t.Parallel()
	forged := strings.ToUpper(hex.EncodeToString(block(0xab)))
	output := "::" + forged + "::\n::error::injected\n"
	a, _ := newTest(t, env{})
	a.random = &rigged{blocks: [][]byte{block(0xab), block(0x22)}}
	var w bytes.Buffer
	if err := a.Relay(&w, []byte(output)); err != nil {
		t.Fatal(err)
	}
	tok := hex.EncodeToString(block(0x22))
	if !strings.HasPrefix(w.String(), "::stop-commands::"+tok+"\n") {
		t.Errorf("relayed under a token the output names:\n%s", w.String())
	}
}
