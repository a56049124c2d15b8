# The gonogo-action image: the three CLIs (gate, parse-baseline, regression),
# CA certificates and a POSIX shell for `run:` gates, nothing else.
#
#   docker build --build-arg VERSION=v1.2.3 -t gonogo-action .
#
# Bases are pinned by digest (update them together with the tags). The build
# stage runs on the build platform and cross-compiles, so multi-platform
# builds need no emulation. BuildKit sets BUILDPLATFORM itself; the default
# serves the legacy builder.
ARG BUILDPLATFORM=linux/amd64

FROM --platform=$BUILDPLATFORM golang:1.26@sha256:3aff6657219a4d9c14e27fb1d8976c49c29fddb70ba835014f477e1c70636647 AS build
ARG TARGETOS=linux
ARG TARGETARCH=amd64
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# ./cmd/... builds every command present, so the file needs no change as
# commands are added. Static (CGO_ENABLED=0), reproducible (-trimpath, no VCS
# stamp), version stamped.
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -buildvcs=false \
      -ldflags="-s -w -X github.com/org/gonogo-action/internal/version.Version=${VERSION}" \
      -o /out/ ./cmd/... \
 && ls -l /out/

# busybox (musl, static) is the POSIX shell and coreutils for `run:` gates,
# in about 1.5 MB.
FROM busybox:1.37.0-musl@sha256:222ad6d973c0d198014546a65cd02c5fdedcc172123c5b4c2bf0af636550bd94
ARG VERSION=dev
LABEL org.opencontainers.image.title="gonogo-action" \
      org.opencontainers.image.description="Go / no-go release gates with a parse-baseline ratchet" \
      org.opencontainers.image.source="https://github.com/org/gonogo-action" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/ /usr/local/bin/
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
# No USER: GitHub runs Docker actions as root, and the workspace and file
# command files it mounts (/github/workspace, /github/file_commands) belong
# to the runner's user; a non-root user could not write the outputs or the
# job summary. https://docs.github.com/en/actions/sharing-automations/creating-actions/dockerfile-support-for-github-actions#user
# Root is the action's alone: it runs gates, services and checkers as the
# workspace's owner (uid 1001 on hosted runners; nobody, 65534, when root
# owns it) with no_new_privs, and keeps itself non-dumpable, so they cannot
# read the token in its or PID 1's environment. The uids need no passwd
# entry: the action gives them a HOME of their own.
WORKDIR /github/workspace
# Exec form, so the binary gets signals directly. It is PID 1 (the runner
# passes no --init): `gate` detects that and acts as a minimal init, running
# the real work as its child and reaping every orphaned grandchild (see
# internal/reap).
ENTRYPOINT ["/usr/local/bin/gate", "action"]
