package gate

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/setting"
)

// checkValues refuses a scalar that yaml.v3 would convert into the target
// Go type by its own lenient rules: "no", "yes", "on" and "off" into a
// bool (YAML 1.1 habits), 2.5 into an int (truncated to 2), .nan into a
// float. Each is read instead by the parser of package setting that the
// command-line flags use, so a value means the same in both places; the
// range of each setting is checked where it is decoded. The error names
// the file, the line and the key. key is the mapping key node sits under.
func (d *Decoder) checkValues(node *yaml.Node, t reflect.Type, key string) error {
	if node == nil {
		return nil
	}
	if node.Kind == yaml.DocumentNode && len(node.Content) == 1 {
		node = node.Content[0]
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nodeType {
		return nil
	}
	if vc, ok := reflect.New(t).Interface().(valueChecker); ok {
		return d.keyed(node, key, vc.checkYAML(node))
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if node.Kind != yaml.MappingNode {
			return nil // node.Decode reports the type mismatch
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			f := t.Field(i)
			if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name != "" && name != "-" {
				fields[name] = f.Type
			}
		}
		for i := 0; i+1 < len(node.Content); i += 2 {
			k := node.Content[i].Value
			if ft, ok := fields[k]; ok {
				if err := d.checkValues(node.Content[i+1], ft, k); err != nil {
					return err
				}
			}
		}
	case reflect.Slice, reflect.Array:
		if node.Kind == yaml.SequenceNode {
			for _, c := range node.Content {
				if err := d.checkValues(c, t.Elem(), key); err != nil {
					return err
				}
			}
		}
	case reflect.Map:
		if node.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(node.Content); i += 2 {
				if err := d.checkValues(node.Content[i+1], t.Elem(), key+"."+node.Content[i].Value); err != nil {
					return err
				}
			}
		}
	case reflect.Bool:
		_, err := scalar(node, "true or false", setting.Bool, "!!bool")
		return d.keyed(node, key, err)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, err := scalar(node, "a whole number", setting.Int, "!!int", "!!float")
		return d.keyed(node, key, err)
	case reflect.Float32, reflect.Float64:
		_, err := yamlNumber(node)
		return d.keyed(node, key, err)
	case reflect.String:
		if node.Kind == yaml.ScalarNode && node.ShortTag() == "!!null" {
			return d.keyed(node, key, fmt.Errorf("want a value, got %s", nullText(node)))
		}
	}
	return nil
}

// yamlNumber reads a number of gonogo.yml, wherever it stands (a setting,
// an expectation's operand): a plain int or float scalar, finite, parsed
// by setting.Number as the flags are.
func yamlNumber(node *yaml.Node) (float64, error) {
	return scalar(node, "a number", setting.Number, "!!int", "!!float")
}

// scalar parses node when it is a plain scalar of one of tags that parse
// accepts; want names the form for other nodes.
func scalar[T any](node *yaml.Node, want string, parse func(string) (T, error), tags ...string) (T, error) {
	var zero T
	if node.Kind != yaml.ScalarNode {
		return zero, fmt.Errorf("want %s, got a %s", want, kindName(node))
	}
	tag := node.ShortTag()
	for _, ok := range tags {
		if tag == ok {
			return parse(node.Value)
		}
	}
	switch tag {
	case "!!null":
		return zero, fmt.Errorf("want %s, got %s", want, nullText(node))
	case "!!str":
		return zero, fmt.Errorf("want %s, got the string %q", want, node.Value)
	}
	return zero, fmt.Errorf("want %s, got %s", want, node.Value)
}

func nullText(node *yaml.Node) string {
	if node.Value == "" {
		return "nothing"
	}
	return node.Value
}

func kindName(node *yaml.Node) string {
	switch node.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	return "value"
}

// keyed locates err at node, under its key.
func (d *Decoder) keyed(node *yaml.Node, key string, err error) error {
	if err == nil {
		return nil
	}
	if key == "" {
		return d.Errorf(node, "%v", err)
	}
	return d.Errorf(node, "%s: %v", strconv.Quote(key), err)
}

// settingError locates a setting's range error at the value of key in the
// mapping m (or at m when the key is absent).
func (d *Decoder) settingError(m *yaml.Node, key string, err error) error {
	if err == nil {
		return nil
	}
	return d.keyed(valueNode(m, key, m), key, err)
}

// valueChecker is a type that checks its own YAML form (checkValues calls
// it before decoding, with the key for the error).
type valueChecker interface {
	checkYAML(node *yaml.Node) error
}

// Duration is a YAML duration: "90s", "5m", or a number of seconds; more
// than zero.
type Duration time.Duration

var _ valueChecker = (*Duration)(nil)

func (*Duration) checkYAML(n *yaml.Node) error {
	_, err := parseDuration(n)
	return err
}

func parseDuration(n *yaml.Node) (time.Duration, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, fmt.Errorf("want a duration such as 30s or 5m, got a %s", kindName(n))
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return setting.Seconds(n.Value)
	case "!!str":
		return setting.Duration(n.Value)
	}
	return 0, fmt.Errorf("want a duration such as 30s or 5m, got %s", nullText(n))
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseDuration(n)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// Std returns the time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// Days is a YAML age in whole days: "90d" (or a Go duration of whole days
// such as "2160h"), 1 day or more, as setting.Days reads --max-age. A bare
// number is refused: elsewhere in gonogo.yml a number is seconds.
type Days int

var _ valueChecker = (*Days)(nil)

func (*Days) checkYAML(n *yaml.Node) error {
	_, err := parseDays(n)
	return err
}

func parseDays(n *yaml.Node) (int, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, fmt.Errorf("want a number of days such as 90d, got a %s", kindName(n))
	}
	if n.ShortTag() != "!!str" {
		return 0, fmt.Errorf("want a number of days such as 90d, got %s", nullText(n))
	}
	return setting.Days(n.Value)
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Days) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseDays(n)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Days(v)
	return nil
}
