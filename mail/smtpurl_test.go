package mail

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseSMTPURL(t *testing.T) {
	ok := []struct {
		in   string
		want SMTP
	}{
		{"smtp://localhost", SMTP{Host: "localhost", Port: 25}},
		{"smtp://127.0.0.1:2525", SMTP{Host: "127.0.0.1", Port: 2525}},
		{" SMTP://mail.example.org:587/ ", SMTP{Host: "mail.example.org", Port: 587}},
		{"smtps://mail.example.org", SMTP{Host: "mail.example.org", Port: 465, ImplicitTLS: true}},
		{"smtps://ana:s3cret@mail.example.org:4650", SMTP{Host: "mail.example.org", Port: 4650, ImplicitTLS: true, Username: "ana", Password: "s3cret"}},
		{"smtp://ana%40example.org:p%40ss%3Aw%2Frd@mail.example.org", SMTP{Host: "mail.example.org", Port: 25, Username: "ana@example.org", Password: "p@ss:w/rd"}},
		{"smtp://apikey@relay.example.org", SMTP{Host: "relay.example.org", Port: 25, Username: "apikey"}},
		{"smtp://[::1]:25", SMTP{Host: "::1", Port: 25}},
	}
	for _, c := range ok {
		got, err := ParseSMTPURL(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	bad := []struct{ in, want string }{
		{"", "empty"},
		{"   ", "empty"},
		{"ftp://x", `"ftp://x" is not an smtp:// or smtps:// URL`},
		{"mail.example.org:25", "is not an smtp:// or smtps:// URL"},
		{"smtp:mail.example.org", "the // is missing"},
		{"smtp://:25", `no host in "smtp://:25"`},
		{"smtp://ana:hunter22@:25", `no host in "smtp://ana:xxxxx@:25"`},
		{"smtp://mail.example.org:99999", `port "99999" is not a number from 1 to 65535`},
		{"smtp://mail.example.org:0", `port "0" is not a number from 1 to 65535`},
		{"smtp://ana:hunter22@mail.example.org:x", "not a URL such as"},
		{"smtp://mail.example.org/relay", "no path, query or fragment"},
		{"smtp://mail.example.org?tls=no", "no path, query or fragment"},
		{"smtp://:hunter22@mail.example.org", "has a password but no user"},
		{"smtp://ana:hunter22@mail.example.org:70000", `port "70000"`},
	}
	for _, c := range bad {
		_, err := ParseSMTPURL(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseSMTPURL(%q) error = %v; want one containing %q", c.in, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), "hunter22") {
			t.Errorf("ParseSMTPURL(%q) error shows the password: %v", c.in, err)
		}
	}
}

func TestSMTPString(t *testing.T) {
	cases := map[string]string{
		"smtps://ana:hunter22@mail.example.org": "smtps://ana:xxxxx@mail.example.org:465",
		"smtp://apikey@relay.example.org:587":   "smtp://apikey@relay.example.org:587",
		"smtp://localhost":                      "smtp://localhost:25",
		"smtp://[::1]:2525":                     "smtp://[::1]:2525",
	}
	for in, want := range cases {
		cfg, err := ParseSMTPURL(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.String(); got != want {
			t.Errorf("%q: String() = %q, want %q", in, got, want)
		}
	}
}

// FuzzParseSMTPURL checks that no input panics, that every error is one
// line, and that a password is never in an error or in String.
func FuzzParseSMTPURL(f *testing.F) {
	for _, s := range []string{"smtp://localhost", "smtps://a:b@h:465", "smtp://:25", "ftp://x",
		"smtp://a:b@h:99999", "smtp://h/p?q#f", "smtp://[::1]:25", "smtp://a%zz@h", "smtp://\x00", "h:25", "@h:25/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check(t, s)
		// A known password, with the fuzzed text after it: whatever that
		// text does to the URL, no error may show the password. (Text with
		// % or "zebra" could spell the password itself.)
		if !strings.Contains(s, "%") && !strings.Contains(s, "zebra") {
			check(t, "smtp://ana:hunter-two-zebra@"+s)
			check(t, "smtps://hunter-two-zebra@"+s) // a user with no password is shown; not the case here
		}
	})
}

func check(t *testing.T, in string) {
	cfg, err := ParseSMTPURL(in)
	if err != nil {
		if strings.ContainsAny(err.Error(), "\r\n") {
			t.Fatalf("ParseSMTPURL(%q): error is not one line: %q", in, err)
		}
		if strings.Contains(in, ":hunter-two-zebra@") && strings.Contains(err.Error(), "hunter-two-zebra") {
			t.Fatalf("ParseSMTPURL(%q): error %q shows the password", in, err)
		}
		return
	}
	if cfg.Host == "" || cfg.Port < 1 || cfg.Port > 65535 {
		t.Fatalf("ParseSMTPURL(%q) = %+v: no host or a bad port", in, cfg)
	}
	if cfg.Password != "" {
		u, err := url.Parse(cfg.String())
		if err != nil || u.User == nil {
			t.Fatalf("ParseSMTPURL(%q).String() = %q does not parse back", in, cfg.String())
		}
		if p, _ := u.User.Password(); p != "xxxxx" {
			t.Fatalf("ParseSMTPURL(%q).String() = %q shows the password", in, cfg.String())
		}
	}
}
