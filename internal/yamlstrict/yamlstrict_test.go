package yamlstrict

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// selfChecked decodes itself and reports an error that knows its line but
// not the file, as a configuration's expectations do.
type selfChecked struct{}

func (*selfChecked) UnmarshalYAML(n *yaml.Node) error {
	if n.Value != "ok" {
		return &Error{Line: n.Line, Key: "self", Msg: "want ok"}
	}
	return nil
}

type inner struct {
	Name  string `yaml:"name"`
	Count int    `yaml:"count"`
}

type outer struct {
	Version int              `yaml:"version"`
	Items   []inner          `yaml:"items"`
	ByName  map[string]inner `yaml:"by_name"`
	Self    *selfChecked     `yaml:"self"`
	Raw     yaml.Node        `yaml:"raw"`
	Skipped string           `yaml:"-"`
}

// TestDecode: every refusal is one *Error naming the file and the line of
// the offending key or value; what passes is decoded.
func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
	}{
		{"ok", "version: 1\nitems: [{name: a, count: 2}]\nby_name: {x: {name: b}}\nself: ok\nraw: {anything: [1]}\n", ""},
		{"unknown top key", "version: 1\nitemz: []\n", `f.yml:2: unknown key "itemz" (expected one of: by_name, items, raw, self, version)`},
		{"unknown key in a list", "items:\n  - name: a\n    cuont: 2\n", `f.yml:3: unknown key "cuont" (expected one of: count, name)`},
		{"unknown key in a map value", "by_name:\n  x:\n    nmae: a\n", `f.yml:3: unknown key "nmae" (expected one of: count, name)`},
		{"a skipped field is no key", "Skipped: x\n", `f.yml:1: unknown key "Skipped" (expected one of: by_name, items, raw, self, version)`},
		{"alias", "version: &v 1\nitems:\n  - {name: a, count: *v}\n", `f.yml:3: YAML aliases are not supported: write the value`},
		{"type error names the key", "items:\n  - {name: a, count: many}\n", "f.yml:2: \"count\": cannot unmarshal !!str `many` into int"},
		{"repeated key", "version: 1\nversion: 2\n", `f.yml:2: "version": mapping key "version" already defined at line 1`},
		{"unmarshaler error gets the file", "self: bad\n", `f.yml:1: self: want ok`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := &Decoder{File: "f.yml"}
			root, err := d.Document([]byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			var v outer
			err = d.Decode(root, &v)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if v.Version != 1 || len(v.Items) != 1 || v.Items[0].Count != 2 || v.ByName["x"].Name != "b" {
					t.Errorf("decoded %+v", v)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDocument(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
		empty            bool
	}{
		{"one document", "a: 1\n", "", false},
		{"explicit start", "---\na: 1\n", "", false},
		{"empty", "", "", true},
		{"comments only", "# nothing\n", "", true},
		{"second document", "a: 1\n---\nb: 2\n", "f.yml:2: a second YAML document: want one", false},
		{"second document is bad", "a: 1\n---\nb: [\n", "f.yml:3: not valid YAML: did not find expected node content", false},
		{"syntax", "a: 1\n\t- x\n", "f.yml:2: not valid YAML: found a tab character that violates indentation", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := &Decoder{File: "f.yml"}
			root, err := d.Document([]byte(tt.yaml))
			if tt.want != "" {
				if err == nil {
					t.Fatalf("no error, want %q", tt.want)
				}
				if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (root == nil) != tt.empty {
				t.Errorf("root = %v, want empty %v", root, tt.empty)
			}
			if root != nil && root.Kind != yaml.MappingNode {
				t.Errorf("root kind %v, want the document's mapping", root.Kind)
			}
		})
	}
}

func TestMapping(t *testing.T) {
	t.Parallel()
	known := []string{"name", "match"}
	tests := []struct {
		name, yaml, want string
	}{
		{"ok", "{name: a, match: b}", ""},
		{"unknown", "{name: a, mach: b}", "f.yml:1: r[1].mach: unknown key (expected one of: match, name)"},
		{"repeated", "name: a\nname: b\n", "f.yml:2: r[1].name: repeated key: want each key once"},
		{"alias value", "name: &n a\nmatch: *n\n", "f.yml:2: r[1].match: YAML aliases are not supported: write the value"},
		{"alias key", "&k name: a\n*k : b\n", "f.yml:2: r[1]: YAML aliases are not supported: write the value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := &Decoder{File: "f.yml"}
			root, err := d.Document([]byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			m, err := d.Mapping(root, "r[1].", known)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if m["name"].Value != "a" || m["match"].Value != "b" {
					t.Errorf("values %v", m)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorForms(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		e    Error
		want string
	}{
		{Error{File: "f", Msg: "empty"}, "f: empty"},
		{Error{File: "f", Line: 3, Msg: "bad"}, "f:3: bad"},
		{Error{File: "f", Line: 3, Key: "k", Msg: "bad"}, "f:3: k: bad"},
		{Error{File: "f", Key: "k", Msg: "missing"}, "f: k: missing"},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.e, got, tt.want)
		}
	}
}
