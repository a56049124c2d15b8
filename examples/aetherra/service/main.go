// Command service is the Aetherra demo service started by
// examples/aetherra/gonogo.yml and examples/aetherra/watch.yml.
//
//	service [-addr 127.0.0.1:3012] [-audit FILE] [-alerts FILE] [-faults LIST]
//	service smoke URL
//	service spec URL
//
// The agents API follows AETHERRA_AGENTS_API_ENABLED, _REQUIRE_TOKEN and
// _TOKEN; AETHERRA_DP_ENABLED and AETHERRA_DP_EPSILON add DP keys to the
// policy; AETHERRA_FAULTS (or -faults) injects faults, one per gate, to see
// the gates fail. "smoke" is the launcher smoke client: it prints the core
// services found at URL as JSON and exits 1 when one is missing. "spec" is
// the spec gate: it asks each endpoint of the specification's endpoint table
// and exits 0 when every one is served, 2 when some are not served yet (404:
// pending, a pass for the spec gate) and 1 when one fails (5xx other than
// the agents API's 501, or no answer).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/org/gonogo-action/examples/aetherra/aetherra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) > 0 && args[0] == "smoke" {
		return smoke(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "spec" {
		return spec(ctx, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("service", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:3012", "listen address")
	audit := fs.String("audit", "", "perform an HMR reload at start and write its audit JSONL here")
	alerts := fs.String("alerts", "", "open the security alert sink (JSONL) here at start")
	faults := fs.String("faults", getenv("AETHERRA_FAULTS"), "faults to inject (comma separated)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fl, err := aetherra.ParseFaults(*faults)
	if err != nil {
		fmt.Fprintln(stderr, "service:", err)
		return 2
	}
	eps, _ := strconv.ParseFloat(getenv("AETHERRA_DP_EPSILON"), 64)
	opt := aetherra.Options{
		AgentsEnabled: getenv("AETHERRA_AGENTS_API_ENABLED") == "1",
		DP:            getenv("AETHERRA_DP_ENABLED") == "1",
		DPEpsilon:     eps,
		Faults:        fl,
		NetAllow:      []string{"127.0.0.1", "localhost"},
	}
	if getenv("AETHERRA_AGENTS_API_REQUIRE_TOKEN") == "1" {
		opt.AgentsToken = getenv("AETHERRA_AGENTS_API_TOKEN")
	}
	srv := aetherra.New(opt)
	if *audit != "" {
		if err := srv.HMRReload(*audit, "engine", time.Now); err != nil {
			fmt.Fprintln(stderr, "service: hmr reload:", err)
			return 1
		}
	}
	if *alerts != "" {
		if err := srv.WriteAlerts(*alerts, time.Now); err != nil {
			fmt.Fprintln(stderr, "service: security alerts:", err)
			return 1
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "service:", err)
		return 1
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	fmt.Fprintln(stderr, "service: listening on", ln.Addr())
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "service:", err)
		return 1
	}
	return 0
}

// smoke checks that the kernel registered the core services.
func smoke(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "service smoke: want the service URL")
		return 2
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, args[0]+"/api/kernel/status", nil)
	if err != nil {
		fmt.Fprintln(stderr, "service smoke:", err)
		return 2
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(stderr, "service smoke:", err)
		return 1
	}
	defer resp.Body.Close()
	var st struct {
		Running  bool            `json:"running"`
		Services map[string]bool `json:"services"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		fmt.Fprintln(stderr, "service smoke: kernel status:", err)
		return 1
	}
	out := struct {
		OK       bool     `json:"ok"`
		Running  bool     `json:"running"`
		Services []string `json:"services"`
		Missing  []string `json:"missing"`
	}{Running: st.Running, Services: []string{}, Missing: []string{}}
	for _, name := range []string{"memory_system", "plugin_manager", "aetherra_engine"} {
		if st.Services[name] {
			out.Services = append(out.Services, name)
		} else {
			out.Missing = append(out.Missing, name)
		}
	}
	out.OK = st.Running && len(out.Missing) == 0
	_ = json.NewEncoder(stdout).Encode(out)
	if !out.OK {
		return 1
	}
	return 0
}

// specEndpoints is the specification's endpoint table.
var specEndpoints = []struct{ method, path string }{
	{http.MethodGet, "/api/kernel/status"},
	{http.MethodGet, "/metrics"},
	{http.MethodGet, "/api/ai/stream?message=ping"},
	{http.MethodPost, "/api/lyrixa/chat"},
	{http.MethodGet, "/api/agents"},
	{http.MethodGet, "/api/memory/status"},
}

// spec asks every endpoint of the table and sorts them into served, pending
// (404) and failing ones.
func spec(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "service spec: want the service URL")
		return 2
	}
	out := struct {
		Served  []string `json:"served"`
		Pending []string `json:"pending"`
		Failing []string `json:"failing"`
	}{Served: []string{}, Pending: []string{}, Failing: []string{}}
	for _, e := range specEndpoints {
		name := e.method + " " + e.path
		req, err := http.NewRequestWithContext(ctx, e.method, args[0]+e.path, nil)
		if err != nil {
			fmt.Fprintln(stderr, "service spec:", err)
			return 2
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			out.Failing = append(out.Failing, name)
			continue
		}
		resp.Body.Close() // the status says enough; an SSE stream ends here
		switch {
		case resp.StatusCode == http.StatusNotFound:
			out.Pending = append(out.Pending, name)
		case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
			out.Failing = append(out.Failing, name)
		default:
			out.Served = append(out.Served, name)
		}
	}
	_ = json.NewEncoder(stdout).Encode(out)
	switch {
	case len(out.Failing) > 0:
		return 1
	case len(out.Pending) > 0:
		return 2
	}
	return 0
}
