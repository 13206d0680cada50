package e2e

// Processes for the tests that need no browser: servers a test can kill
// outright (startServerWithDB insists its server lives to the end), the
// load tool built from this checkout, and what they leave behind: the
// kept count, the signature rows, the -ack file and the tool's report.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	// buildTimeout bounds go build of the load tool; a cold build cache
	// takes a while. A guard against a hang, not a budget.
	buildTimeout = 5 * time.Minute
	// waitDelay bounds how long Wait waits for a killed process's output
	// pipes to close.
	waitDelay = 5 * time.Second
)

// proc is a process a test started. On cleanup it is stopped if it still
// runs (SIGTERM, then SIGKILL after stopTimeout), whatever the test's
// outcome, and its output is logged if the test failed.
type proc struct {
	name           string
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
	exited         chan struct{}
	waitErr        error // set before exited is closed
}

// startProc starts the program at path with args and the test's
// environment without CAMPAIGNTRACK_* settings (see serverEnv).
func startProc(t *testing.T, name, path string, args ...string) *proc {
	t.Helper()
	return startProcEnv(t, name, serverEnv(), path, args...)
}

// startProcEnv is startProc with the environment env.
func startProcEnv(t *testing.T, name string, env []string, path string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, exited: make(chan struct{})}
	p.cmd = exec.Command(path, args...)
	p.cmd.Env = env
	p.cmd.Stdout = &p.stdout
	p.cmd.Stderr = &p.stderr
	p.cmd.WaitDelay = waitDelay
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s (%s): %v", name, path, err)
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		if p.running() {
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.exited:
			case <-time.After(stopTimeout):
				t.Errorf("%s still running %s after SIGTERM; killing it", p.name, stopTimeout)
				_ = p.cmd.Process.Kill()
				<-p.exited
			}
		}
		if t.Failed() {
			t.Logf("%s (pid %d, %s) output:\n%s%s", p.name, p.cmd.Process.Pid, p.state(), p.stdout.String(), p.stderr.String())
		}
	})
	return p
}

func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// state says how the process ended, or that it runs.
func (p *proc) state() string {
	if p.running() {
		return "running"
	}
	if p.waitErr != nil {
		return p.waitErr.Error()
	}
	return "exit status 0"
}

// wait waits up to timeout for the process to exit and returns its exit
// status; the test fails if it does not exit (cleanup then stops it).
func (p *proc) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(timeout):
		t.Fatalf("%s still running after %s", p.name, timeout)
	}
	var exit *exec.ExitError
	if p.waitErr != nil && !errors.As(p.waitErr, &exit) {
		t.Fatalf("%s: %v", p.name, p.waitErr)
	}
	return p.cmd.ProcessState.ExitCode()
}

// signal sends sig and waits up to timeout for the process to exit.
func (p *proc) signal(t *testing.T, sig syscall.Signal, timeout time.Duration) {
	t.Helper()
	if !p.running() {
		t.Fatalf("%s exited before it was sent %s: %s", p.name, sig, p.state())
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("sending %s to %s: %v", sig, p.name, err)
	}
	select {
	case <-p.exited:
	case <-time.After(timeout):
		t.Fatalf("%s still running %s after %s", p.name, timeout, sig)
	}
}

// startServerProc runs campaigntrack serve on db (a SQLite path or a
// PostgreSQL URL) with the extra flags, on a free port, waits until
// /healthz answers 200, and returns the process and its base URL. Unlike
// startServerWithDB, the test may kill it.
func startServerProc(t *testing.T, name, db string, extra ...string) (*proc, string) {
	t.Helper()
	return startServerProcWith(t, name, serverEnv(), []string{binPath}, db, extra...)
}

// startServerProcWith is startServerProc with the environment env, the
// server run as command (the binary, or a wrapper and its arguments
// ending with the binary) followed by serve and its flags.
func startServerProcWith(t *testing.T, name string, env, command []string, db string, extra ...string) (*proc, string) {
	t.Helper()
	// See startServerWithDB: ties go test's cached result to the sources
	// of both binaries.
	sourcesSeen.Do(func() {
		if err := statSources(repoRoot); err != nil {
			t.Fatalf("reading the sources: %v", err)
		}
	})
	addr := freeAddr(t)
	args := append(append(command[1:len(command):len(command)], "serve", "--db", db, "--addr", addr), extra...)
	p := startProcEnv(t, name, env, command[0], args...)
	base := "http://" + addr
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startTimeout)
	for {
		if !p.running() {
			t.Fatalf("%s exited before it was ready: %s", name, p.state())
		}
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, base
			}
			err = fmt.Errorf("GET /healthz: status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready on %s within %s: %v", name, addr, startTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// buildLoadTool builds cmd/campaigntrack-load into the test's temporary
// directory, as TestMain builds campaigntrack, and returns its path. The
// build cache makes a second build a link.
func buildLoadTool(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "campaigntrack-load")
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", path, "./cmd/campaigntrack-load")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/campaigntrack-load in %s: %v\n%s", repoRoot, err, out)
	}
	return path
}

// loadReport is the part of campaigntrack-load's -json report the tests
// read.
type loadReport struct {
	OK          bool     `json:"ok"`
	Interrupted bool     `json:"interrupted"`
	Problems    []string `json:"problems"`
	Sign        *struct {
		Requests     int64            `json:"requests"`
		Successes    int64            `json:"successes"`
		Errors       int64            `json:"errors"`
		ErrorsByKind map[string]int64 `json:"errors_by_kind"`
		Throughput   float64          `json:"throughput_per_s"`
		ByURL        []struct {
			URL       string `json:"url"`
			Requests  int64  `json:"requests"`
			Successes int64  `json:"successes"`
			Errors    int64  `json:"errors"`
		} `json:"by_url"`
		Ack *struct {
			Lines int64  `json:"lines"`
			Error string `json:"error"`
		} `json:"ack"`
		Count *struct {
			Before int64  `json:"before"`
			After  int64  `json:"after"`
			OK     bool   `json:"ok"`
			Error  string `json:"error"`
		} `json:"signature_count"`
	} `json:"sign"`
}

// parseLoadReport reads the JSON report that follows the text one on the
// tool's standard output.
func parseLoadReport(t *testing.T, stdout string) loadReport {
	t.Helper()
	i := strings.Index(stdout, "\n{\n")
	if i < 0 {
		t.Fatalf("campaigntrack-load printed no JSON report:\n%s", stdout)
	}
	var r loadReport
	if err := json.NewDecoder(strings.NewReader(stdout[i+1:])).Decode(&r); err != nil {
		t.Fatalf("decoding campaigntrack-load's JSON report: %v\n%s", err, stdout[i+1:])
	}
	if r.Sign == nil || r.Sign.Ack == nil {
		t.Fatalf("campaigntrack-load's report has no sign side or no ack file:\n%s", stdout)
	}
	return r
}

// textReport is the text part of the tool's report, for the log.
func textReport(stdout string) string {
	if i := strings.Index(stdout, "\n{\n"); i >= 0 {
		return stdout[:i+1]
	}
	return stdout
}

// countLines counts the complete lines in the file; a missing file has
// none.
func countLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte{'\n'})
}

// readAckFile reads an -ack file: one email a line, each once.
func readAckFile(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the ack file: %v", err)
	}
	if len(b) == 0 {
		return nil
	}
	if b[len(b)-1] != '\n' {
		t.Errorf("the ack file ends in a cut line: %q", b[max(0, len(b)-80):])
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	seen := make(map[string]bool, len(lines))
	for _, l := range lines {
		if !strings.HasSuffix(l, "@example.org") || seen[l] {
			t.Errorf("ack file: line %q is not a new signer's email", l)
		}
		seen[l] = true
	}
	return lines
}

// signatureCount reads the demo campaign's kept count from the JSON API.
func signatureCount(t *testing.T, base string) int64 {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(base + "/api/campaigns/" + demoSlug)
	if err != nil {
		t.Fatalf("reading the count: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/api/campaigns/%s: status %d", base, demoSlug, resp.StatusCode)
	}
	var v struct {
		Count *int64 `json:"signature_count"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Count == nil {
		t.Fatalf("GET %s/api/campaigns/%s: no signature_count (%v)", base, demoSlug, err)
	}
	return *v.Count
}

// exportedEmails exports the demo campaign's signatures with the CLI
// (campaigntrack signatures export) and returns every row's email.
func exportedEmails(t *testing.T, db string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "export.csv")
	runCLI(t, "", "signatures", "export", "--db", db, "--campaign", demoSlug, "--out", out)
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		t.Fatalf("reading the export's header: %v", err)
	}
	col := slices.Index(header, "email")
	if col < 0 {
		t.Fatalf("the export has no email column: %q", header)
	}
	var emails []string
	for {
		row, err := r.Read()
		if err == io.EOF {
			return emails
		}
		if err != nil {
			t.Fatalf("reading the export: %v", err)
		}
		emails = append(emails, row[col])
	}
}

// missingAcked returns the acknowledged emails that are not rows.
func missingAcked(acked, rows []string) []string {
	stored := make(map[string]bool, len(rows))
	for _, e := range rows {
		stored[e] = true
	}
	var missing []string
	for _, e := range acked {
		if !stored[e] {
			missing = append(missing, e)
		}
	}
	return missing
}

// reportMissing fails the test with the acknowledged signatures that were
// lost, a few named.
func reportMissing(t *testing.T, missing []string, acked int) {
	t.Helper()
	if len(missing) == 0 {
		return
	}
	t.Errorf("%d of %d acknowledged signatures are not in the database, for example %q",
		len(missing), acked, missing[:min(len(missing), 10)])
}

// recountReportsNoDrift runs campaigntrack signatures recount and checks
// that the kept counts already matched the rows.
func recountReportsNoDrift(t *testing.T, db string) {
	t.Helper()
	out := runCLI(t, "", "signatures", "recount", "--db", db)
	if !strings.Contains(out, "no drift") || strings.Contains(out, "drift +") || strings.Contains(out, "drift -") {
		t.Errorf("signatures recount found drift:\n%s", out)
	}
	t.Logf("signatures recount: %s", strings.TrimSpace(out))
}
