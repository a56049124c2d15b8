package gate

import (
	"reflect"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/yamlstrict"
)

// ConfigError is a problem in the configuration file, located by line so a
// user can jump to it.
type ConfigError = yamlstrict.Error

// Decoder decodes parts of the configuration strictly: an unknown key is an
// error naming the file and line, so a typo never passes silently, and a
// scalar is read by the parser of package setting that the flags use
// (checkValues). Kinds get one to decode their own value.
type Decoder struct {
	yamlstrict.Decoder
}

func newDecoder(file string) *Decoder {
	return &Decoder{yamlstrict.Decoder{File: file}}
}

// Decode decodes node into v (a pointer) after checking that every mapping
// key is one of the yaml tags of the target struct, at every depth, and
// that every scalar is one its setting accepts.
func (d *Decoder) Decode(node *yaml.Node, v any) error {
	if err := d.CheckKeys(node, v); err != nil {
		return err
	}
	if err := d.checkValues(node, reflect.TypeOf(v), ""); err != nil {
		return err
	}
	return d.Unmarshal(node, v)
}

var (
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
	nodeType        = reflect.TypeFor[yaml.Node]()
)
