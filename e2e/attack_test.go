package e2e

// Attacks on the real binary: the load tool floods a server started with
// its default settings, and the tests read what the flood cost the
// process from /proc (peak resident memory, open files) and from its
// output (the log). Every bound is generous, a fence against growth
// without limit, not a measure of speed; the figures are logged for the
// README.

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"campaigntrack/models"
)

const (
	// attackTimeout bounds one run of the load tool's attack. A guard
	// against a hang, not a budget.
	attackTimeout = 2 * time.Minute
	mib           = 1 << 20
)

// attackReport is the part of campaigntrack-load attack's -json report
// the tests read.
type attackReport struct {
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
	Attack   *struct {
		Kind           string           `json:"kind"`
		ElapsedSeconds float64          `json:"elapsed_s"`
		Requests       int64            `json:"requests"`
		Statuses       map[string]int64 `json:"statuses"`
		RequestRate    float64          `json:"requests_per_s"`
		HalfOpen       *struct {
			Opened         int64 `json:"opened"`
			Refused        int64 `json:"refused"`
			ClosedByServer int64 `json:"closed_by_server"`
			HeldToEnd      int64 `json:"held_to_end"`
			Probes         struct {
				Requests int64            `json:"requests"`
				OK       int64            `json:"ok"`
				Errors   map[string]int64 `json:"errors"`
				Latency  struct {
					P50 float64 `json:"p50"`
					P90 float64 `json:"p90"`
					P99 float64 `json:"p99"`
					Max float64 `json:"max"`
				} `json:"latency_ms"`
			} `json:"probes"`
		} `json:"halfopen"`
	} `json:"attack"`
}

// runAttack runs campaigntrack-load attack with args (and -json) to the
// end, logs its text report and returns the JSON one with the exit
// status.
func runAttack(t *testing.T, tool string, args ...string) (attackReport, int) {
	t.Helper()
	p := startProc(t, "campaigntrack-load", tool, append(append([]string{"attack"}, args...), "-json")...)
	code := p.wait(t, attackTimeout)
	stdout := p.stdout.String()
	t.Logf("campaigntrack-load report:\n%s", textReport(stdout))
	if code == 2 || code == 3 {
		t.Fatalf("campaigntrack-load exit status %d (usage or tool failure):\n%s", code, p.stderr.String())
	}
	i := strings.Index(stdout, "\n{\n")
	if i < 0 {
		t.Fatalf("campaigntrack-load printed no JSON report:\n%s", stdout)
	}
	var r attackReport
	if err := json.NewDecoder(strings.NewReader(stdout[i+1:])).Decode(&r); err != nil || r.Attack == nil {
		t.Fatalf("decoding campaigntrack-load's JSON report (%v):\n%s", err, stdout[i+1:])
	}
	return r, code
}

// procStatus reads one "Name: N kB" field of /proc/PID/status, in bytes.
func procStatus(t *testing.T, p *proc, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Skipf("no /proc for %s: %v", p.name, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("/proc status %s: %q", field, line)
			}
			return kb << 10
		}
	}
	t.Fatalf("/proc/%d/status has no %s", p.cmd.Process.Pid, field)
	return 0
}

// openFiles counts the process's open file descriptors.
func openFiles(p *proc) (int, error) {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.cmd.Process.Pid))
	return len(ents), err
}

// fileLimit is the process's soft limit on open files.
func fileLimit(t *testing.T, p *proc) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/limits", p.cmd.Process.Pid))
	if err != nil {
		t.Skipf("no /proc for %s: %v", p.name, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "Max open files"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				if n, err := strconv.Atoi(f[0]); err == nil {
					return n
				}
			}
		}
	}
	t.Fatalf("no open-files limit in /proc/%d/limits:\n%s", p.cmd.Process.Pid, b)
	return 0
}

// healthy fails the test unless the server still runs and answers
// /healthz 200 (from the default local address).
func healthy(t *testing.T, p *proc, base string) {
	t.Helper()
	if !p.running() {
		t.Fatalf("the server exited during the attack: %s", p.state())
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(base + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz after the attack: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz after the attack: %d", resp.StatusCode)
	}
}

// needsSecondLoopback skips the test on a machine where 127.0.0.2 is
// not this machine (Linux routes all of 127/8 to the loopback device).
func needsSecondLoopback(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("127.0.0.2 is not a local address here: %v", err)
	}
	ln.Close()
}

// fiveXX sums the 5xx answers in a report's statuses.
func fiveXX(statuses map[string]int64) int64 {
	var n int64
	for k, v := range statuses {
		if strings.HasPrefix(k, "5") {
			n += v
		}
	}
	return n
}

// TestAttackFloodOfRandomPathsStaysBounded floods a server with its
// default settings (access log on, sign rate limit on) for 10 s from 32
// clients: random sign forms posted to made-up campaigns and GETs of
// made-up pages, every slug new and 2,000 bytes long, form values up to
// 2,000 bytes. A flood of addresses that do not exist must create no
// state, and must not become a flood of log lines.
func TestAttackFloodOfRandomPathsStaysBounded(t *testing.T) {
	tool := buildLoadTool(t)
	server, base := startServerProc(t, "campaigntrack", filepath.Join(t.TempDir(), "campaigntrack.db"))

	rep, code := runAttack(t, tool, "-kind", "slugs", "-url", base, "-c", "32", "-d", "10s", "-len", "2000")
	hwm := procStatus(t, server, "VmHWM")
	healthy(t, server, base)
	out := server.stdout.String() + server.stderr.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	longest, errLines := 0, 0
	for _, l := range lines {
		longest = max(longest, len(l))
		if strings.Contains(l, "level=ERROR") {
			errLines++
		}
	}
	a := rep.Attack
	t.Logf("flood: %d requests in %.1fs (%.0f/s), answers %v; server peak RSS (VmHWM) %.1f MiB; log %.2f MB in %d lines, longest %d bytes",
		a.Requests, a.ElapsedSeconds, a.RequestRate, a.Statuses, float64(hwm)/mib, float64(len(out))/1e6, len(lines), longest)

	if n := fiveXX(a.Statuses); n > 0 || errLines > 0 {
		t.Errorf("%d 5xx answers, %d ERROR lines in the log", n, errLines)
	}
	if code != 0 || !rep.OK {
		t.Errorf("campaigntrack-load exit status %d, problems %q", code, rep.Problems)
	}
	if a.Requests < 1000 {
		t.Errorf("only %d requests: the flood did not flood", a.Requests)
	}
	if hwm >= 128*mib {
		t.Errorf("server peak RSS %.1f MiB, want < 128 MiB", float64(hwm)/mib)
	}
	if len(out) >= 10e6 {
		t.Errorf("server wrote %.1f MB of log in 10 s, want < 10 MB", float64(len(out))/1e6)
	}
	if longest > 4096 {
		t.Errorf("a log line of %d bytes: request values are not cut", longest)
	}
}

// TestAttackConcurrentWrongSignInsStayBounded sends 100 wrong sign-ins at
// once at unknown emails from four addresses (25 each, under every
// limit, so every one has its password checked), then from 127.0.0.1 300
// wrong sign-ins, 100 at once, at one organiser's account, then 300 at
// unknown emails. Argon2id's 19 MiB work areas are not multiplied by the
// crowd, the limits hold under that concurrency (at most 9 failures an
// account and 30 an address get their password checked in 15 minutes),
// and another organiser, from another address, still signs in.
func TestAttackConcurrentWrongSignInsStayBounded(t *testing.T) {
	needsSecondLoopback(t)
	tool := buildLoadTool(t)
	db := dbWithOrganiser(t)
	const second = "second@example.org"
	runCLI(t, organiserPassword+"\n", "users", "add", "--db", db, "--email", second, "--role", "organiser")
	server, base := startServerProc(t, "campaigntrack", db)

	crowd, code := runAttack(t, tool, "-kind", "signin", "-url", base, "-c", "100", "-n", "100", "-from", "127.0.0.3,127.0.0.4,127.0.0.5,127.0.0.6")
	checkSignInAttack(t, "a crowd from four addresses", crowd, code, 100, 100)
	hwm := procStatus(t, server, "VmHWM")
	t.Logf("server peak RSS (VmHWM) after 100 wrong sign-ins at once, every one checked: %.1f MiB", float64(hwm)/mib)

	account, code := runAttack(t, tool, "-kind", "signin", "-url", base, "-c", "100", "-n", "300", "-email", organiserEmail)
	checkSignInAttack(t, "one account", account, code, 300, models.MaxAccountFailures)
	unknown, code := runAttack(t, tool, "-kind", "signin", "-url", base, "-c", "100", "-n", "300")
	// The address already has the first run's failures; 30 in all.
	checkSignInAttack(t, "unknown emails", unknown, code, 300, models.MaxIPFailures)
	hwm = procStatus(t, server, "VmHWM")
	t.Logf("server peak RSS (VmHWM) after 700 wrong sign-ins, 100 at a time: %.1f MiB", float64(hwm)/mib)
	if hwm >= 256*mib {
		t.Errorf("server peak RSS %.1f MiB, want < 256 MiB", float64(hwm)/mib)
	}
	healthy(t, server, base)

	// The second organiser, never attacked, from another address.
	if status, where := signInFrom(t, base, "127.0.0.2", second, organiserPassword); status != http.StatusSeeOther || where != "/admin" {
		t.Errorf("%s from 127.0.0.2: %d to %q, want 303 to /admin", second, status, where)
	}
	// What the attack cost others, for the README: the attacked account
	// is throttled from anywhere, and the attacking address for anyone.
	status, _ := signInFrom(t, base, "127.0.0.2", organiserEmail, organiserPassword)
	t.Logf("the attacked account, right password, from 127.0.0.2: %d", status)
	status, _ = signInFrom(t, base, "127.0.0.1", second, organiserPassword)
	t.Logf("another account, right password, from the attacking 127.0.0.1: %d", status)
}

// checkSignInAttack checks a signin run of n attempts: only 401, 429 and
// 503, and at most checked attempts let through to the password check
// (401, or 503 when no hashing slot came free in time), all of them when
// checked is n.
func checkSignInAttack(t *testing.T, name string, rep attackReport, code, n, checked int) {
	t.Helper()
	s := rep.Attack.Statuses
	t.Logf("%s: answers %v", name, s)
	if code != 0 || !rep.OK {
		t.Errorf("%s: campaigntrack-load exit status %d, problems %q", name, code, rep.Problems)
	}
	if s["500"] > 0 {
		t.Errorf("%s: %d answers 500", name, s["500"])
	}
	if s["401"] > int64(checked) || s["401"]+s["503"] > int64(checked) {
		t.Errorf("%s: %d attempts got 401 and %d got 503, want at most %d let through to the password check", name, s["401"], s["503"], checked)
	}
	if checked == n && s["401"]+s["503"] != int64(n) {
		t.Errorf("%s: %d attempts got 401 and %d got 503, want all %d let through to the password check", name, s["401"], s["503"], n)
	}
	if rep.Attack.Requests != int64(n) || s["429"] < int64(n-checked) {
		t.Errorf("%s: %d requests, %d throttled (429)", name, rep.Attack.Requests, s["429"])
	}
}

var (
	loginFormRe = regexp.MustCompile(`data-testid="login-form"`)
	csrfFieldRe = regexp.MustCompile(`<input[^>]*\bname="_csrf"[^>]*\bvalue="([^"]*)"`)
)

// signInFrom signs in as a browser would from the local address from: GET
// /login for the cookie and token, then POST. It returns the status and
// the Location.
func signInFrom(t *testing.T, base, from, email, password string) (int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	client := &http.Client{
		Transport:     &http.Transport{DialContext: d.DialContext},
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	resp, err := client.Get(base + "/login")
	if err != nil {
		t.Fatalf("GET /login from %s: %v", from, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /login from %s: %d (%v)", from, resp.StatusCode, err)
	}
	loc := loginFormRe.FindIndex(body)
	if loc == nil {
		t.Fatalf("GET /login: no sign-in form")
	}
	m := csrfFieldRe.FindSubmatch(body[loc[1]:])
	if m == nil {
		t.Fatalf("GET /login: no _csrf field in the sign-in form")
	}
	form := url.Values{"_csrf": {html.UnescapeString(string(m[1]))}, "email": {email}, "password": {password}, "next": {"/admin"}}
	resp, err = client.PostForm(base+"/login", form)
	if err != nil {
		t.Fatalf("POST /login from %s: %v", from, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// TestAttackHalfOpenConnectionsDoNotStarveOthers opens 3,000 connections
// from 127.0.0.2 that send half a request line and then nothing, against
// a server capped at 1,024 connections (64 per client network), holds
// them for 5 s, and meanwhile has the tool fetch /healthz every 200 ms,
// each time on a new connection, from 127.0.0.1. Every real request must
// be served, the attacker held to its 64, and the server's open files
// kept far from its limit.
func TestAttackHalfOpenConnectionsDoNotStarveOthers(t *testing.T) {
	needsSecondLoopback(t)
	tool := buildLoadTool(t)
	server, base := startServerProc(t, "campaigntrack", filepath.Join(t.TempDir(), "campaigntrack.db"), "--max-conns", "1024")
	limit := fileLimit(t, server)
	before, err := openFiles(server)
	if err != nil {
		t.Skipf("cannot count the server's open files: %v", err)
	}

	// Sample the server's open files while the attack runs.
	ctx, stop := context.WithCancel(context.Background())
	var sampling sync.WaitGroup
	peak, samples := 0, 0
	sampling.Add(1)
	go func() {
		defer sampling.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			if n, err := openFiles(server); err == nil {
				peak, samples = max(peak, n), samples+1
			}
			select {
			case <-tick.C:
			case <-ctx.Done():
				return
			}
		}
	}()
	rep, code := runAttack(t, tool, "-kind", "halfopen", "-url", base, "-n", "3000", "-from", "127.0.0.2", "-d", "5s")
	stop()
	sampling.Wait()

	ho := rep.Attack.HalfOpen
	if ho == nil {
		t.Fatal("the report has no halfopen part")
	}
	pr := ho.Probes
	t.Logf("half-open: %d opened, %d refused, %d closed by the server, %d held to the end; server open files %d before, peak %d (%d samples), limit %d; real requests %d, %d OK, latency p50 %.2fms p90 %.2fms p99 %.2fms max %.2fms",
		ho.Opened, ho.Refused, ho.ClosedByServer, ho.HeldToEnd, before, peak, samples, limit, pr.Requests, pr.OK, pr.Latency.P50, pr.Latency.P90, pr.Latency.P99, pr.Latency.Max)

	if pr.Requests == 0 || pr.OK != pr.Requests || len(pr.Errors) > 0 {
		t.Errorf("real requests from 127.0.0.1: %d, %d OK, errors %v; want every one served", pr.Requests, pr.OK, pr.Errors)
	}
	if code != 0 || !rep.OK {
		t.Errorf("campaigntrack-load exit status %d, problems %q", code, rep.Problems)
	}
	if ho.HeldToEnd > 64 {
		t.Errorf("the server held %d connections from 127.0.0.2, want at most 64 (1024/16)", ho.HeldToEnd)
	}
	if samples == 0 {
		t.Fatal("no sample of the server's open files")
	}
	if peak > 1024+64 || peak > limit/2 {
		t.Errorf("server open files peaked at %d (limit %d, --max-conns 1024)", peak, limit)
	}

	healthy(t, server, base)
	// The tool closed its connections: the server closes its ends too.
	deadline := time.Now().Add(15 * time.Second)
	n, _ := openFiles(server)
	for n > before+16 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		n, _ = openFiles(server)
	}
	if n > before+16 {
		t.Errorf("the server still has %d files open after the attack (%d before)", n, before)
	}
}
