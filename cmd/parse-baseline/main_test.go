package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/org/gonogo-action/examples/aetherra/legacy/lint"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/clitest"
	"github.com/org/gonogo-action/internal/golden"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"parse-baseline": func() {
			os.Exit(run(context.Background(), os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv))
		},
		"fakecheck": fakecheck,
		// The migration example's checker, as users build it.
		"aether-lint": func() { os.Exit(lint.Main(os.Args[1:], os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:           filepath.Join("testdata", "script"),
		UpdateScripts: golden.Update(),
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": clitest.Exits,
			// mkfile NAME CONTENT: NAME and CONTENT are Go-quoted, so a
			// name may hold a newline.
			"mkfile": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: mkfile NAME CONTENT")
				}
				n, err := strconv.Unquote(args[0])
				ts.Check(err)
				c, err := strconv.Unquote(args[1])
				ts.Check(err)
				p := ts.MkAbs(n)
				ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
				ts.Check(os.WriteFile(p, []byte(c), 0o644))
			},
			// replace FILE OLD NEW: every OLD in FILE becomes NEW (a person
			// filling in a template); OLD must occur.
			"replace": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 3 || neg {
					ts.Fatalf("usage: replace FILE OLD NEW")
				}
				data := ts.ReadFile(args[0])
				if !strings.Contains(data, args[1]) {
					ts.Fatalf("%s holds no %q", args[0], args[1])
				}
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.ReplaceAll(data, args[1], args[2])), 0o644))
			},
		},
	})
}

// fakecheck is a checker whose behaviour each file's first line chooses:
//
//	ok | parse LINE MSG | exit CODE MSG | say MSG | hang | hangchild |
//	crash | panic | flood | binary | skip | env | args
//
// --json prints the interpreter's JSON status line per file (and so can
// check a batch); --code prints AETHER_ERROR_CODE:<n> on stderr; neither
// speaks only through exit codes and words.
func fakecheck() {
	var jsonMode, codeMode bool
	var files []string
	for _, a := range os.Args[1:] {
		switch a {
		case "--json":
			jsonMode = true
		case "--code":
			codeMode = true
		case "--sleep":
			time.Sleep(time.Hour)
		default:
			files = append(files, a)
		}
	}
	exit := 0
	status := func(f string, ok bool, code int, name, msg string, line int) {
		if jsonMode {
			b, _ := json.Marshal(map[string]any{"ok": ok, "code": code, "code_name": name, "file": f,
				"phase": "parse", "message": msg, "line": line})
			fmt.Println(string(b))
			return
		}
		if !ok {
			fmt.Fprintln(os.Stderr, msg)
			if codeMode {
				fmt.Fprintf(os.Stderr, "AETHER_ERROR_CODE:%d\n", code)
			}
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(26)
		}
		line, _, _ := strings.Cut(string(data), "\n")
		kind, rest, _ := strings.Cut(line, " ")
		switch kind {
		case "ok":
			status(f, true, 0, "SUCCESS", "", 0)
		case "parse":
			n, msg, _ := strings.Cut(rest, " ")
			ln, _ := strconv.Atoi(n)
			status(f, false, 20, "PARSE_ERROR", fmt.Sprintf("Parse error line %d: %s", ln, msg), ln)
			exit = max(exit, 1)
			if !jsonMode && !codeMode {
				exit = 20
			}
		case "exit":
			n, msg, _ := strings.Cut(rest, " ")
			fmt.Fprintln(os.Stderr, msg)
			c, _ := strconv.Atoi(n)
			os.Exit(c)
		case "say":
			fmt.Fprintln(os.Stderr, rest)
			os.Exit(1)
		case "hang":
			time.Sleep(time.Hour)
		case "hangchild":
			// A grandchild that holds the pipes, as a forking interpreter would.
			c := exec.Command(os.Args[0], "--sleep")
			c.Stdout, c.Stderr = os.Stdout, os.Stderr
			_ = c.Start()
			time.Sleep(time.Hour)
		case "crash":
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			time.Sleep(time.Hour)
		case "panic":
			panic("fake checker bug")
		case "flood":
			w := bufio.NewWriter(os.Stdout)
			junk := strings.Repeat("x", 1<<20)
			for range 20 {
				w.WriteString(junk)
				fmt.Fprintln(os.Stderr, "noise "+junk[:1000])
			}
			w.Flush()
			fmt.Fprintln(os.Stderr, "Parse error line 9: after the flood")
			os.Exit(1)
		case "binary":
			os.Stderr.Write([]byte("Parse error line 2: \xff\xfe\x00 bad bytes\n"))
			os.Exit(1)
		case "skip":
			// Says nothing about this file.
		case "env":
			status(f, false, 27, "INTERNAL_ERROR", "token="+os.Getenv("GITHUB_TOKEN")+" runtime="+os.Getenv("ACTIONS_RUNTIME_TOKEN")+
				" input="+os.Getenv("INPUT_GITHUB-TOKEN")+" keep="+os.Getenv("KEEP_ME"), 0)
			exit = max(exit, 1)
		case "args":
			status(f, false, 25, "VALIDATION_ERROR", fmt.Sprintf("argc=%d arg=%q", len(files), f), 0)
			exit = max(exit, 1)
		default:
			fmt.Fprintf(os.Stderr, "fakecheck: unknown directive %q\n", kind)
			os.Exit(3)
		}
	}
	os.Exit(exit)
}
