package checker

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{in: "aether --check", want: []string{"aether", "--check"}},
		{in: "  a   b\tc\n", want: []string{"a", "b", "c"}},
		{in: `a 'b c' "d e"`, want: []string{"a", "b c", "d e"}},
		{in: `a 'it''s' x"y"z`, want: []string{"a", "its", "xyz"}},
		{in: `a "\"q\" \$x \n"`, want: []string{"a", `"q" $x \n`}},
		{in: `a b\ c \'`, want: []string{"a", "b c", "'"}},
		{in: `a '' ""`, want: []string{"a", "", ""}},
		{in: `a $(rm -rf /) ; | > *`, want: []string{"a", "$(rm", "-rf", "/)", ";", "|", ">", "*"}},
		{in: "", want: nil},
		{in: `a 'b`, err: true},
		{in: `a "b`, err: true},
		{in: `a \`, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := Split(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("Split(%q) error = %v, want error %v", tt.in, err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Split(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseCommand(t *testing.T) {
	t.Parallel()
	paths := []string{"a b.aether", "./-x.aether"}
	tests := []struct {
		in       string
		wantMode Mode
		wantArgs []string
		err      bool
	}{
		{in: "aether --check", wantMode: Append, wantArgs: []string{"--check", "a b.aether", "./-x.aether"}},
		{in: "aether --check {file} --json", wantMode: PerFile, wantArgs: []string{"--check", "a b.aether", "./-x.aether", "--json"}},
		{in: "aether --check -- {files}", wantMode: Batch, wantArgs: []string{"--check", "--", "a b.aether", "./-x.aether"}},
		{in: "aether '{file}'", wantMode: PerFile, wantArgs: []string{"a b.aether", "./-x.aether"}},
		{in: "aether --in={file}", err: true},
		{in: "aether {file} {files}", err: true},
		{in: "aether {file} {file}", err: true},
		{in: "{files} x", err: true},
		{in: "   ", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			c, err := ParseCommand(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("ParseCommand(%q) error = %v, want error %v", tt.in, err, tt.err)
			}
			if err != nil {
				return
			}
			if c.Mode != tt.wantMode {
				t.Errorf("mode = %v, want %v", c.Mode, tt.wantMode)
			}
			if diff := cmp.Diff(tt.wantArgs, c.Args(paths)); diff != "" {
				t.Errorf("Args (-want +got):\n%s", diff)
			}
		})
	}
}
