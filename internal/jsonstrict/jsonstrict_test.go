package jsonstrict

import (
	"testing"
)

func TestUniqueKeys(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, data, want string // want "" for no error
	}{
		{"flat", `{"a": 1, "b": 2}`, ""},
		{"same key in sibling objects", `{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]}`, ""},
		{"not an object", `[1, "a", null, true]`, ""},
		{"top level", `{"a": 1, "a": 2}`, `repeated key "a": an object may name a key once`},
		{"nested", `{"totals": {"covered_lines": 1, "covered_lines": 2}}`, `totals: repeated key "covered_lines": an object may name a key once`},
		{"in a list", `{"files": [{"p": 1}, {"p": 1, "p": 2}]}`, `files[1]: repeated key "p": an object may name a key once`},
		{"a list at the top", `[{"p": 1, "p": 2}]`, `[0]: repeated key "p": an object may name a key once`},
		{"escaped spelling is the same key", `{"a": 1, "\u0061": 2}`, `repeated key "a": an object may name a key once`},
		{"invalid JSON", `{"a": }`, `invalid character '}' looking for beginning of value`},
		{"truncated", `{"a": 1`, `EOF`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := UniqueKeys([]byte(tt.data))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("err = %v, want none", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
