package baseline_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/baseline/baselinetest"
)

// decoders read a document in memory (Decode) and as a stream handed over
// a byte at a time (Reader), which crosses every boundary of its window.
var decoders = map[string]func([]byte) (*baseline.Baseline, error){
	"Decode": baseline.Decode,
	"Reader": func(doc []byte) (*baseline.Baseline, error) {
		return stream(iotest.OneByteReader(bytes.NewReader(doc)))
	},
}

// stream reads a whole document with a Reader, keeping the files.
func stream(r interface{ Read([]byte) (int, error) }) (*baseline.Baseline, error) {
	rd := baseline.NewReader(r)
	var files []baseline.File
	for {
		f, err := rd.Next()
		if err != nil {
			return nil, err
		}
		if f == nil {
			break
		}
		files = append(files, *f)
	}
	b := rd.Baseline()
	b.Files = files
	return b, nil
}

// largeDoc is a baseline of n failing files, with escapes, unknown fields
// and 3000 passed, several windows long.
func largeDoc(t *testing.T, n int) []byte {
	t.Helper()
	b, err := baselinetest.Synth(baselinetest.Spec{Total: n + 3000, Counts: map[string]int{baseline.ParseError: n - 7, baseline.InternalError: 7}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Files {
		if i%100 == 0 {
			b.Files[i].Message += "\n\t\"quoted\" é \u2028 \\ end"
			b.Files[i].Extra = map[string]json.RawMessage{"owner": json.RawMessage(`{"team": ["a", "b"]}`)}
		}
	}
	for i := range 3000 { // several windows long too
		b.Passed = append(b.Passed, fmt.Sprintf("passed/%04d.aether", i))
	}
	b.Extra = map[string]json.RawMessage{"zz_tool": json.RawMessage(`"x"`)}
	doc, err := baseline.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestReaderMatchesDecode(t *testing.T) {
	t.Parallel()
	docs := map[string][]byte{
		"seed":  []byte(seedBaseline),
		"empty": []byte(`{"total": 0, "by_code": {}, "files": []}`),
		"null":  []byte(`{"total": 0, "by_code": {}, "files": null}`),
		"files first, passed before": []byte(`{"passed": ["b"], "files": [{"path": "a", "code_name": "PARSE_ERROR", "line": null, "x": [1, {"y": 2}]}],
			"total": 2, "by_code": {"PARSE_ERROR": 1, "SUCCESS": 1}, "unknown": {"k": "v"}}`),
		"large": largeDoc(t, 3000),
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, err := baseline.Decode(doc)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range []interface{ Read([]byte) (int, error) }{bytes.NewReader(doc), iotest.OneByteReader(bytes.NewReader(doc)), iotest.HalfReader(bytes.NewReader(doc))} {
				got, err := stream(r)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("streamed (-Decode +Reader):\n%s", diff)
				}
			}
		})
	}
}

// TestReaderLineNumbers: an error far into a stream names the line of the
// whole document, not of the window, and the element of files it is in.
func TestReaderLineNumbers(t *testing.T) {
	t.Parallel()
	doc := largeDoc(t, 3000)
	// The last file's line value, far past the stream's first windows.
	i := bytes.LastIndex(doc, []byte(`"line": `))
	j := i + bytes.IndexAny(doc[i:], ",}")
	if i < 4*64<<10 { // four of the stream's 64 KiB windows
		t.Fatalf("the last line value is at byte %d: the document is too short to span several windows", i)
	}
	line := 1 + bytes.Count(doc[:i], []byte("\n"))
	last := bytes.Count(doc[:i], []byte(`"path": `)) - 1
	edit := func(value string) []byte {
		return append(append(append([]byte{}, doc[:i]...), value...), doc[j:]...)
	}
	for _, tt := range []struct {
		name string
		doc  []byte
		want string
	}{
		{"repeated key at the top", bytes.Replace(doc, []byte(`"total": 6000`), []byte(`"total": 6000, "total": 1`), 1),
			"field total: repeated key (line 3)"},
		{"wrong type far in", edit(`"line": "7"`), fmt.Sprintf("field files[%d].line: want an integer or null, got a string", last)},
		{"repeated key far in", edit(`"line": 7, "line": 8`), fmt.Sprintf("field files[%d].line: repeated key (line %d)", last, line)},
		{"syntax error far in", edit(`"line": 7,,`), fmt.Sprintf("line %d: invalid JSON", line)},
	} {
		for name, decode := range decoders {
			if _, err := decode(tt.doc); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s, %s: error = %v, want %q", tt.name, name, err, tt.want)
			}
		}
		// Read in the stream's own chunks too: a window released whole.
		if _, err := stream(bytes.NewReader(tt.doc)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s, streamed: error = %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestReaderStreamError: a stream that fails part way is an error that
// says why, never a shorter baseline.
func TestReaderStreamError(t *testing.T) {
	t.Parallel()
	doc := largeDoc(t, 3000)
	broken := errors.New("disk on fire")
	r := io.MultiReader(bytes.NewReader(doc[:len(doc)/2]), iotest.ErrReader(broken))
	if _, err := stream(r); !errors.Is(err, broken) {
		t.Errorf("error = %v, want %v", err, broken)
	}
	// Cut short with no error: a syntax error, not a baseline.
	if _, err := stream(bytes.NewReader(doc[:len(doc)-3])); err == nil || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("truncated document: error = %v", err)
	}
}
