package checker

import "strings"

// secretPrefixes and secretSuffixes name environment variables a checker
// never needs and must never see: the runner passes ACTIONS_RUNTIME_TOKEN,
// INPUT_<NAME> (including github-token) and friends into the container, and
// a checker runs code from the repository under review.
var (
	secretNames = map[string]bool{
		"GITHUB_TOKEN": true, "GH_TOKEN": true, "GH_ENTERPRISE_TOKEN": true, "GITHUB_ENTERPRISE_TOKEN": true,
		"AWS_SECRET_ACCESS_KEY": true, "NPM_CONFIG__AUTH": true, "DOCKER_AUTH_CONFIG": true,
	}
	secretPrefixes = []string{"ACTIONS_", "INPUT_", "RUNNER_TOKEN"}
	secretSuffixes = []string{"_TOKEN", "_SECRET", "_SECRETS", "_PASSWORD", "_PASSWD", "_API_KEY", "_APIKEY",
		"_ACCESS_KEY", "_PRIVATE_KEY", "_CREDENTIALS", "_AUTH"}
)

// Secret reports whether an environment variable name looks like it holds
// a credential. Names compare case-insensitively.
func Secret(name string) bool {
	n := strings.ToUpper(name)
	if secretNames[n] {
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

// ScrubEnv returns env ("NAME=value" entries) without credentials and
// without malformed entries; when a name repeats, the last entry wins, as
// in os/exec.
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
