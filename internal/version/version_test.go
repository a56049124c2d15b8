package version_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// stampFlag is what the Dockerfile and the release workflow pass to
// -ldflags; a renamed package or variable would silently leave every
// release saying "dev".
const stampFlag = "-X github.com/org/gonogo-action/internal/version.Version="

// TestStampedBuildPrintsVersion builds the commands as a release does and
// checks that each one, and each of gate's subcommands, prints the stamp.
func TestStampedBuildPrintsVersion(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the commands; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	const stamp = "v9.8.7-stamp.test"
	bin := t.TempDir()
	build := exec.Command(goTool, "build", "-trimpath", "-buildvcs=false", "-ldflags="+stampFlag+stamp, "-o", bin+string(filepath.Separator), "./cmd/...")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ext := ""
	if runtime.GOOS == "windows" {
		ext = ".exe"
	}
	for _, args := range [][]string{
		{"gate"}, {"gate", "sign"}, {"gate", "verify"}, {"gate", "action"},
		{"parse-baseline"}, {"parse-baseline", "merge"}, {"regression"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(filepath.Join(bin, args[0]+ext), append(args[1:], "--version")...)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v: %v", cmd.Args, err)
			}
			if got, want := string(out), strings.Join(args, " ")+" "+stamp+"\n"; got != want {
				t.Errorf("%v printed %q, want %q", cmd.Args, got, want)
			}
		})
	}
}

// TestReleaseBuildsStampThisPackage checks that the two places that build
// release binaries stamp this package's variable.
func TestReleaseBuildsStampThisPackage(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"Dockerfile", filepath.Join(".github", "workflows", "release.yml")} {
		data, err := os.ReadFile(filepath.Join("..", "..", f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), stampFlag+"${VERSION}") {
			t.Errorf("%s does not build with -ldflags %q", f, stampFlag+"${VERSION}")
		}
	}
}
