// Package e2e holds the Docker end-to-end test of the action: the image built from the real Dockerfile runs exactly as the
// runner starts a Docker action, against a fake GitHub API served by the
// test on the loopback interface.
//
//	scripts/docker-image.sh
//	GONOGO_E2E_IMAGE=gonogo-action:e2e go test -run TestDocker -v ./internal/e2e
//
// Without GONOGO_E2E_IMAGE the test skips, unless GONOGO_FULL_TESTS is set
// (as .ci/run does): then it fails.
package e2e
