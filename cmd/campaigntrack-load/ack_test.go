package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"campaigntrack/models"
)

const slug = "no-tech-for-ice"

// waitTimeout bounds every wait in these tests for something another
// goroutine does. A guard against a hang, not a time budget.
const waitTimeout = 10 * time.Second

// ackEmail is the shape of the emails the signers use.
var ackEmail = regexp.MustCompile(`^load-[0-9a-z]+-[0-9]+-[0-9]+@example\.org$`)

// readAck reads an -ack file and checks every line is a distinct signer
// email.
func readAck(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		t.Errorf("%s does not end in a newline: a line was cut", path)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(b) == 0 {
		lines = nil
	}
	seen := map[string]bool{}
	for _, l := range lines {
		if !ackEmail.MatchString(l) {
			t.Errorf("ack line %q is not a signer's email", l)
		}
		if seen[l] {
			t.Errorf("ack line %q twice", l)
		}
		seen[l] = true
	}
	return lines
}

// storedEmails is every signature's email in the demo campaign.
func storedEmails(t *testing.T, store *models.Store) map[string]bool {
	t.Helper()
	ctx := context.Background()
	cp, err := store.CampaignBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	emails := map[string]bool{}
	err = store.EachSignature(ctx, cp.ID, 5000, func(rows []models.Signature) error {
		for _, r := range rows {
			emails[r.Email] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return emails
}

// checkAcked fails the test for every acknowledged email that is not a
// signature row.
func checkAcked(t *testing.T, acked []string, stored map[string]bool) {
	t.Helper()
	missing := 0
	for _, e := range acked {
		if !stored[e] {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged but not stored: %s", e)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged signatures are not stored", missing, len(acked))
	}
}

func TestSignAckFile(t *testing.T) {
	store := seededStore(t)
	url := serve(t, store, nil).URL
	ack := filepath.Join(t.TempDir(), "ack.txt")
	rep, err := RunSign(context.Background(), SignConfig{URL: url, Campaign: slug, Clients: 4, Duration: 500 * time.Millisecond, AckFile: ack}, nil)
	check(t, rep, err)
	s := rep.Sign
	acked := readAck(t, ack)
	if s.Ack == nil || s.Ack.File != ack || s.Ack.Lines != s.Successes || int64(len(acked)) != s.Successes || s.Successes == 0 {
		t.Fatalf("ack %+v, %d lines in the file, %d successes", s.Ack, len(acked), s.Successes)
	}
	stored := storedEmails(t, store)
	checkAcked(t, acked, stored)
	if int64(len(stored)) != s.Count.After {
		t.Errorf("%d rows, count %d", len(stored), s.Count.After)
	}
	var b strings.Builder
	rep.WriteText(&b)
	if want := "acknowledged     " + strconv.FormatInt(s.Successes, 10) + " written to " + ack; !strings.Contains(b.String(), want) {
		t.Errorf("the report does not say %q:\n%s", want, b.String())
	}
	if rep.Sign.ByURL != nil {
		t.Errorf("one URL, yet a per-URL split: %+v", rep.Sign.ByURL)
	}
}

// countPosts wraps a router and counts the signatures sent to it.
func countPosts(n *atomic.Int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				n.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// TestSignSeveralURLs loads two instances of one database: each client
// keeps to its URL, the report splits the figures by URL, and the count
// check reads both.
func TestSignSeveralURLs(t *testing.T) {
	store := seededStore(t)
	var postsA, postsB atomic.Int64
	a := serve(t, store, countPosts(&postsA)).URL
	b := serve(t, store, countPosts(&postsB)).URL
	ack := filepath.Join(t.TempDir(), "ack.txt")
	rep, err := RunSign(context.Background(), SignConfig{URL: a + "," + b, Campaign: slug, Clients: 3, Duration: 500 * time.Millisecond, AckFile: ack}, nil)
	check(t, rep, err)
	s := rep.Sign
	if rep.URL != a+","+b {
		t.Errorf("report URL %q", rep.URL)
	}
	if len(s.ByURL) != 2 {
		t.Fatalf("by URL: %+v", s.ByURL)
	}
	ua, ub := s.ByURL[0], s.ByURL[1]
	if ua.URL != a || ub.URL != b || ua.Clients != 2 || ub.Clients != 1 {
		t.Errorf("clients 0 and 2 go to the first URL, client 1 to the second: %+v", s.ByURL)
	}
	if ua.Successes == 0 || ub.Successes == 0 || ua.Successes+ub.Successes != s.Successes || ua.Errors+ub.Errors != 0 {
		t.Errorf("by URL %+v, successes %d", s.ByURL, s.Successes)
	}
	// Each server saw exactly the signatures the report gives it.
	if postsA.Load() != ua.Requests || postsB.Load() != ub.Requests {
		t.Errorf("servers got %d and %d signatures; the report says %d and %d", postsA.Load(), postsB.Load(), ua.Requests, ub.Requests)
	}
	acked := readAck(t, ack)
	if int64(len(acked)) != s.Successes {
		t.Errorf("%d ack lines, %d successes", len(acked), s.Successes)
	}
	checkAcked(t, acked, storedEmails(t, store))
	var text strings.Builder
	rep.WriteText(&text)
	for _, u := range s.ByURL {
		if !strings.Contains(text.String(), "    "+u.URL) {
			t.Errorf("the report has no line for %s:\n%s", u.URL, text.String())
		}
	}
}

// TestSeveralURLsMustShareADatabase: two servers on two databases are
// not instances of one petition, and the count check says so.
func TestSeveralURLsMustShareADatabase(t *testing.T) {
	a := server(t)
	b := server(t)
	// Three clients, two at a and one at b, so the counts differ (one
	// client each would sign at the same pace on each, the signature
	// writer's linger setting it).
	rep, err := RunSign(context.Background(), SignConfig{URL: a + "," + b, Campaign: slug, Clients: 3, Duration: 300 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK || rep.Sign.Count == nil || !strings.Contains(rep.Sign.Count.Error, "disagree") {
		t.Errorf("ok %v, count %+v, by URL %+v", rep.OK, rep.Sign.Count, rep.Sign.ByURL)
	}
}

// jsonReport decodes the -json report that follows the text one.
func jsonReport(t *testing.T, out string) Report {
	t.Helper()
	i := strings.Index(out, "\n{\n")
	if i < 0 {
		t.Fatalf("no JSON report in:\n%s", out)
	}
	var r Report
	if err := json.Unmarshal([]byte(out[i+1:]), &r); err != nil {
		t.Fatalf("decoding the JSON report: %v\n%s", err, out[i+1:])
	}
	return r
}

// TestServerGoesAway cuts the server off mid-run, as a crash would: the
// tool counts the failures, finishes the run, prints its report, keeps a
// complete ack file and exits 1 (the run found problems), not 3 (the tool
// failed) and not with a panic.
func TestServerGoesAway(t *testing.T) {
	store := seededStore(t)
	var (
		srv     *httptest.Server
		posts   atomic.Int64
		once    sync.Once
		stopped = make(chan struct{})
	)
	srv = serve(t, store, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			if r.Method == http.MethodPost && posts.Add(1) == 50 {
				// Refuse new connections and reset the open ones, with
				// requests in flight, from outside the handler (Close
				// waits for handlers).
				go once.Do(func() {
					srv.Listener.Close()
					srv.CloseClientConnections()
					srv.Close()
					close(stopped)
				})
			}
		})
	})
	ack := filepath.Join(t.TempDir(), "ack.txt")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"sign", "-url", srv.URL, "-campaign", slug, "-c", "4", "-d", "2s", "-ack", ack, "-json"}, &out, &errb)
	t.Logf("exit %d\n%s%s", code, out.String(), errb.String())
	select {
	case <-stopped:
	case <-time.After(waitTimeout):
		t.Fatal("the server was never cut off")
	}
	if code != exitProblems {
		t.Errorf("exit status %d, want %d", code, exitProblems)
	}
	rep := jsonReport(t, out.String())
	s := rep.Sign
	var transport int64
	for k, v := range s.ErrorsByKind {
		if strings.HasPrefix(k, "transport: ") {
			transport += v
		}
	}
	if s.Successes < 1 || transport == 0 {
		t.Errorf("successes %d, errors %v", s.Successes, s.ErrorsByKind)
	}
	if s.Count == nil || !strings.Contains(s.Count.Error, "reading the count after the run") {
		t.Errorf("count check %+v: want it to say the count could not be read", s.Count)
	}
	acked := readAck(t, ack)
	if s.Ack == nil || s.Ack.Error != "" || int64(len(acked)) != s.Successes || s.Ack.Lines != s.Successes {
		t.Errorf("ack %+v, %d lines, %d successes", s.Ack, len(acked), s.Successes)
	}
	// Every acknowledged signature is stored; some stored ones may never
	// have been acknowledged (their answer was cut off).
	stored := storedEmails(t, store)
	checkAcked(t, acked, stored)
	t.Logf("%d acknowledged, %d stored, %d signatures reached the server", len(acked), len(stored), posts.Load())
}

// TestAckLogFlushesWhileRunning: a line reaches the file within the flush
// period, without Close, so a killed tool leaves its record behind.
func TestAckLogFlushesWhileRunning(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ack.txt")
	a, err := createAckLog(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.record([]byte("one@example.org"))
	a.record([]byte("two@example.org"))
	want := "one@example.org\ntwo@example.org\n"
	deadline := time.Now().Add(waitTimeout)
	for {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s the file holds %q, want %q", waitTimeout, b, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n, err := a.Close(); n != 2 || err != nil {
		t.Errorf("Close: %d lines, %v", n, err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestAckLogWriteFailure: a write error stops the run once and says the
// file is incomplete.
func TestAckLogWriteFailure(t *testing.T) {
	failed := make(chan error, 2)
	a := newAckLog(failingWriter{}, nil, func(err error) { failed <- err })
	a.record([]byte("one@example.org"))
	select {
	case err := <-failed:
		if !strings.Contains(err.Error(), "disk full") {
			t.Errorf("failed with %v", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("the write error was never reported")
	}
	a.record([]byte("two@example.org"))
	if _, err := a.Close(); err == nil {
		t.Error("Close did not report the write error")
	}
	if len(failed) != 0 {
		t.Error("the failure was reported twice")
	}
}

// TestExitStatus: usage errors are 2, the tool's own failures 3.
func TestExitStatus(t *testing.T) {
	url := server(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"sign", "-url", url + ",", "-d", "100ms"}, exitUsage},
		{[]string{"sign", "-url", url + "," + url, "-d", "100ms"}, exitUsage},
		{[]string{"sign", "-url", url, "-c", "0"}, exitUsage},
		{[]string{"mixed", "-url", "ftp://x", "-d", "100ms"}, exitUsage},
		{[]string{"sign", "-url", url, "-c", "1", "-d", "100ms", "-ack", filepath.Join(dir, "no-such-dir", "ack.txt")}, exitTool},
		{[]string{"sign", "-url", url, "-campaign", "no-such-campaign", "-c", "1", "-d", "100ms"}, exitTool},
		{[]string{"sign", "-url", url, "-c", "1", "-d", "100ms", "-ack", filepath.Join(dir, "ack.txt")}, exitOK},
		{[]string{"mixed", "-url", url, "-read-c", "1", "-sign-c", "1", "-sign-rate", "50", "-d", "200ms", "-ack", filepath.Join(dir, "mixed-ack.txt")}, exitOK},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), tc.args, &out, &errb); code != tc.want {
			t.Errorf("%q: exit %d, want %d\n%s%s", tc.args, code, tc.want, out.String(), errb.String())
		}
	}
	if lines := readAck(t, filepath.Join(dir, "mixed-ack.txt")); len(lines) == 0 {
		t.Error("mixed -ack: no line")
	}
}
