// Package config builds the one Config the application runs with, from
// command-line flags and CAMPAIGNTRACK_* environment variables (a flag wins
// over the environment, the environment over the default).
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is everything the server needs to know, validated once.
type Config struct {
	Addr            string        // listen address, CAMPAIGNTRACK_ADDR
	DB              string        // SQLite path or postgres:// URL, CAMPAIGNTRACK_DB
	Seed            string        // "demo" or "none", CAMPAIGNTRACK_SEED
	LogLevel        string        // debug, info, warn, error, CAMPAIGNTRACK_LOG_LEVEL
	SecureCookies   bool          // cookies only over HTTPS, and HSTS; CAMPAIGNTRACK_SECURE_COOKIES
	AccessLog       bool          // one log line per request; CAMPAIGNTRACK_ACCESS_LOG
	TrustedProxies  []*net.IPNet  // proxies whose X-Forwarded-For is believed; CAMPAIGNTRACK_TRUSTED_PROXIES
	SignRateLimit   RateLimit     // signatures per client address per petition; CAMPAIGNTRACK_SIGN_RATE_LIMIT
	PageCache       time.Duration // how long a rendered campaign page is reused; 0 renders every request; CAMPAIGNTRACK_PAGE_CACHE
	PprofAddr       string        // where to serve net/http/pprof, empty for nowhere; CAMPAIGNTRACK_PPROF_ADDR
	ShutdownTimeout time.Duration // grace period for requests in flight
}

// Setting describes one configuration value for --help and the README.
type Setting struct {
	Flag, Env, Default, Usage string
}

// Settings lists every setting, in the order --help prints them.
var Settings = []Setting{
	{"addr", "CAMPAIGNTRACK_ADDR", ":8080", "address to listen on"},
	{"db", "CAMPAIGNTRACK_DB", "campaigntrack.db", "SQLite file (created if missing) or postgres:// URL"},
	{"seed", "CAMPAIGNTRACK_SEED", "demo", "data to load into a new, empty database: demo (the #NoTechForICE campaign) or none"},
	{"log-level", "CAMPAIGNTRACK_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"access-log", "CAMPAIGNTRACK_ACCESS_LOG", "true", "one log line per request (true or false); errors are logged either way. Turn it off when the reverse proxy keeps the access log"},
	{"secure-cookies", "CAMPAIGNTRACK_SECURE_COOKIES", "false", "true when served over HTTPS (directly or behind a proxy): cookies get Secure, responses HSTS"},
	{"sign-rate-limit", "CAMPAIGNTRACK_SIGN_RATE_LIMIT", "20/min", "signatures one client address may send to one petition: N/s, N/min or N/h, or off (for load tests)"},
	{"page-cache", "CAMPAIGNTRACK_PAGE_CACHE", "1s", "how long each instance reuses a rendered campaign page (the count shown is at most this old); 0 renders every request"},
	{"pprof-addr", "CAMPAIGNTRACK_PPROF_ADDR", "", "serve Go's profiler (net/http/pprof) on this address, for performance work; keep it on localhost. Empty: off"},
	{"trusted-proxies", "CAMPAIGNTRACK_TRUSTED_PROXIES", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed; empty: the peer address is the client"},
}

// Parse reads flags from args, falling back on getenv and then on the
// defaults. Errors name the flag or variable that was wrong.
func Parse(name string, args []string, getenv func(string) string, output io.Writer) (Config, error) {
	return ParseWith(name, args, getenv, output, nil)
}

// ParseWith is Parse for a command with flags of its own, which extra
// defines on the flag set before the arguments are parsed.
func ParseWith(name string, args []string, getenv func(string) string, output io.Writer, extra func(*flag.FlagSet)) (Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	if extra != nil {
		extra(fs)
	}
	fs.SetOutput(output)
	values := make(map[string]*string, len(Settings))
	for _, s := range Settings {
		def := s.Default
		if v := strings.TrimSpace(getenv(s.Env)); v != "" {
			def = v
		}
		values[s.Flag] = fs.String(s.Flag, def, fmt.Sprintf("%s (env %s)", s.Usage, s.Env))
	}
	fs.Usage = func() {
		fmt.Fprintf(output, "Usage: campaigntrack %s [flags]\n\nFlags:\n", name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg := Config{
		Addr:            *values["addr"],
		DB:              *values["db"],
		Seed:            *values["seed"],
		LogLevel:        strings.ToLower(*values["log-level"]),
		PprofAddr:       strings.TrimSpace(*values["pprof-addr"]),
		ShutdownTimeout: 10 * time.Second,
	}
	var err error
	if cfg.SecureCookies, err = parseBool(*values["secure-cookies"]); err != nil {
		return Config{}, fmt.Errorf("--secure-cookies / CAMPAIGNTRACK_SECURE_COOKIES: %w", err)
	}
	if cfg.AccessLog, err = parseBool(*values["access-log"]); err != nil {
		return Config{}, fmt.Errorf("--access-log / CAMPAIGNTRACK_ACCESS_LOG: %w", err)
	}
	proxies, err := ParseProxies(*values["trusted-proxies"])
	if err != nil {
		return Config{}, fmt.Errorf("--trusted-proxies / CAMPAIGNTRACK_TRUSTED_PROXIES: %w", err)
	}
	cfg.TrustedProxies = proxies
	if cfg.PageCache, err = time.ParseDuration(strings.TrimSpace(*values["page-cache"])); err != nil || cfg.PageCache < 0 || cfg.PageCache > time.Hour {
		return Config{}, fmt.Errorf("--page-cache / CAMPAIGNTRACK_PAGE_CACHE: %q is not a duration between 0 and 1h, such as 1s or 500ms", *values["page-cache"])
	}
	if cfg.SignRateLimit, err = ParseRateLimit(*values["sign-rate-limit"]); err != nil {
		return Config{}, fmt.Errorf("--sign-rate-limit / CAMPAIGNTRACK_SIGN_RATE_LIMIT: %w", err)
	}
	return cfg, cfg.Validate()
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return fmt.Errorf("--addr / CAMPAIGNTRACK_ADDR: %q is not a host:port address such as :8080", c.Addr)
	}
	if strings.TrimSpace(c.DB) == "" {
		return errors.New("--db / CAMPAIGNTRACK_DB: empty; give a SQLite file path or a postgres:// URL")
	}
	if !slices.Contains([]string{"demo", "none"}, c.Seed) {
		return fmt.Errorf("--seed / CAMPAIGNTRACK_SEED: %q is not demo or none", c.Seed)
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.LogLevel) {
		return fmt.Errorf("--log-level / CAMPAIGNTRACK_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel)
	}
	return nil
}

// ParseProxies reads a comma-separated list of IP addresses and CIDR
// ranges.
func ParseProxies(s string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			ip := net.ParseIP(part)
			if ip == nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR range", part)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not an IP address or CIDR range", part)
		}
		out = append(out, n)
	}
	return out, nil
}

// RateLimit is N events per Period; the zero value is off.
type RateLimit struct {
	N      int
	Period time.Duration
}

// Off reports whether there is no limit.
func (r RateLimit) Off() bool { return r.N == 0 }

// ParseRateLimit reads "20/min", "5/s", "100/h" or "off".
func ParseRateLimit(s string) (RateLimit, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "off" {
		return RateLimit{}, nil
	}
	num, unit, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if !ok || err != nil || n < 1 || n > 1_000_000 {
		return RateLimit{}, fmt.Errorf("%q is not a limit such as 20/min, 5/s, 100/h or off", s)
	}
	periods := map[string]time.Duration{"s": time.Second, "sec": time.Second, "second": time.Second,
		"m": time.Minute, "min": time.Minute, "minute": time.Minute, "h": time.Hour, "hour": time.Hour}
	p, ok := periods[strings.TrimSpace(unit)]
	if !ok {
		return RateLimit{}, fmt.Errorf("%q is not a limit such as 20/min, 5/s, 100/h or off", s)
	}
	return RateLimit{N: n, Period: p}, nil
}

func parseBool(s string) (bool, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off", "":
		return false, nil
	default:
		return false, fmt.Errorf("%q is not true or false", v)
	}
}
