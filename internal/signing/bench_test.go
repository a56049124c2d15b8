package signing

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkCheck verifies 500 signed 4 KiB scripts: the cost of a
// signatures gate over a large scripts tree.
func BenchmarkCheck(b *testing.B) {
	dir := b.TempDir()
	k := newKey(b)
	files := map[string]string{}
	var names []string
	for i := range 500 {
		name := fmt.Sprintf("scripts/d%d/s%03d.sh", i%10, i)
		files[name] = strings.Repeat(fmt.Sprintf("echo %d\n", i), 1024)[:4096]
		names = append(names, name)
	}
	writeFiles(b, dir, files)
	sign(b, dir, k, names...)
	spec := Spec{Include: []string{"scripts/**/*.sh"}, Keys: []string{k.inline}, Strict: true}
	b.ResetTimer()
	for b.Loop() {
		rep, err := Check(context.Background(), dir, spec)
		if err != nil || !rep.OK() || rep.Signed != 500 {
			b.Fatalf("%v %s", err, rep.Summary())
		}
	}
}

// BenchmarkSign signs 100 4 KiB scripts.
func BenchmarkSign(b *testing.B) {
	dir := b.TempDir()
	k := newKey(b)
	files := map[string]string{}
	var names []string
	for i := range 100 {
		name := fmt.Sprintf("s%03d.sh", i)
		files[name] = strings.Repeat("x", 4096)
		names = append(names, name)
	}
	writeFiles(b, dir, files)
	for b.Loop() {
		sign(b, dir, k, names...)
	}
}
