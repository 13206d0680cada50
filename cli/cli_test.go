package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"campaigntrack/cli"
	"campaigntrack/config"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, ctx context.Context, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Run(ctx, args, cli.Env{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] },
	})
	return result{code, stdout.String(), stderr.String()}
}

func TestHelpListsEverySubcommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := run(t, context.Background(), nil, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d, %s", args, r.code, r.stderr)
		}
		for _, cmd := range []string{"serve", "migrate", "seed", "help"} {
			if !strings.Contains(r.stdout, "\n  "+cmd+" ") {
				t.Errorf("%v does not list %q:\n%s", args, cmd, r.stdout)
			}
		}
		for _, s := range config.Settings {
			if !strings.Contains(r.stdout, "--"+s.Flag) || !strings.Contains(r.stdout, s.Env) {
				t.Errorf("%v does not document --%s / %s", args, s.Flag, s.Env)
			}
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	r := run(t, context.Background(), nil, "frobnicate")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestUnopenableDatabase: a database that cannot be opened stops start-up
// with one line naming the path and the reason.
func TestUnopenableDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("these are my notes, not a database at all"), 0o644)
	for _, c := range []struct{ path, reason string }{
		{filepath.Join(dir, "missing", "x.db"), "does not exist"},
		{notDB, "not a SQLite database"},
		{dir, "is a directory"},
	} {
		r := run(t, context.Background(), nil, "serve", "--db", c.path, "--addr", "127.0.0.1:0")
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 1 || len(lines) != 1 || !strings.Contains(lines[0], c.path) || !strings.Contains(lines[0], c.reason) {
			t.Errorf("--db %s: exit %d, stderr %q; want one line naming the path and %q", c.path, r.code, r.stderr, c.reason)
		}
	}
	r := run(t, context.Background(), nil, "migrate", "--db", "postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
	if r.code != 1 || strings.Contains(r.stderr, "secret") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("unreachable PostgreSQL: exit %d, stderr %q; want one line without the password", r.code, r.stderr)
	}
}

func TestBadFlagsNameTheSetting(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--seed", "lots"}, nil, "--seed"},
		{nil, map[string]string{"CAMPAIGNTRACK_ADDR": "nonsense"}, "CAMPAIGNTRACK_ADDR"},
		{[]string{"--log-level", "loud"}, nil, "--log-level"},
		{[]string{"--db", " "}, nil, "--db"},
		{[]string{"extra"}, nil, "unexpected argument"},
	} {
		r := run(t, context.Background(), c.env, append([]string{"migrate"}, c.args...)...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v %v: exit %d, stderr %q; want it to name %s", c.args, c.env, r.code, r.stderr, c.want)
		}
	}
}

func TestServeSeedsOnceAndShutsDown(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "campaigntrack.db")
	serveOnce := func(seed string) string {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ready := make(chan string, 1)
		done := make(chan result, 1)
		var stdout, stderr bytes.Buffer
		go func() {
			code := cli.Run(ctx, []string{"--addr", "127.0.0.1:0", "--seed", seed}, cli.Env{
				Stdout: &stdout, Stderr: &stderr,
				Getenv: func(k string) string { return map[string]string{"CAMPAIGNTRACK_DB": dbPath}[k] },
				Ready:  func(addr string) { ready <- addr },
			})
			done <- result{code: code}
		}()
		var addr string
		select {
		case addr = <-ready:
		case r := <-done:
			t.Fatalf("serve exited %d before listening: %s", r.code, stderr.String())
		}
		resp, err := http.Get(fmt.Sprintf("http://%s/campaigns/no-tech-for-ice", addr))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cancel()
		select {
		case r := <-done:
			if r.code != 0 {
				t.Fatalf("serve exited %d: %s", r.code, stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not shut down after its context ended")
		}
		return resp.Status
	}
	if got := serveOnce("demo"); got != "200 OK" {
		t.Fatalf("first start with the demo seed: campaign page %s", got)
	}
	// The second start finds the database already there and changes nothing.
	if got := serveOnce("demo"); got != "200 OK" {
		t.Fatalf("second start: campaign page %s", got)
	}
	r := run(t, context.Background(), nil, "seed", "--db", dbPath)
	if r.code != 0 || !strings.Contains(r.stdout, "already there") {
		t.Fatalf("seed on a seeded database: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestSeedNoneStartsEmpty(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "empty.db")
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--db", dbPath, "--addr", "127.0.0.1:0", "--seed", "none"}, cli.Env{
			Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: func(string) string { return "" },
			Ready: func(addr string) { ready <- addr },
		})
	}()
	addr := <-ready
	resp, err := http.Get("http://" + addr + "/campaigns/no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	<-done
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("with --seed none the demo campaign answers %d, want 404", resp.StatusCode)
	}
}

// TestUsersAddBeforeFirstServeStillSeeds: preparing the first admin before
// the first start does not cost the demo campaign.
func TestUsersAddBeforeFirstServeStillSeeds(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "prepared.db")
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), []string{"users", "add", "--db", dbPath, "--email", "admin@example.org", "--role", "admin"}, cli.Env{
		Stdin: strings.NewReader("a long enough password\n"), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" },
	})
	if code != 0 {
		t.Fatalf("users add: %d %s", code, stderr.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--db", dbPath, "--addr", "127.0.0.1:0"}, cli.Env{
			Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: func(string) string { return "" },
			Ready: func(addr string) { ready <- addr },
		})
	}()
	addr := <-ready
	resp, err := http.Get("http://" + addr + "/campaigns/no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	<-done
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the demo campaign answers %d after users add then serve, want 200", resp.StatusCode)
	}
}

// TestMalformedMailSettingsStopStartUp: a wrong --smtp-url, --mail-from
// or --mail-keep stops start-up with one line naming the setting, and the
// password in an SMTP URL is never echoed.
func TestMalformedMailSettingsStopStartUp(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "x.db")
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--smtp-url", "ftp://mail.example.org"}, nil, "--smtp-url"},
		{[]string{"--smtp-url", "smtp://user:hunter2secret@:25"}, nil, "--smtp-url"},
		{[]string{"--smtp-url", "smtp://user:hunter2secret@mail.example.org:99999"}, nil, "--smtp-url"},
		{[]string{"--smtp-url", "smtp://user:hunter2secret@mail example.org"}, nil, "--smtp-url"},
		{nil, map[string]string{"CAMPAIGNTRACK_SMTP_URL": "smtps://"}, "CAMPAIGNTRACK_SMTP_URL"},
		{[]string{"--mail-from", "not an address"}, nil, "--mail-from"},
		{[]string{"--mail-from", "Evil\r\nBcc: x@example.org <a@example.org>"}, nil, "--mail-from"},
		{[]string{"--mail-keep", "forever"}, nil, "--mail-keep"},
	} {
		r := run(t, context.Background(), c.env, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, c.args...)...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code == 0 || len(lines) != 1 || !strings.Contains(lines[0], c.want) || strings.Contains(r.stderr, "hunter2secret") {
			t.Errorf("%v %v: exit %d, stderr %q; want one line naming %s, no password", c.args, c.env, r.code, r.stderr, c.want)
		}
	}
}
