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
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"campaigntrack/mail"
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
	BaseURL         *url.URL      // the public address every absolute URL is built on; CAMPAIGNTRACK_BASE_URL
	PublicPlaceMin  int64         // a place is named in public counts only with at least this many signers; CAMPAIGNTRACK_PUBLIC_PLACE_MIN
	MaxConns        int           // open connections the server accepts at once; CAMPAIGNTRACK_MAX_CONNS
	ShutdownTimeout time.Duration // grace period for requests in flight
	ReadTimeout     time.Duration // time to read a request; 0: the server's default (30 s). For tests
	UploadTimeout   time.Duration // time to read a signature upload; 0: the default (10 min). For tests
	SMTP            *mail.SMTP    // where mail goes; nil: kept in the outbox, nothing leaves the machine; CAMPAIGNTRACK_SMTP_URL
	MailFrom        mail.Address  // the sender of every mail; CAMPAIGNTRACK_MAIL_FROM
	MailKeep        time.Duration // how long a sent message keeps its address; CAMPAIGNTRACK_MAIL_KEEP
	// FakeNow, for tests only, is the instant the handlers' clock starts
	// at (it runs on from there), so a browser test can drive the real
	// binary at a known "now"; the zero time is the real clock.
	// CAMPAIGNTRACK_FAKE_NOW
	FakeNow time.Time
}

// DefaultPublicPlaceMin is the fewest signers a place needs before public
// counts name it, unless --public-place-min says otherwise.
const DefaultPublicPlaceMin = 10

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
	{"base-url", "CAMPAIGNTRACK_BASE_URL", "http://localhost:8080", "the public address of the site (scheme, host, optional path), used for every absolute URL (feed links, mail); feed ids do not change with it"},
	{"public-place-min", "CAMPAIGNTRACK_PUBLIC_PLACE_MIN", strconv.Itoa(DefaultPublicPlaceMin), "a city or state is named in public counts only when at least this many signers are from it; smaller places are summed as other places"},
	{"max-conns", "CAMPAIGNTRACK_MAX_CONNS", "4096", "open client connections the server accepts at once; more wait in the kernel's queue"},
	{"smtp-url", "CAMPAIGNTRACK_SMTP_URL", "", "SMTP server for mail to signers: smtp://[user:pass@]host:port (STARTTLS when offered) or smtps://... (TLS); empty: mail is kept in the outbox, shown in the admin, never sent"},
	{"mail-from", "CAMPAIGNTRACK_MAIL_FROM", "", "sender of mail to signers, such as \"No Tech for ICE <petition@example.org>\"; empty: campaigntrack@ the base URL's host"},
	{"mail-keep", "CAMPAIGNTRACK_MAIL_KEEP", "168h", "how long a sent (or failed, or kept) message keeps the address it went to before it is blanked, from 1m to 8760h"},
	{"fake-now", "CAMPAIGNTRACK_FAKE_NOW", "", "for tests only, never in production: start the clock of the pages (default dates, days waiting, today) at this instant, in RFC 3339 such as 2019-07-16T04:30:00Z, and let it run on from there. Empty: the real clock"},
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
	if cfg.BaseURL, err = ParseBaseURL(*values["base-url"]); err != nil {
		return Config{}, fmt.Errorf("--base-url / CAMPAIGNTRACK_BASE_URL: %w", err)
	}
	if cfg.PublicPlaceMin, err = strconv.ParseInt(strings.TrimSpace(*values["public-place-min"]), 10, 64); err != nil || cfg.PublicPlaceMin < 1 || cfg.PublicPlaceMin > 1_000_000 {
		return Config{}, fmt.Errorf("--public-place-min / CAMPAIGNTRACK_PUBLIC_PLACE_MIN: %q is not a whole number from 1 to 1000000", *values["public-place-min"])
	}
	if cfg.MaxConns, err = strconv.Atoi(strings.TrimSpace(*values["max-conns"])); err != nil || cfg.MaxConns < 16 || cfg.MaxConns > 1_000_000 {
		return Config{}, fmt.Errorf("--max-conns / CAMPAIGNTRACK_MAX_CONNS: %q is not a whole number from 16 to 1000000", *values["max-conns"])
	}
	if v := strings.TrimSpace(*values["smtp-url"]); v != "" {
		smtp, err := mail.ParseSMTPURL(v)
		if err != nil {
			return Config{}, fmt.Errorf("--smtp-url / CAMPAIGNTRACK_SMTP_URL: %w", err)
		}
		cfg.SMTP = &smtp
	}
	from := strings.TrimSpace(*values["mail-from"])
	if from == "" {
		from = "campaigntrack@" + cfg.BaseURL.Hostname()
	}
	if cfg.MailFrom, err = mail.ParseFrom(from); err != nil {
		return Config{}, fmt.Errorf("--mail-from / CAMPAIGNTRACK_MAIL_FROM: %w", err)
	}
	if cfg.MailKeep, err = time.ParseDuration(strings.TrimSpace(*values["mail-keep"])); err != nil || cfg.MailKeep < time.Minute || cfg.MailKeep > 8760*time.Hour {
		return Config{}, fmt.Errorf("--mail-keep / CAMPAIGNTRACK_MAIL_KEEP: %q is not a duration from 1m to 8760h, such as 168h", *values["mail-keep"])
	}
	if cfg.FakeNow, err = ParseFakeNow(*values["fake-now"]); err != nil {
		return Config{}, fmt.Errorf("--fake-now / CAMPAIGNTRACK_FAKE_NOW: %w", err)
	}
	return cfg, cfg.Validate()
}

// ParseFakeNow reads the test clock's starting instant: RFC 3339 with its
// offset ("2019-07-16T04:30:00Z", "2019-07-15T21:30:00-07:00"); empty is
// the zero time, the real clock.
func ParseFakeNow(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() < 1970 || t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("%q is not an instant in RFC 3339 with its offset, such as 2019-07-16T04:30:00Z (a setting for tests only; leave it empty for the real clock)", s)
	}
	return t, nil
}

// Clock is the clock the handlers run on: time.Now, or with FakeNow set,
// a clock that starts at FakeNow when Clock is called and runs on at the
// real clock's pace.
func (c Config) Clock() func() time.Time {
	if c.FakeNow.IsZero() {
		return time.Now
	}
	start, at := time.Now(), c.FakeNow
	return func() time.Time { return at.Add(time.Since(start)) }
}

// Mailing reports whether mail leaves the machine (an SMTP server is set
// up). Only then are signatures asked to be confirmed: a link no one can
// receive would leave every signature pending.
func (c Config) Mailing() bool { return c.SMTP != nil }

// MailSender is MailFrom, or for a Config made in code that sets none,
// campaigntrack@ the public address's host.
func (c Config) MailSender() mail.Address {
	if c.MailFrom.Email != "" {
		return c.MailFrom
	}
	return mail.Address{Email: "campaigntrack@" + c.PublicURL().Hostname()}
}

// KeepMailFor is MailKeep, or a week in a Config built in code that sets
// none.
func (c Config) KeepMailFor() time.Duration {
	if c.MailKeep <= 0 {
		return 7 * 24 * time.Hour
	}
	return c.MailKeep
}

// ParseBaseURL reads the site's public address: http or https, a host,
// an optional path; no query, fragment or user. The path comes back
// without a trailing slash.
func ParseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("%q is not an address such as https://campaign.example.org", s)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// PublicURL is the site's public address: BaseURL, or for a Config made
// in code that sets none (tests), http://localhost:8080.
func (c Config) PublicURL() *url.URL {
	if c.BaseURL != nil {
		return c.BaseURL
	}
	u, _ := ParseBaseURL("http://localhost:8080")
	return u
}

// PlaceMin is the fewest signers a city or state needs before public
// counts name it: PublicPlaceMin, or DefaultPublicPlaceMin when that is
// below 1, as in a Config built in code that sets none. Every public count
// by place takes its threshold from here, so no Config names a lone
// signer's town.
func (c Config) PlaceMin() int64 {
	if c.PublicPlaceMin < 1 {
		return DefaultPublicPlaceMin
	}
	return c.PublicPlaceMin
}

// AbsoluteURL is path (root-relative, with any query) on the site's
// public address. Every absolute address the application writes is built
// here, never from a request's Host or X-Forwarded-* headers, which any
// client may set.
func (c Config) AbsoluteURL(path string) string {
	return c.PublicURL().String() + path
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
