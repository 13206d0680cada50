// Package mail composes the messages campaigntrack sends to signers and
// sends them over SMTP. It knows nothing of the database: the outbox and
// the sender loop in models and cli call it with what to say and to whom.
package mail

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// SMTP is the parsed --smtp-url. smtp://[user:pass@]host:port uses
// STARTTLS when the server offers it and plain SMTP otherwise, so a relay
// on the same machine works; smtps://[user:pass@]host:port speaks TLS from
// the first byte.
type SMTP struct {
	Host               string // without brackets, also for an IPv6 address
	Port               int
	ImplicitTLS        bool // smtps://
	Username, Password string
}

// Default ports when the URL names none.
const (
	DefaultSMTPPort  = 25
	DefaultSMTPSPort = 465
)

// ParseSMTPURL reads smtp://[user:pass@]host[:port] or smtps://… . User
// and password are URL-unescaped, so a password with @ or : is written
// %40 or %3A. The empty string is an error too; callers that treat an
// empty setting as "no mail" check for it first.
//
// Errors are one line and never hold the password: a URL is only ever
// echoed redacted, and one that does not parse is not echoed at all.
func ParseSMTPURL(s string) (SMTP, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return SMTP{}, errors.New("empty; give an address such as smtp://mail.example.org:25 or smtps://user:password@mail.example.org:465")
	}
	u, err := url.Parse(s)
	if err != nil {
		// url's own errors quote the whole input, password and all.
		return SMTP{}, errors.New("not a URL such as smtp://mail.example.org:25 or smtps://user:password@mail.example.org:465 (write @, : or / in a password as %40, %3A, %2F)")
	}
	shown := u.Redacted()
	var cfg SMTP
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		cfg.Port = DefaultSMTPPort
	case "smtps":
		cfg.Port, cfg.ImplicitTLS = DefaultSMTPSPort, true
	default:
		return SMTP{}, fmt.Errorf("%q is not an smtp:// or smtps:// URL", shown)
	}
	if u.Opaque != "" {
		return SMTP{}, fmt.Errorf("%q is not an smtp:// or smtps:// URL (the // is missing)", shown)
	}
	if cfg.Host = u.Hostname(); cfg.Host == "" {
		return SMTP{}, fmt.Errorf("no host in %q", shown)
	}
	if !validHost(cfg.Host) {
		return SMTP{}, fmt.Errorf("host %q is not a host name or IP address", cfg.Host)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTP{}, fmt.Errorf("port %q is not a number from 1 to 65535", p)
		}
		cfg.Port = n
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return SMTP{}, fmt.Errorf("%q: give only the scheme, user, host and port, with no path, query or fragment", shown)
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		if cfg.Username == "" && cfg.Password != "" {
			return SMTP{}, fmt.Errorf("%q has a password but no user", shown)
		}
	}
	return cfg, nil
}

// validHost accepts an IP address or an ASCII host name (an
// internationalised one written in its xn-- form).
func validHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if len(h) > 253 || strings.HasPrefix(h, "-") || strings.HasPrefix(h, ".") || strings.Contains(h, "..") {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// String is the setting as logs may show it: the password, if any, is
// xxxxx.
func (s SMTP) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(s.Host, strconv.Itoa(s.Port))}
	if s.ImplicitTLS {
		u.Scheme = "smtps"
	}
	switch {
	case s.Password != "":
		u.User = url.UserPassword(s.Username, "xxxxx")
	case s.Username != "":
		u.User = url.User(s.Username)
	}
	return u.String()
}
