// Command genbaseline writes a synthetic parse_baseline.json, for the
// examples and the benchmark scripts.
//
//	go run ./scripts/genbaseline -total 2700 -counts PARSE_ERROR=1800,VALIDATION_ERROR=30 -out ref.json
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/baseline/baselinetest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "genbaseline:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("genbaseline", flag.ContinueOnError)
	s := baselinetest.Spec{Counts: map[string]int{}}
	var counts, out string
	fs.IntVar(&s.Total, "total", 2700, "files checked")
	fs.StringVar(&counts, "counts", "PARSE_ERROR=1800,VALIDATION_ERROR=30", "failures per code, CODE=N,...")
	fs.IntVar(&s.Offset, "offset", 0, "index of the first failing file")
	fs.StringVar(&s.Timestamp, "timestamp", "2025-09-13T10:00:00Z", "timestamp to record")
	fs.StringVar(&out, "out", "parse_baseline.json", "output `FILE`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, kv := range strings.Split(counts, ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil {
			return fmt.Errorf("-counts: want CODE=N, got %q", kv)
		}
		s.Counts[k] = n
	}
	b, err := baselinetest.Synth(s)
	if err != nil {
		return err
	}
	return baseline.Write(out, b)
}
