// Command fastcheck is the fast checker of the parse-baseline benchmark:
// it reads each file named on the command line and prints the
// interpreter's JSON status line for it — PARSE_ERROR when the file holds
// the word ERROR, SUCCESS otherwise. With one file it exits 20 on a parse
// error, like the interpreter's --check. It does almost no work, so a run
// measures process handling, not checking.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
)

func main() {
	out := bufio.NewWriter(os.Stdout)
	exit := 0
	for _, f := range os.Args[1:] {
		st := map[string]any{"ok": true, "code": 0, "code_name": "SUCCESS", "file": f, "phase": "parse", "message": "", "line": nil}
		data, err := os.ReadFile(f)
		switch {
		case err != nil:
			st = map[string]any{"ok": false, "code": 26, "code_name": "IO_ERROR", "file": f, "phase": "parse", "message": err.Error(), "line": nil}
			exit = 26
		case bytes.Contains(data, []byte("ERROR")):
			line := 1 + bytes.Count(data[:bytes.Index(data, []byte("ERROR"))], []byte("\n"))
			st = map[string]any{"ok": false, "code": 20, "code_name": "PARSE_ERROR", "file": f, "phase": "parse",
				"message": "Parse error: ERROR token", "line": line}
			exit = 20
		}
		b, _ := json.Marshal(st)
		out.Write(b)
		out.WriteByte('\n')
	}
	out.Flush()
	os.Exit(exit)
}
