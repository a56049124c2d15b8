package gate

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"time"

	"github.com/org/gonogo-action/internal/proc"
)

// stopGrace is how long a service may take to exit after SIGTERM before its
// group is killed.
const stopGrace = 5 * time.Second

// readyPoll is the interval between readiness probes.
const readyPoll = 100 * time.Millisecond

// runningService is a started service.
type runningService struct {
	svc    Service
	cmd    *exec.Cmd
	out    *proc.TailBuffer
	done   chan struct{}
	waitEr error
}

// startServices starts every service and waits until each is ready. On
// error the services already started are stopped.
func startServices(ctx context.Context, svcs []Service, rc *RunContext, cfgEnv map[string]string) ([]*runningService, error) {
	var started []*runningService
	for _, s := range svcs {
		// Ready before it started means another process holds the address
		// (a stale run, a developer's server): its answers would pass for
		// the service's, so the gates would judge the wrong program.
		if s.Ready != "" {
			if _, ok := probe(ctx, rc.HTTP, s.Ready); ok {
				stopServices(started)
				return nil, fmt.Errorf("service %s: %s already answers before the service started; another process holds the address (stop it or change the port)", s.Name, s.Ready)
			}
		}
		rs, err := startService(ctx, s, rc, cfgEnv)
		if err != nil {
			stopServices(started)
			return nil, err
		}
		started = append(started, rs)
		if err := rs.waitReady(ctx, rc.HTTP); err != nil {
			stopServices(started)
			return nil, err
		}
	}
	return started, nil
}

func startService(ctx context.Context, s Service, rc *RunContext, cfgEnv map[string]string) (*runningService, error) {
	// The service outlives the start call, so it is not tied to ctx: it is
	// stopped explicitly (the whole group) by stopServices.
	env := proc.ChildEnv(rc.Env, cfgEnv, s.Env)
	cmd := proc.Shell(context.WithoutCancel(ctx), s.Run, rc.Dir, env)
	rs := &runningService{svc: s, cmd: cmd, out: proc.NewTailBuffer(rc.OutputCap), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = rs.out, rs.out
	if err := proc.As(cmd, rc.User); err != nil {
		return nil, fmt.Errorf("start service %s: %w", s.Name, err)
	}
	if err := proc.Start(cmd); err != nil {
		return nil, fmt.Errorf("start service %s: %w", s.Name, err)
	}
	go func() {
		rs.waitEr = cmd.Wait()
		close(rs.done)
	}()
	return rs, nil
}

// waitReady polls the ready URL until it answers 2xx, the service exits,
// the ready timeout passes or ctx ends.
func (rs *runningService) waitReady(ctx context.Context, client *http.Client) error {
	if rs.svc.Ready == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, rs.svc.ReadyTimeout)
	defer cancel()
	tick := time.NewTicker(readyPoll)
	defer tick.Stop()
	lastErr := "no answer yet"
	for {
		msg, ok := probe(ctx, client, rs.svc.Ready)
		if ok {
			return nil
		}
		if ctx.Err() == nil { // a probe cut by the deadline says nothing new
			lastErr = msg
		}
		select {
		case <-rs.done:
			return fmt.Errorf("service %s exited before it was ready (%v): %s", rs.svc.Name, rs.waitEr, tail(rs.out.String(), 5))
		case <-ctx.Done():
			if ctx.Err() == context.DeadlineExceeded {
				return fmt.Errorf("service %s not ready at %s within %s: %s", rs.svc.Name, rs.svc.Ready, rs.svc.ReadyTimeout, lastErr)
			}
			return fmt.Errorf("service %s: %w", rs.svc.Name, ctx.Err())
		case <-tick.C:
		}
	}
}

func probe(ctx context.Context, client *http.Client, url string) (string, bool) {
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(pctx, http.MethodGet, url, nil)
	if err != nil {
		return err.Error(), false
	}
	resp, err := client.Do(req)
	if err != nil {
		return err.Error(), false
	}
	resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		return "", true
	}
	return "status " + resp.Status, false
}

// stopServices stops services in reverse order: SIGTERM to the group, then
// SIGKILL after a grace period (without process groups: the service's shell
// is killed at once; see proc.Groups).
func stopServices(rs []*runningService) {
	for i := len(rs) - 1; i >= 0; i-- {
		s := rs[i]
		_ = proc.Terminate(s.cmd)
		select {
		case <-s.done:
		case <-time.After(stopGrace):
		}
		_ = proc.Kill(s.cmd)
		<-s.done
	}
}
