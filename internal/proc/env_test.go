package proc

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScrubEnv(t *testing.T) {
	t.Parallel()
	in := []string{
		"PATH=/bin", "HOME=/root", "GITHUB_TOKEN=x", "github_token=y", "GH_TOKEN=z", "ACTIONS_RUNTIME_TOKEN=t",
		"ACTIONS_ID_TOKEN_REQUEST_URL=u", "INPUT_GITHUB-TOKEN=t", "NPM_TOKEN=n", "DB_PASSWORD=p", "MY_API_KEY=k",
		"GITHUB_WORKSPACE=/w", "AETHERRA_PROFILE=test", "malformed", "=empty", "PATH=/usr/bin",
	}
	want := []string{"PATH=/usr/bin", "HOME=/root", "GITHUB_WORKSPACE=/w", "AETHERRA_PROFILE=test"}
	if diff := cmp.Diff(want, ScrubEnv(in)); diff != "" {
		t.Errorf("ScrubEnv (-want +got):\n%s", diff)
	}
}

func TestChildEnv(t *testing.T) {
	t.Parallel()
	parent := []string{"PATH=/bin", "HOME=/h", "GOFLAGS=-mod=mod", "LC_ALL=C", "CGO_ENABLED=0", "RANDOM=dropped",
		"GITHUB_TOKEN=s", "GOPRIVATE_AUTH=s", "INPUT_GITHUB-TOKEN=s", "LANGUAGE=de", "malformed"}
	got := ChildEnv(parent, map[string]string{"A": "config", "B": "config"}, map[string]string{"B": "gate", "API_TOKEN": "written"})
	want := []string{"A=config", "API_TOKEN=written", "B=gate", "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "HOME=/h", "LC_ALL=C", "PATH=/bin"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ChildEnv (-want +got):\n%s", diff)
	}
}

// TestInheritedEnvReadsTheAllowList: every name InheritedEnv asks for is
// one ChildEnv admits (no dead entries), and no secret gets through.
func TestInheritedEnvReadsTheAllowList(t *testing.T) {
	t.Parallel()
	var asked []string
	got := InheritedEnv(func(k string) string {
		asked = append(asked, k)
		return "v"
	})
	if len(got) != len(asked) {
		t.Errorf("asked for %d names, kept %d: %v", len(asked), len(got), asked)
	}
	for _, k := range asked {
		if !Inheritable(k) {
			t.Errorf("InheritedEnv reads %s, which ChildEnv would drop", k)
		}
	}
	if len(got) == 0 {
		t.Fatal("nothing inherited")
	}
	for _, kv := range got {
		if strings.Contains(strings.ToUpper(kv), "TOKEN") {
			t.Errorf("inherited %s", kv)
		}
	}
}

func TestSecret(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"GITHUB_TOKEN": true, "github_token": true, "ACTIONS_RUNTIME_TOKEN": true, "INPUT_GITHUB-TOKEN": true,
		"AWS_SECRET_ACCESS_KEY": true, "DB_PASSWORD": true, "GOPRIVATE_AUTH": true, "RUNNER_TOKEN_X": true,
		"PATH": false, "GOFLAGS": false, "RUNNER_TEMP": false, "GITHUB_SHA": false,
	} {
		if got := Secret(name); got != want {
			t.Errorf("Secret(%q) = %v, want %v", name, got, want)
		}
	}
}
