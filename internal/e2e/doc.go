// Package e2e holds the Docker end-to-end test of the action (build tag
// docker_e2e): the image built from the real Dockerfile runs exactly as the
// runner starts a Docker action, against a fake GitHub API served by the
// test on the loopback interface.
//
//	scripts/docker-image.sh
//	GONOGO_E2E_IMAGE=gonogo-action:e2e go test -tags docker_e2e -run TestDocker -v ./internal/e2e
package e2e
