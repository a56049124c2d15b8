package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/clitest"
	"github.com/org/gonogo-action/internal/golden"
	"github.com/org/gonogo-action/internal/minisign"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gate": func() {
			// As main does: a signal cancels the run, which still writes
			// its results.
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			code := run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv)
			stop()
			os.Exit(code)
		},
		// keygen NAME [PASSWORD] writes NAME.pub, NAME.id and NAME.key
		// (encrypted, with cheap scrypt limits, when a password is given).
		"keygen": func() {
			if err := keygen(os.Args[1:]); err != nil {
				fmt.Fprintln(os.Stderr, "keygen:", err)
				os.Exit(1)
			}
			os.Exit(0)
		},
	})
}

func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Cmds: map[string]func(*testscript.TestScript, bool, []string){
		"exits": clitest.Exits,
		// waitfile F waits (up to 10 s) until F exists: a background
		// command's progress marker.
		"waitfile": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: waitfile FILE")
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
					return
				}
				if time.Now().After(deadline) {
					ts.Fatalf("%s did not appear", args[0])
				}
				time.Sleep(10 * time.Millisecond)
			}
		},
	}})
}

// TestSigningScripts runs gate sign and gate verify end to end, at a fixed
// time so that signatures are reproducible.
func TestSigningScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/signing",
		UpdateScripts: golden.Update(),
		Cmds:          map[string]func(*testscript.TestScript, bool, []string){"exits": clitest.Exits},
		Setup: func(env *testscript.Env) error {
			env.Setenv("SOURCE_DATE_EPOCH", "1764160000")
			// A -race binary sleeps 1 s at exit by default (atexit_sleep_ms):
			// the scripts exec it dozens of times.
			env.Setenv("GORACE", "atexit_sleep_ms=0")
			return nil
		},
	})
}

func keygen(args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return fmt.Errorf("usage: keygen NAME [PASSWORD]")
	}
	pk, sk, err := minisign.GenerateKey(nil)
	if err != nil {
		return err
	}
	var pw []byte
	if len(args) == 2 {
		pw = []byte(args[1])
	}
	sec, err := sk.MarshalText(pw, minisign.KDF{OpsLimit: 32768, MemLimit: 16 << 20})
	if err != nil {
		return err
	}
	pub, err := pk.MarshalText()
	if err != nil {
		return err
	}
	if err := os.WriteFile(args[0]+".key", sec, 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(args[0]+".id", []byte(pk.ID.String()+"\n"), 0o644); err != nil {
		return err
	}
	return os.WriteFile(args[0]+".pub", pub, 0o644)
}
