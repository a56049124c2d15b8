package gate

import (
	"maps"
	"slices"
	"strings"
)

// allowedEnv are inherited variables gate and service processes may see;
// everything else from the parent (GITHUB_TOKEN, ACTIONS_RUNTIME_TOKEN,
// INPUT_*, cloud credentials…) is dropped. The runner hands a Docker action
// its runtime tokens, so inheriting the environment would leak them.
var allowedEnv = []string{
	"PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "TZ", "LANG", "TMPDIR",
	"CI", "GITHUB_WORKSPACE", "GITHUB_SHA", "GITHUB_REF", "GITHUB_REPOSITORY",
	"GITHUB_RUN_ID", "GITHUB_EVENT_NAME", "RUNNER_OS", "RUNNER_TEMP",
	"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
	"SSL_CERT_FILE", "SSL_CERT_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
}

// allowedPrefixes admit whole families (the Go toolchain's settings, so
// `go run` services work; locales).
var allowedPrefixes = []string{"LC_", "GO", "CGO_"}

// secretMarkers name variables that hold credentials; they are dropped even
// when a prefix would admit them.
var secretMarkers = []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE_KEY", "AUTH"}

// deniedPrefixes are never inherited.
var deniedPrefixes = []string{"ACTIONS_", "INPUT_"}

// inheritable reports whether a parent variable may reach gate processes.
func inheritable(name string) bool {
	upper := strings.ToUpper(name)
	for _, p := range deniedPrefixes {
		if strings.HasPrefix(upper, p) {
			return false
		}
	}
	for _, m := range secretMarkers {
		if strings.Contains(upper, m) {
			return false
		}
	}
	if slices.Contains(allowedEnv, name) {
		return true
	}
	for _, p := range allowedPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// childEnv builds a child environment: the allow-listed part of parent,
// then each layer in order (config env, gate or service env, run values).
// Values set explicitly in the configuration are the user's choice and are
// kept even when their names look secret.
func childEnv(parent []string, layers ...map[string]string) []string {
	m := map[string]string{}
	for _, kv := range parent {
		k, v, ok := strings.Cut(kv, "=")
		if ok && inheritable(k) {
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

// goEnv are the Go toolchain's settings, so a `go run` service or gate
// finds its caches and module settings.
var goEnv = []string{
	"GOPATH", "GOROOT", "GOCACHE", "GOMODCACHE", "GOFLAGS", "GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE",
	"GONOPROXY", "GOINSECURE", "GOTOOLCHAIN", "GOENV", "GOTMPDIR", "GOWORK", "GODEBUG", "GOMAXPROCS",
	"GOOS", "GOARCH", "GOAMD64", "CGO_ENABLED",
}

var localeEnv = []string{"LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_NUMERIC", "LC_TIME", "LANGUAGE"}

// InheritedEnv reads the allow-listed variables through getenv (a CLI's
// injected os.Getenv) and returns them as KEY=VALUE pairs for
// Options.Environ.
func InheritedEnv(getenv func(string) string) []string {
	var out []string
	for _, list := range [][]string{allowedEnv, goEnv, localeEnv} {
		for _, k := range list {
			if v := getenv(k); v != "" && inheritable(k) {
				out = append(out, k+"="+v)
			}
		}
	}
	return out
}
