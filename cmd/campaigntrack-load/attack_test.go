package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/models"
)

// valueLens are the -len values the generators are tried with: the
// smallest, the default, the e2e test's and the largest allowed.
var valueLens = []int{1, 2, 40, 2000, maxValueLen}

func TestRandomValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	odd := 0
	for _, n := range valueLens {
		for range 200 {
			v := randomValue(rng, n)
			if len(v) != n {
				t.Fatalf("randomValue(%d) has %d bytes", n, len(v))
			}
			if strings.ContainsFunc(v, func(r rune) bool { return !strings.ContainsRune(plainBytes, r) }) {
				odd++
			}
		}
	}
	if odd == 0 {
		t.Error("no value held a character that needs escaping")
	}
}

// sendsAs writes req as the transport would and reads it back as the
// server does, and returns the request URI the server sees.
func sendsAs(t *testing.T, req *http.Request) string {
	t.Helper()
	var b bytes.Buffer
	if err := req.Write(&b); err != nil {
		t.Fatalf("writing %q: %v", req.URL, err)
	}
	got, err := http.ReadRequest(bufio.NewReader(&b))
	if err != nil {
		t.Fatalf("the server could not read the request for %q: %v", req.URL, err)
	}
	return got.RequestURI
}

// TestRandomPathsAreValidURLs: every path the attack makes parses, keeps
// its shape (the random slug is one segment, nothing leaks into a query
// or fragment) and reaches the server exactly as made.
func TestRandomPathsAreValidURLs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const base = "http://127.0.0.1:8080"
	for _, n := range valueLens {
		for range 300 {
			seg := randomSegment(rng, n)
			if strings.ContainsAny(seg, "/?# ") {
				t.Fatalf("segment %q holds a separator", seg)
			}
			if v, err := url.PathUnescape(seg); err != nil || len(v) != n {
				t.Fatalf("segment %q: unescapes to %d bytes (%v), want %d", seg, len(v), err, n)
			}

			sign := randomSignPath(rng, n)
			req, err := http.NewRequest(http.MethodPost, base+sign, strings.NewReader("x=1"))
			if err != nil {
				t.Fatalf("POST %q: %v", sign, err)
			}
			parts := strings.Split(req.URL.EscapedPath(), "/")
			if len(parts) != 4 || parts[1] != "campaigns" || parts[3] != "sign" || req.URL.RawQuery != "" || req.URL.Fragment != "" {
				t.Fatalf("POST %q: parsed as path %q, query %q, fragment %q", sign, req.URL.EscapedPath(), req.URL.RawQuery, req.URL.Fragment)
			}
			if got := sendsAs(t, req); got != sign {
				t.Fatalf("POST %q reaches the server as %q", sign, got)
			}

			get := randomGetPath(rng, n)
			req, err = http.NewRequest(http.MethodGet, base+get, nil)
			if err != nil {
				t.Fatalf("GET %q: %v", get, err)
			}
			path, query, _ := strings.Cut(get, "?")
			if !strings.HasPrefix(path, "/campaigns/") && !strings.HasPrefix(path, "/api/campaigns/") ||
				req.URL.EscapedPath() != path || req.URL.RawQuery != query || req.URL.Fragment != "" {
				t.Fatalf("GET %q: parsed as path %q, query %q, fragment %q", get, req.URL.EscapedPath(), req.URL.RawQuery, req.URL.Fragment)
			}
			if _, err := url.ParseQuery(query); err != nil {
				t.Fatalf("GET %q: query: %v", get, err)
			}
			if got := sendsAs(t, req); got != get {
				t.Fatalf("GET %q reaches the server as %q", get, got)
			}
		}
	}
}

func TestRandomSignForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range valueLens {
		for range 100 {
			body := randomSignForm(rng, n, "the-token")
			form, err := url.ParseQuery(body)
			if err != nil {
				t.Fatalf("body %.80q: %v", body, err)
			}
			if form.Get("_csrf") != "the-token" {
				t.Fatalf("body %.80q: _csrf %q", body, form.Get("_csrf"))
			}
			for _, f := range signFields {
				if v := form.Get(f); len(v) < 1 || len(v) > n {
					t.Fatalf("field %s has %d bytes, want 1 to %d", f, len(v), n)
				}
			}
			if len(form) != len(signFields)+2 && len(form) != len(signFields)+1 { // the made-up field may collide with one
				t.Fatalf("%d fields: %q", len(form), form)
			}
		}
	}
}

// attackServer starts the real router over a seeded SQLite file behind
// the server's own listener (connection caps and all) with cfg.
func attackServer(t *testing.T, cfg config.Config) (*models.Store, string) {
	t.Helper()
	store := seededStore(t)
	h := handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	srv := h.Server(h.Router())
	ln, err := h.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	return store, "http://" + ln.Addr().String()
}

// checkAttack fails the test on any problem the report found; it logs
// the report.
func checkAttack(t *testing.T, rep *Report, err error) *AttackResult {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.WriteText(&b)
	t.Log("\n" + b.String())
	if !rep.OK || rep.Attack == nil {
		t.Fatalf("problems: %q", rep.Problems)
	}
	var j bytes.Buffer
	if err := rep.WriteJSON(&j); err != nil || !strings.Contains(j.String(), `"attack": {`) {
		t.Errorf("JSON report (%v): %s", err, j.String())
	}
	return rep.Attack
}

func TestAttackSlugs(t *testing.T) {
	_, base := attackServer(t, config.Config{})
	rep, err := RunAttack(context.Background(), AttackConfig{Kind: "slugs", URL: base, Campaign: "no-tech-for-ice", Clients: 4, Duration: 500 * time.Millisecond, Len: 2000})
	a := checkAttack(t, rep, err)
	if a.Requests == 0 || a.Statuses["404"] == 0 {
		t.Errorf("requests %d, answers %v: want 404s", a.Requests, a.Statuses)
	}
	if a.Statuses["403"] > 0 {
		t.Errorf("%d answers 403: the CSRF token did not go with the forms", a.Statuses["403"])
	}
}

func TestAttackSignIn(t *testing.T) {
	store, base := attackServer(t, config.Config{})
	const email = "organiser@example.org"
	if _, err := store.CreateUser(context.Background(), models.CommandLine, email, "organiser", "a long enough password"); err != nil {
		t.Fatal(err)
	}
	rep, err := RunAttack(context.Background(), AttackConfig{Kind: "signin", URL: base, Clients: 8, N: 20, Email: email})
	a := checkAttack(t, rep, err)
	if a.Requests != 20 {
		t.Errorf("%d requests, want 20", a.Requests)
	}
	if checked := a.Statuses["401"] + a.Statuses["503"]; checked > models.MaxAccountFailures || a.Statuses["429"] < 20-models.MaxAccountFailures {
		t.Errorf("answers %v: want at most %d checked (401 or 503), the rest 429", a.Statuses, models.MaxAccountFailures)
	}
}

// TestAttackHalfOpen runs halfopen against the server's own listener
// capped at 16 connections (8 per client): of 30 from 127.0.0.2, 8 are
// held and the rest closed at once, and the real requests from 127.0.0.1
// are all served; then from two addresses, which get 8 each.
func TestAttackHalfOpen(t *testing.T) {
	if ln, err := net.Listen("tcp", "127.0.0.2:0"); err != nil {
		t.Skipf("no 127.0.0.2 on this machine: %v", err)
	} else {
		ln.Close()
	}
	_, base := attackServer(t, config.Config{MaxConns: 16})
	rep, err := RunAttack(context.Background(), AttackConfig{Kind: "halfopen", URL: base, N: 30, From: "127.0.0.2", Duration: time.Second})
	a := checkAttack(t, rep, err)
	ho := a.HalfOpen
	if ho.Opened != 30 || ho.HeldToEnd != 8 || ho.ClosedByServer != 22 || ho.Refused != 0 {
		t.Errorf("opened %d, held %d, closed by the server %d, refused %d: want 30, 8, 22, 0", ho.Opened, ho.HeldToEnd, ho.ClosedByServer, ho.Refused)
	}
	if ho.Probes.Requests == 0 || ho.Probes.OK != ho.Probes.Requests {
		t.Errorf("real requests: %+v", ho.Probes)
	}

	// From two addresses, under a total of 64 (8 per client): 8 each.
	_, base = attackServer(t, config.Config{MaxConns: 64})
	rep, err = RunAttack(context.Background(), AttackConfig{Kind: "halfopen", URL: base, N: 30, From: "127.0.0.2, 127.0.0.3", Duration: time.Second})
	ho = checkAttack(t, rep, err).HalfOpen
	if ho.Opened != 30 || ho.HeldToEnd != 16 || ho.ClosedByServer != 14 {
		t.Errorf("from two addresses: opened %d, held %d, closed by the server %d: want 30, 16, 14", ho.Opened, ho.HeldToEnd, ho.ClosedByServer)
	}
}

func TestAttackUsage(t *testing.T) {
	for _, args := range [][]string{
		{"attack"},
		{"attack", "-kind", "nonsense"},
		{"attack", "-kind", "slugs", "-len", "100000"},
		{"attack", "-kind", "halfopen", "-from", "not-an-address"},
		{"attack", "-kind", "signin", "-n", "0"},
		{"attack", "-kind", "signin", "-from", "127.0.0.2,127.0.0.2"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != exitUsage {
			t.Errorf("%q: exit %d, want %d; %s", args, code, exitUsage, errb.String())
		}
	}
}
