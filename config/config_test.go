package config_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"campaigntrack/config"
)

func TestPrecedence(t *testing.T) {
	t.Parallel()
	env := map[string]string{"CAMPAIGNTRACK_ADDR": ":9000", "CAMPAIGNTRACK_DB": "env.db"}
	getenv := func(k string) string { return env[k] }

	cfg, err := config.Parse("serve", nil, func(string) string { return "" }, io.Discard)
	if err != nil || cfg.Addr != ":8080" || cfg.DB != "campaigntrack.db" || cfg.Seed != "demo" {
		t.Fatalf("defaults = %+v, %v", cfg, err)
	}
	cfg, err = config.Parse("serve", nil, getenv, io.Discard)
	if err != nil || cfg.Addr != ":9000" || cfg.DB != "env.db" {
		t.Fatalf("environment = %+v, %v", cfg, err)
	}
	cfg, err = config.Parse("serve", []string{"--addr", "127.0.0.1:7000", "--db=flag.db"}, getenv, io.Discard)
	if err != nil || cfg.Addr != "127.0.0.1:7000" || cfg.DB != "flag.db" {
		t.Fatalf("flags = %+v, %v", cfg, err)
	}
}

// FuzzParse feeds arbitrary flag values and environment: Parse either
// returns a config that validates or an error, and never panics.
func FuzzParse(f *testing.F) {
	f.Add("--addr", ":8080", "campaigntrack.db")
	f.Add("--seed", "none", "postgres://u@h/db")
	f.Add("--db", "", "")
	f.Fuzz(func(t *testing.T, flagName, flagValue, envDB string) {
		args := []string{flagName, flagValue}
		getenv := func(k string) string {
			if k == "CAMPAIGNTRACK_DB" {
				return envDB
			}
			return ""
		}
		cfg, err := config.Parse("serve", args, getenv, io.Discard)
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("Parse returned a config that does not validate: %v", err)
		}
	})
}

func TestParseRateLimit(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]config.RateLimit{
		"off": {}, "OFF": {}, "20/min": {N: 20, Period: time.Minute}, "5/s": {N: 5, Period: time.Second}, " 100 / h ": {N: 100, Period: time.Hour},
	} {
		got, err := config.ParseRateLimit(in)
		if err != nil || got != want {
			t.Errorf("ParseRateLimit(%q) = %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "20", "0/min", "-1/s", "x/min", "20/week", "20/"} {
		if _, err := config.ParseRateLimit(bad); err == nil {
			t.Errorf("ParseRateLimit(%q) accepted", bad)
		}
	}
}

func FuzzParseRateLimit(f *testing.F) {
	f.Add("20/min")
	f.Add("off")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := config.ParseRateLimit(s)
		if err == nil && !r.Off() && (r.N < 1 || r.Period <= 0) {
			t.Fatalf("%q gave %+v", s, r)
		}
	})
}

// TestPlaceMin: the public place threshold is the setting, and never below
// the default when a Config is built in code without one.
func TestPlaceMin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ set, want int64 }{{0, 10}, {-5, 10}, {1, 1}, {25, 25}} {
		if got := (config.Config{PublicPlaceMin: tc.set}).PlaceMin(); got != tc.want {
			t.Errorf("PublicPlaceMin %d: PlaceMin() = %d, want %d", tc.set, got, tc.want)
		}
	}
	cfg, err := config.Parse("serve", nil, func(string) string { return "" }, io.Discard)
	if err != nil || cfg.PlaceMin() != config.DefaultPublicPlaceMin {
		t.Errorf("default threshold = %d, %v", cfg.PlaceMin(), err)
	}
}

// TestAbsoluteURL: absolute addresses are built on the base URL, its path
// prefix included, or on http://localhost:8080 when none is set.
func TestAbsoluteURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ base, path, want string }{
		{"", "/campaigns/x/timeline", "http://localhost:8080/campaigns/x/timeline"},
		{"https://campaign.example.org", "/campaigns/x/timeline.atom?kind=action", "https://campaign.example.org/campaigns/x/timeline.atom?kind=action"},
		{"https://campaign.example.org/sub/", "/campaigns/x", "https://campaign.example.org/sub/campaigns/x"},
		{" http://example.org:8443/a/b// ", "/c", "http://example.org:8443/a/b/c"},
	} {
		var cfg config.Config
		if tc.base != "" {
			u, err := config.ParseBaseURL(tc.base)
			if err != nil {
				t.Fatalf("%q: %v", tc.base, err)
			}
			cfg.BaseURL = u
		}
		if got := cfg.AbsoluteURL(tc.path); got != tc.want {
			t.Errorf("base %q, path %q: %q, want %q", tc.base, tc.path, got, tc.want)
		}
	}
}

// TestFakeNow: CAMPAIGNTRACK_FAKE_NOW, a setting for tests, starts the
// handlers' clock at the instant given; empty is the real clock, and a
// malformed value stops start-up with a message naming the setting.
func TestFakeNow(t *testing.T) {
	t.Parallel()
	cfg, err := config.Parse("serve", nil, func(string) string { return "" }, io.Discard)
	if err != nil || !cfg.FakeNow.IsZero() {
		t.Fatalf("default: FakeNow = %v, %v; want the zero time (the real clock)", cfg.FakeNow, err)
	}
	env := map[string]string{"CAMPAIGNTRACK_FAKE_NOW": "2019-07-16T04:30:00Z"}
	cfg, err = config.Parse("serve", nil, func(k string) string { return env[k] }, io.Discard)
	want := time.Date(2019, 7, 16, 4, 30, 0, 0, time.UTC)
	if err != nil || !cfg.FakeNow.Equal(want) {
		t.Fatalf("CAMPAIGNTRACK_FAKE_NOW: FakeNow = %v, %v; want %v", cfg.FakeNow, err, want)
	}
	if got := cfg.Clock()(); got.Before(want) || got.Sub(want) > time.Hour {
		t.Errorf("the clock starts at %v, want %v (running on from there)", got, want)
	}
	cfg, err = config.Parse("serve", []string{"--fake-now", "2019-07-15T21:30:00-07:00"}, func(string) string { return "" }, io.Discard)
	if err != nil || !cfg.FakeNow.Equal(want) {
		t.Errorf("--fake-now with an offset: %v, %v; want %v", cfg.FakeNow, err, want)
	}
	for _, bad := range []string{"2019-07-16", "2019-07-16 04:30", "2019-07-16T04:30:00", "yesterday", "0000-01-01T00:00:00Z"} {
		env["CAMPAIGNTRACK_FAKE_NOW"] = bad
		_, err := config.Parse("serve", nil, func(k string) string { return env[k] }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "CAMPAIGNTRACK_FAKE_NOW") || !strings.Contains(err.Error(), "RFC 3339") {
			t.Errorf("CAMPAIGNTRACK_FAKE_NOW=%q: %v, want a refusal naming the setting and the format", bad, err)
		}
	}
	if cfg, _ := config.Parse("serve", nil, func(string) string { return "" }, io.Discard); time.Since(cfg.Clock()()) > time.Minute {
		t.Error("without FakeNow the clock is not the real one")
	}
}
