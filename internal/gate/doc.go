// Package gate runs the go/no-go gates declared in gonogo.yml and returns
// their results (gate_results.json).
//
// Its files, by job:
//   - config.go, decode.go: the configuration model and its strict,
//     line-numbered YAML decoding (ParseConfig, Decoder: the key and
//     document checks of internal/yamlstrict, which the migration rules
//     share, plus values.go's reading of each scalar as its setting);
//   - engine.go: Run — selection, needs, parallelism, per-gate timeouts,
//     the manual rules; services.go: services started before the gates and
//     stopped after them;
//   - kind.go: the list of gate kinds, Check and Outcome; kind_<name>.go:
//     one file per kind, its spec, decoding and check;
//   - previous.go: a gate's previous: — one figure of its details against
//     the same figure in an earlier gate_results.json, within a tolerance;
//   - results.go: the results model and its JSON.
//
// Processes (process groups, leftover jobs, the environment allow- and
// deny-lists) belong to internal/proc, shared with the checker runner;
// coverage formats to internal/coverage; JUnit XML to internal/junit.
package gate
