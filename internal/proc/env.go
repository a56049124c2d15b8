package proc

import (
	"maps"
	"slices"
	"strings"
)

// The deny-list: names a child process never inherits, whatever admits
// them. The runner passes ACTIONS_RUNTIME_TOKEN, INPUT_<NAME> (including
// github-token) and friends into the container, and gates, services and
// checkers run code from the repository under review.
var (
	secretNames = []string{
		"GITHUB_TOKEN", "GH_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN",
		"AWS_SECRET_ACCESS_KEY", "NPM_CONFIG__AUTH", "DOCKER_AUTH_CONFIG",
	}
	secretPrefixes = []string{"ACTIONS_", "INPUT_", "RUNNER_TOKEN"}
	secretSuffixes = []string{"_TOKEN", "_SECRET", "_SECRETS", "_PASSWORD", "_PASSWD", "_API_KEY", "_APIKEY",
		"_ACCESS_KEY", "_PRIVATE_KEY", "_CREDENTIALS", "_AUTH"}
)

// The allow-list: what gate and service processes inherit from the parent;
// everything else is dropped. Checkers are not bound by it (ScrubEnv): a
// parse-baseline run hands its checker the caller's environment minus the
// deny-list, because a checker's settings are the caller's to choose.
var (
	allowNames = []string{
		"PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "TZ", "LANG", "TMPDIR",
		"CI", "GITHUB_WORKSPACE", "GITHUB_SHA", "GITHUB_REF", "GITHUB_REPOSITORY",
		"GITHUB_RUN_ID", "GITHUB_EVENT_NAME", "RUNNER_OS", "RUNNER_TEMP",
		"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
		"SSL_CERT_FILE", "SSL_CERT_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
	}
	// allowFamilies admit every name with the prefix (the Go toolchain's
	// settings, so `go run` services work; locales). The members listed are
	// the ones InheritedEnv asks a getenv for, which cannot enumerate.
	allowFamilies = []struct {
		prefix  string
		members []string
	}{
		{"GO", []string{"GOPATH", "GOROOT", "GOCACHE", "GOMODCACHE", "GOFLAGS", "GOPROXY", "GOSUMDB", "GONOSUMDB",
			"GOPRIVATE", "GONOPROXY", "GOINSECURE", "GOTOOLCHAIN", "GOENV", "GOTMPDIR", "GOWORK", "GODEBUG",
			"GOMAXPROCS", "GOOS", "GOARCH", "GOAMD64"}},
		{"CGO_", []string{"CGO_ENABLED"}},
		{"LC_", []string{"LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_NUMERIC", "LC_TIME"}},
	}
)

// Secret reports whether an environment variable name is on the deny-list:
// it looks like it holds a credential. Names compare case-insensitively.
func Secret(name string) bool {
	n := strings.ToUpper(name)
	if slices.Contains(secretNames, n) {
		return true
	}
	for _, p := range secretPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// Inheritable reports whether a parent variable may reach gate and service
// processes: allow-listed and not a Secret.
func Inheritable(name string) bool {
	if Secret(name) {
		return false
	}
	if slices.Contains(allowNames, name) {
		return true
	}
	for _, f := range allowFamilies {
		if strings.HasPrefix(name, f.prefix) {
			return true
		}
	}
	return false
}

// ScrubEnv returns env ("NAME=value" entries) without the deny-list and
// without malformed entries; when a name repeats, the last entry wins, as
// in os/exec. It is the checker's environment.
func ScrubEnv(env []string) []string {
	seen := make(map[string]int, len(env))
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, ok := strings.Cut(kv, "=")
		if !ok || name == "" || Secret(name) {
			continue
		}
		if i, dup := seen[name]; dup {
			out[i] = kv
			continue
		}
		seen[name] = len(out)
		out = append(out, kv)
	}
	return out
}

// ChildEnv builds a gate's or service's environment, sorted: the
// Inheritable part of parent, then each layer in order (config env, gate or
// service env, run values). Values set explicitly in the configuration are
// the user's choice and are kept even when their names look secret.
func ChildEnv(parent []string, layers ...map[string]string) []string {
	m := map[string]string{}
	for _, kv := range parent {
		k, v, ok := strings.Cut(kv, "=")
		if ok && Inheritable(k) {
			m[k] = v
		}
	}
	for _, l := range layers {
		maps.Copy(m, l)
	}
	out := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, k+"="+m[k])
	}
	return out
}

// InheritedEnv reads the allow-listed variables through getenv (a CLI's
// injected os.Getenv) and returns the set ones as NAME=value pairs: the
// parent environment to hand to ChildEnv.
func InheritedEnv(getenv func(string) string) []string {
	names := slices.Clone(allowNames)
	for _, f := range allowFamilies {
		names = append(names, f.members...)
	}
	var out []string
	for _, k := range names {
		if v := getenv(k); v != "" && Inheritable(k) {
			out = append(out, k+"="+v)
		}
	}
	return out
}
