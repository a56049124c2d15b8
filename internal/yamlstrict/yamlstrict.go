// Package yamlstrict reads YAML that people write by hand (gonogo.yml, a
// migration's rules file) strictly, so that a typo never passes silently:
// one document only, an unknown key, a repeated key or an alias is refused,
// and every refusal is an *Error that names the file, the line and, where
// the caller knows it, the key: "gonogo.yml:12: key: expected form".
//
// Two ways of reading share it: Decoder.Decode checks a node against the
// yaml tags of a Go struct before decoding it (the configuration), and
// Decoder.Mapping hands a caller that walks the nodes itself the values of
// one mapping by key (the rules file).
package yamlstrict

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is a problem in a YAML file, located by line so a user can jump to
// it.
type Error struct {
	File string
	Line int    // 0 for the file as a whole
	Key  string // "rules[2].match"; empty when Msg names it or there is none
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// AliasMsg is the refusal of an alias (*name). An alias makes one value
// stand for another written elsewhere, and a merge key (<<: *name) mixes
// keys in that the file does not show where they are used: a reviewer of
// the file must see every value where it applies.
const AliasMsg = "YAML aliases are not supported: write the value"

// Decoder reads the nodes of one file; File names it in errors.
type Decoder struct {
	File string
}

// Errorf returns an *Error at node's line (line 0 for a nil node).
func (d *Decoder) Errorf(node *yaml.Node, format string, args ...any) error {
	return d.KeyErrorf(node, "", format, args...)
}

// KeyErrorf returns an *Error at node's line under key.
func (d *Decoder) KeyErrorf(node *yaml.Node, key, format string, args ...any) error {
	line := 0
	if node != nil {
		line = node.Line
	}
	return &Error{File: d.File, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// Document parses data as exactly one YAML document and returns its root
// node, or nil when data holds no document (empty, or comments only): the
// caller says what it expected. A syntax error is located at its line; a
// second document is refused, since a reader that takes the first one
// would silently ignore the rest of the file.
func (d *Decoder) Document(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, d.syntaxError(err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, d.syntaxError(err)
		}
		return nil, d.Errorf(&more, "a second YAML document: want one")
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var syntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns yaml.v3's "yaml: line N: msg" into an *Error at line N.
func (d *Decoder) syntaxError(err error) error {
	msg := err.Error()
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &Error{File: d.File, Line: n, Msg: "not valid YAML: " + m[2]}
	}
	return &Error{File: d.File, Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// Mapping checks the keys of the mapping n against known (no unknown key,
// no repeated key, no alias as a value) and returns the values by key.
// prefix is put before a key in errors ("rules[1]."). The caller checks
// that n is a mapping.
func (d *Decoder) Mapping(n *yaml.Node, prefix string, known []string) (map[string]*yaml.Node, error) {
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode {
			return nil, d.KeyErrorf(k, strings.TrimSuffix(prefix, "."), "%s", AliasMsg)
		}
		if !slices.Contains(known, k.Value) {
			return nil, d.KeyErrorf(k, prefix+k.Value, "unknown key %s", expected(known))
		}
		if _, dup := out[k.Value]; dup {
			return nil, d.KeyErrorf(k, prefix+k.Value, "repeated key: want each key once")
		}
		if v.Kind == yaml.AliasNode {
			return nil, d.KeyErrorf(v, prefix+k.Value, "%s", AliasMsg)
		}
		out[k.Value] = v
	}
	return out, nil
}

// expected lists the keys a mapping may hold, sorted.
func expected(known []string) string {
	return "(expected one of: " + strings.Join(slices.Sorted(slices.Values(known)), ", ") + ")"
}

// Decode decodes node into v (a pointer) after CheckKeys.
func (d *Decoder) Decode(node *yaml.Node, v any) error {
	if err := d.CheckKeys(node, v); err != nil {
		return err
	}
	return d.Unmarshal(node, v)
}

// Unmarshal decodes node into v (a pointer), turning yaml.v3's errors
// ("line N: msg") into an *Error at line N that names the key. It does not
// check keys: call CheckKeys first, or Decode.
func (d *Decoder) Unmarshal(node *yaml.Node, v any) error {
	err := node.Decode(v)
	if err == nil {
		return nil
	}
	// A caller's UnmarshalYAML knows the line, not the file.
	var e *Error
	if errors.As(err, &e) && e.File == "" {
		e.File = d.File
		return e
	}
	return d.yamlError(node, err)
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// yamlError turns yaml.v3's "yaml: unmarshal errors: line N: msg" into an
// *Error at line N.
func (d *Decoder) yamlError(node *yaml.Node, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		// yaml.v3 names the value, not its key; the contract is the key.
		if key := keyAt(node, n, m[2]); key != "" {
			m[2] = fmt.Sprintf("%s: %s", key, m[2])
		}
		return &Error{File: d.File, Line: n, Msg: m[2]}
	}
	return d.Errorf(node, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
}

// keyAt returns the mapping key (quoted) whose value starts on line, found
// under node; when several values start there (a flow mapping), the one
// whose text the message quotes. "" when it cannot tell.
func keyAt(node *yaml.Node, line int, msg string) string {
	var cands []*yaml.Node // key, value, key, value...
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i+1].Line == line {
					cands = append(cands, n.Content[i], n.Content[i+1])
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(node)
	var keys []string
	for i := 0; i < len(cands); i += 2 {
		k, v := cands[i], cands[i+1]
		if len(cands) == 2 || (v.Kind == yaml.ScalarNode && (strings.Contains(msg, "`"+v.Value+"`") || strings.Contains(msg, strconv.Quote(v.Value)))) {
			keys = append(keys, k.Value)
		}
	}
	if len(keys) != 1 {
		return ""
	}
	return strconv.Quote(keys[0])
}

var (
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
	nodeType        = reflect.TypeFor[yaml.Node]()
)

// CheckKeys checks, at every depth, that each mapping key under node is
// one of the yaml tags of the struct v points to, and that no alias stands
// where a value is read. A type that decodes itself (yaml.Unmarshaler) or
// a yaml.Node is left to its own checks; a repeated key is refused by
// yaml.v3 when it decodes into a struct or a map.
func (d *Decoder) CheckKeys(node *yaml.Node, v any) error {
	return d.checkKeys(node, reflect.TypeOf(v))
}

func (d *Decoder) checkKeys(node *yaml.Node, t reflect.Type) error {
	if node == nil {
		return nil
	}
	if node.Kind == yaml.DocumentNode && len(node.Content) == 1 {
		node = node.Content[0]
	}
	if node.Kind == yaml.AliasNode {
		return d.Errorf(node, "%s", AliasMsg)
	}
	for t.Kind() == reflect.Pointer {
		if t.Implements(unmarshalerType) {
			return nil
		}
		t = t.Elem()
	}
	if t == nodeType || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if node.Kind != yaml.MappingNode {
			return nil // Unmarshal reports the type mismatch
		}
		known := map[string]reflect.Type{}
		var names []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			known[name] = f.Type
			names = append(names, name)
		}
		for i := 0; i+1 < len(node.Content); i += 2 {
			k, v := node.Content[i], node.Content[i+1]
			ft, ok := known[k.Value]
			if !ok {
				return d.Errorf(k, "unknown key %q %s", k.Value, expected(names))
			}
			if err := d.checkKeys(v, ft); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if node.Kind != yaml.SequenceNode {
			return nil
		}
		for _, c := range node.Content {
			if err := d.checkKeys(c, t.Elem()); err != nil {
				return err
			}
		}
	case reflect.Map:
		if node.Kind != yaml.MappingNode {
			return nil
		}
		for i := 1; i < len(node.Content); i += 2 {
			if err := d.checkKeys(node.Content[i], t.Elem()); err != nil {
				return err
			}
		}
	}
	return nil
}
