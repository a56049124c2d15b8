package coverage

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParseFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, format string
		want         float64
	}{
		{"go.out", "go", 76.99}, // go tool cover -func: 77.0%
		{"go_coverpkg.out", "go", 50},
		{"lcov.info", "lcov", 66.67},
		{"cobertura.xml", "cobertura", 82.5},
		{"cobertura_rate.xml", "cobertura", 66.67},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", "coverage", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, format := range []string{FormatAuto, tt.format} {
				r, err := Parse(data, format)
				if err != nil {
					t.Fatal(err)
				}
				if r.Format != tt.format || r.Percent() != tt.want {
					t.Errorf("%s: format %s percent %v, want %s %v", format, r.Format, r.Percent(), tt.format, tt.want)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"unknown":   "hello",
		"go bad":    "mode: set\nnot a line\n",
		"go empty":  "mode: set\n",
		"lcov bad":  "SF:x\nLF:many\nend_of_record\n",
		"cobertura": "<coverage line-rate=\"x\"></coverage>",
	} {
		if _, err := Parse([]byte(in), FormatAuto); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// FuzzParse: any report yields a percent in [0, 100] or an error.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/coverage/*")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data, FormatAuto)
		if err == nil && (r.Percent() < 0 || r.Percent() > 100) {
			t.Fatalf("percent %v from %q", r.Percent(), data)
		}
	})
}
