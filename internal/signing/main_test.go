package signing

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/org/gonogo-action/internal/clitest"
	"github.com/org/gonogo-action/internal/golden"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/org/gonogo-action/internal/minisign"
)

// gate dispatches like cmd/gate does for its sign and verify subcommands.
func gate(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "sign":
			return SignCommand(context.Background(), args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
		case "verify":
			return VerifyCommand(context.Background(), args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
		}
	}
	fmt.Fprintln(os.Stderr, "usage: gate sign|verify ...")
	return ExitUsage
}

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gate": func() { os.Exit(gate(os.Args[1:])) },
		// keygen NAME [PASSWORD] writes NAME.pub and NAME.key (encrypted,
		// with cheap scrypt limits, when a password is given).
		"keygen": func() {
			if err := keygen(os.Args[1:]); err != nil {
				fmt.Fprintln(os.Stderr, "keygen:", err)
				os.Exit(1)
			}
			os.Exit(0)
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

func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
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
