package gate

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ConfigError is a problem in the configuration file, located by line so a
// user can jump to it.
type ConfigError struct {
	File string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Decoder decodes parts of the configuration strictly: an unknown key is an
// error naming the file and line, so a typo never passes silently. Kinds get
// one to decode their own value.
type Decoder struct {
	File string
}

// Errorf returns a ConfigError at node's line.
func (d *Decoder) Errorf(node *yaml.Node, format string, args ...any) error {
	line := 0
	if node != nil {
		line = node.Line
	}
	return &ConfigError{File: d.File, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Decode decodes node into v (a pointer) after checking that every mapping
// key is one of the yaml tags of the target struct, at every depth.
func (d *Decoder) Decode(node *yaml.Node, v any) error {
	if err := d.checkKeys(node, reflect.TypeOf(v)); err != nil {
		return err
	}
	if err := d.checkValues(node, reflect.TypeOf(v), ""); err != nil {
		return err
	}
	if err := node.Decode(v); err != nil {
		// An UnmarshalYAML of ours (expectations) knows the line, not the file.
		if ce, ok := err.(*ConfigError); ok && ce.File == "" {
			ce.File = d.File
			return ce
		}
		return d.yamlError(node, err)
	}
	return nil
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// yamlError turns yaml.v3's "yaml: unmarshal errors: line N: msg" into a
// ConfigError at line N.
func (d *Decoder) yamlError(node *yaml.Node, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if ok := asTypeError(err, &te); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		// yaml.v3 names the value, not its key; the contract is the key.
		if key := keyAt(node, n, m[2]); key != "" {
			m[2] = fmt.Sprintf("%s: %s", key, m[2])
		}
		return &ConfigError{File: d.File, Line: n, Msg: m[2]}
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

func asTypeError(err error, te **yaml.TypeError) bool {
	t, ok := err.(*yaml.TypeError)
	if ok {
		*te = t
	}
	return ok
}

var (
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
	nodeType        = reflect.TypeFor[yaml.Node]()
)

func (d *Decoder) checkKeys(node *yaml.Node, t reflect.Type) error {
	if node == nil {
		return nil
	}
	if node.Kind == yaml.DocumentNode && len(node.Content) == 1 {
		node = node.Content[0]
	}
	if node.Kind == yaml.AliasNode {
		return d.Errorf(node, "YAML aliases are not supported")
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
			return nil // node.Decode reports the type mismatch
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
				slices.Sort(names)
				return d.Errorf(k, "unknown key %q (expected one of: %s)", k.Value, strings.Join(names, ", "))
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
