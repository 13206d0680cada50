package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// server starts the real router over a seeded SQLite file.
func server(t *testing.T) string {
	t.Helper()
	return serve(t, seededStore(t), nil).URL
}

// seededStore is a new SQLite file with the demo campaign.
func seededStore(t *testing.T) *models.Store {
	t.Helper()
	store := testdb.Open(t, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	return store
}

// serve starts one instance of the real router over store, as a server
// process would: its own handlers (and so its own signature writer). wrap,
// when not nil, wraps the router, to count or to cut off requests.
func serve(t *testing.T, store *models.Store, wrap func(http.Handler) http.Handler) *httptest.Server {
	t.Helper()
	h := handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{})
	var handler http.Handler = h.Router()
	if wrap != nil {
		handler = wrap(handler)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	return srv
}

// check fails the test on any problem the report found, printing it.
func check(t *testing.T, rep *Report, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.WriteText(&b)
	t.Log("\n" + b.String())
	if !rep.OK {
		t.Fatalf("problems: %q", rep.Problems)
	}
	var j bytes.Buffer
	if err := rep.WriteJSON(&j); err != nil || !strings.Contains(j.String(), `"ok": true`) {
		t.Errorf("JSON report (%v): %s", err, j.String())
	}
}

func TestSignScenario(t *testing.T) {
	url := server(t)
	rep, err := RunSign(context.Background(), SignConfig{URL: url, Campaign: "no-tech-for-ice", Clients: 8, Duration: time.Second}, nil)
	check(t, rep, err)
	s := rep.Sign
	if s.Successes == 0 || s.Errors != 0 || s.Requests != s.Successes {
		t.Errorf("requests %d, successes %d, errors %d", s.Requests, s.Successes, s.Errors)
	}
	if s.Count == nil || !s.Count.OK || s.Count.Delta != s.Successes {
		t.Errorf("count check: %+v, successes %d", s.Count, s.Successes)
	}
	if s.Latency.Samples != int(s.Requests) {
		t.Errorf("%d latencies for %d requests", s.Latency.Samples, s.Requests)
	}

	// A second run against the same server starts from the first's count.
	rep, err = RunSign(context.Background(), SignConfig{URL: url, Campaign: "no-tech-for-ice", Clients: 2, Duration: 200 * time.Millisecond, Rate: 50}, nil)
	check(t, rep, err)
	if rep.Sign.Count.Before != s.Count.After {
		t.Errorf("second run started from %d, the first ended at %d", rep.Sign.Count.Before, s.Count.After)
	}
}

func TestReadScenario(t *testing.T) {
	url := server(t)
	rep, err := RunRead(context.Background(), ReadConfig{URL: url, Campaign: "no-tech-for-ice", Clients: 8, Duration: time.Second}, nil)
	check(t, rep, err)
	r := rep.Read
	if r.Successes == 0 || r.Errors != 0 || r.BytesRead < r.Successes*1_000 {
		t.Errorf("requests %d, successes %d, errors %d, bytes %d", r.Requests, r.Successes, r.Errors, r.BytesRead)
	}
	if r.Path != "/campaigns/no-tech-for-ice" {
		t.Errorf("path = %q", r.Path)
	}
}

func TestErrorsAreCounted(t *testing.T) {
	url := server(t)
	rep, err := RunRead(context.Background(), ReadConfig{URL: url, Campaign: "no-tech-for-ice", Path: "/campaigns/no-such-campaign", Clients: 2, Duration: 100 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK || rep.Read.Successes != 0 || rep.Read.ErrorsByKind["404"] != rep.Read.Requests {
		t.Errorf("a missing page: ok %v, %+v", rep.OK, rep.Read)
	}
	if _, err := RunSign(context.Background(), SignConfig{URL: url, Campaign: "no-such-campaign", Clients: 1, Duration: time.Second}, nil); err == nil {
		t.Error("signing a missing campaign did not fail")
	}
}

func TestMixedScenario(t *testing.T) {
	url := server(t)
	rep, err := RunMixed(context.Background(),
		ReadConfig{URL: url, Campaign: "no-tech-for-ice", Clients: 4, Duration: 500 * time.Millisecond},
		SignConfig{URL: url, Campaign: "no-tech-for-ice", Clients: 4, Duration: 500 * time.Millisecond, Rate: 200}, nil)
	check(t, rep, err)
	if rep.Sign.Successes == 0 || rep.Read.Successes == 0 {
		t.Errorf("sign %d, read %d successes", rep.Sign.Successes, rep.Read.Successes)
	}
}

func TestGenerate(t *testing.T) {
	end := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var a, b bytes.Buffer
	if err := Generate(&a, GenConfig{N: 2000, Seed: 7, End: end}); err != nil {
		t.Fatal(err)
	}
	if err := Generate(&b, GenConfig{N: 2000, Seed: 7, End: end}); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("the same seed and end gave different files")
	}
	rows, err := csv.NewReader(&a).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2001 || strings.Join(rows[0], ",") != "first_name,last_name,email,city,state,zip,country,created_at" {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	emails := map[string]bool{}
	for _, r := range rows[1:] {
		for _, f := range r[:2] {
			if f != "" && strings.ContainsAny(f[:1], "=+-@") {
				t.Errorf("name %q starts with a formula character", f)
			}
		}
		if emails[r[2]] {
			t.Errorf("email %q twice", r[2])
		}
		emails[r[2]] = true
		at, err := time.Parse(time.RFC3339, r[7])
		if err != nil || !at.Before(end) || at.Before(end.AddDate(0, 0, -30)) {
			t.Errorf("created_at %q (%v) not in the 30 days before %v", r[7], err, end)
		}
	}
}

func TestLatencies(t *testing.T) {
	d := make([]time.Duration, 100)
	for i := range d {
		d[i] = time.Duration(100-i) * time.Millisecond
	}
	l := latencies(d)
	if l.Samples != 100 || l.P50 != 50 || l.P90 != 90 || l.P99 != 99 || l.Max != 100 {
		t.Errorf("%+v", l)
	}
	if (latencies(nil) != Latency{}) {
		t.Error("no samples")
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"sign", "-h"}, {"read", "-h"}, {"mixed", "-h"}, {"gen", "-h"}, {"attack", "-h"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 0 || out.Len()+errb.Len() == 0 {
			t.Errorf("%q: exit %d, %d bytes of help", args, code, out.Len()+errb.Len())
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"nonsense"}, &out, &errb); code != 2 {
		t.Errorf("unknown subcommand: exit %d", code)
	}
}
