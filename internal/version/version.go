// Package version holds the release version, stamped at build time:
//
//	go build -ldflags "-X github.com/org/gonogo-action/internal/version.Version=v1.2.3" ./cmd/...
package version

// Version is "dev" in builds that were not stamped.
var Version = "dev"
