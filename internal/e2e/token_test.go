package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/github"
	"github.com/org/gonogo-action/internal/github/ghfake"
)

// huntConfig is one gate that hunts for the credentials the runner hands
// the container: in every /proc/<pid>/environ and cmdline it can read
// (PID 1's and the action's among them), in `ps`, in its own
// environment. It fails on any sight of them. The patterns are written so
// that no command line (this script's is in /proc too) contains a token:
// "ghs_e2e[t]oken" does not match itself. It fails too when it could not
// read even its own environment (a hunt that saw nothing proves nothing),
// and prints its uid and whether it could write into the workspace and
// its HOME.
const huntConfig = `version: 1
gates:
  - id: hunt
    title: No token within reach of a gate
    run: |
      pat='ghs_e2e[t]oken|runtime-[s]ecret|idtoken-[s]ecret|runtime-[u]rl-secret'
      found=0
      tmp=$(mktemp -d)
      cat /proc/self/environ > "$tmp/self" || { echo "cannot read its own environ"; exit 3; }
      for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline /proc/1/environ /proc/$PPID/environ; do
        if cat "$f" > "$tmp/f" 2>/dev/null && tr '\0' '\n' < "$tmp/f" | grep -qE "$pat"; then
          echo "token in $f"; found=1
        fi
      done
      cat /proc/1/environ /proc/$PPID/environ 2>&1 | tr '\0' '\n' | grep -E "$pat" && found=1
      ps e 2>&1 | grep -E "$pat" && found=1
      ps -o pid,user,args 2>&1 | grep -E "$pat" && found=1
      env | grep -E "$pat" && found=1
      if echo hunted > hunted.txt 2>/dev/null; then echo "workspace writable"; else echo "workspace not writable"; fi
      touch "$HOME/.probe" 2>/dev/null && echo "home writable"
      echo "uid=$(id -u) gid=$(id -g) groups=$(id -G) home=$HOME"
      exit $found
`

// secrets are what the runner passes; the hunt's patterns match each.
var secrets = map[string]string{
	"ACTIONS_RUNTIME_TOKEN":          "runtime-secret",
	"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "idtoken-secret",
	"ACTIONS_RUNTIME_URL":            "https://runtime-url-secret.invalid/",
}

// TestDockerTokenOutOfReach runs the image as the runner does, with the
// workspace owned by the runner's user (uid 1001 on GitHub's hosted
// runners): a gate hunting for the token finds nothing, and the action
// still posts its comment with it (the fake API checks the Authorization
// header of every call).
func TestDockerTokenOutOfReach(t *testing.T) {
	img := image(t)

	t.Run("a gate of a pull request finds no token", func(t *testing.T) {
		api := ghfake.NewAPI(t, token)
		var body string
		api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{}))
		api.On("POST", "/repos/o/r/issues/7/comments", captureBody(&body))
		api.On("POST", "/repos/o/r/statuses/headsha", ghfake.JSON(201, map[string]any{"id": 1}))
		r, code, out := dockerRunWith(t, img, setup{config: huntConfig, owner: "1001:1001"}, api.URL(), "pull_request", prEvent("headsha"), secrets)
		results := readIf(r.ws, "gate_results.json")
		if code != 0 {
			t.Fatalf("exit %d (the hunt found a token?):\n%s\n%s", code, out, results)
		}
		for _, want := range []string{"uid=1001 gid=1001 groups=1001 ", "workspace writable", "home writable"} {
			if !strings.Contains(results, want) {
				t.Errorf("the hunt's output lacks %q:\n%s", want, results)
			}
		}
		if !strings.Contains(out, "gates, services and checkers run as uid 1001, gid 1001") {
			t.Errorf("the log does not say who the gates run as:\n%s", out)
		}
		if !strings.Contains(body, "No token within reach of a gate") {
			t.Errorf("the comment lacks the gate:\n%s", body)
		}
	})

	t.Run("a workspace of root's: gates run as nobody", func(t *testing.T) {
		api := ghfake.NewAPI(t, token) // a push posts nothing
		r, code, out := dockerRunWith(t, img, setup{config: huntConfig, owner: "0:0"}, api.URL(), "push", map[string]any{"ref": "refs/heads/main"}, secrets)
		results := readIf(r.ws, "gate_results.json")
		if code != 0 {
			t.Fatalf("exit %d:\n%s\n%s", code, out, results)
		}
		for _, want := range []string{"uid=65534 gid=65534 groups=65534 ", "workspace not writable", "home writable"} {
			if !strings.Contains(results, want) {
				t.Errorf("the hunt's output lacks %q:\n%s", want, results)
			}
		}
		if !strings.Contains(out, "a workspace that root owns is not theirs to write in") {
			t.Errorf("no word that gates cannot write in the workspace:\n%s", out)
		}
	})
}

func captureBody(got *string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Body string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		*got = in.Body
		ghfake.JSON(201, ghfake.Comment(900, github.DefaultBot, in.Body))(w, r)
	}
}

// readIf reads a file the run may not have written ("" then).
func readIf(dir, name string) string {
	b, _ := os.ReadFile(filepath.Join(dir, name))
	return string(b)
}
