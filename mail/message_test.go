package mail

import (
	"strings"
	"testing"
	"unicode"
)

func TestParseFrom(t *testing.T) {
	ok := map[string]Address{
		"news@campaign.example":                             {Email: "news@campaign.example"},
		"Stop the Raids <news@campaign.example>":            {Name: "Stop the Raids", Email: "news@campaign.example"},
		`"Stop the Raids, Chicago" <news@campaign.example>`: {Name: "Stop the Raids, Chicago", Email: "news@campaign.example"},
		"=?utf-8?q?Zo=C3=AB?= <zoe@campaign.example>":       {Name: "Zoë", Email: "zoe@campaign.example"},
		"  <news@campaign.example>  ":                       {Email: "news@campaign.example"},
	}
	for in, want := range ok {
		got, err := ParseFrom(in)
		if err != nil || got != want {
			t.Errorf("ParseFrom(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	bad := []string{"", "news", "Stop <news>", "a@b.example, c@d.example", "<news@campaign.example", "news@@campaign.example",
		"news@campaign.example.", "news@.example", "Ana <a b@campaign.example>"}
	for _, in := range bad {
		_, err := ParseFrom(in)
		if err == nil {
			t.Errorf("ParseFrom(%q) accepted", in)
		} else if strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("ParseFrom(%q): error is not one line: %q", in, err)
		}
	}
}

func FuzzParseFrom(f *testing.F) {
	for _, s := range []string{"news@campaign.example", "Stop <news@campaign.example>", `"a\"b" <x@y.example>`,
		"=?utf-8?q?a=0D=0Ab?= <x@y.example>", "a\r\nBcc: x@y <x@y.example>", "<>", "@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseFrom(s)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("ParseFrom(%q): error is not one line: %q", s, err)
			}
			return
		}
		if err := checkEmail(a.Email); err != nil {
			t.Fatalf("ParseFrom(%q) = %+v, whose address Send would refuse: %v", s, a, err)
		}
		if strings.IndexFunc(a.Name, unicode.IsControl) >= 0 {
			t.Fatalf("ParseFrom(%q) = %+v: the name holds a control character", s, a)
		}
	})
}

func TestCleanHeader(t *testing.T) {
	cases := map[string]string{
		"Hi\r\nBcc: evil@x":   "Hi  Bcc: evil@x",
		"Ana\nBcc: evil@x":    "Ana Bcc: evil@x",
		"tab\there\x00\x7f":   "tab here",
		"Zoë Nguyễn":          "Zoë Nguyễn",
		"line\u2028sep\u0085": "line sep",
		"bad \xff utf8":       "bad   utf8",
		"  trimmed  ":         "trimmed",
	}
	for in, want := range cases {
		if got := cleanHeader(in); got != want {
			t.Errorf("cleanHeader(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	for _, e := range []string{"ana@example.org", "ana.b+petition@mail.example.org", "root@localhost", "zoë@example.org"} {
		if err := checkEmail(e); err != nil {
			t.Errorf("checkEmail(%q) = %v", e, err)
		}
	}
	for _, e := range []string{"", "ana", "ana@", "@example.org", "ana@example.org\r\nRCPT TO:<evil@x.example>",
		"ana@example.org\n", "ana @example.org", "<ana@example.org>", "ana@example.org>", "a,b@example.org",
		"ana@exa mple.org", "ana@example", "\"ana\"@example.org", strings.Repeat("a", 250) + "@example.org"} {
		if err := checkEmail(e); err == nil {
			t.Errorf("checkEmail(%q) accepted", e)
		}
	}
}

func TestMessageID(t *testing.T) {
	cases := map[string]string{
		"outbox-42":                "outbox-42@campaign.example",
		"<outbox-42@host.example>": "outbox-42@host.example",
	}
	for in, want := range cases {
		if got, err := messageID(in, "news@campaign.example"); err != nil || got != want {
			t.Errorf("messageID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := messageID("", "news@campaign.example"); err != nil || !strings.HasSuffix(got, "@campaign.example") || len(got) < 20 {
		t.Errorf("messageID(\"\") = %q, %v; want a random id at the sender's domain", got, err)
	}
	for _, in := range []string{"a b", "a\r\nBcc: x", "a@b@c", "a<b", "@host"} {
		if _, err := messageID(in, "news@campaign.example"); err == nil {
			t.Errorf("messageID(%q) accepted", in)
		}
	}
}

func TestBuildRefuses(t *testing.T) {
	good := Message{From: Address{Email: "news@campaign.example"}, To: Address{Email: "ana@example.org"}, Subject: "Hi", Text: "Hello"}
	if _, err := good.build(); err != nil {
		t.Fatalf("build() = %v", err)
	}
	cases := map[string]func(*Message){
		"no sender":           func(m *Message) { m.From.Email = "" },
		"recipient with CRLF": func(m *Message) { m.To.Email = "ana@example.org\r\nBcc: evil@x.example" },
		"no text":             func(m *Message) { m.Text = " " },
		"header with colon":   func(m *Message) { m.Headers = map[string]string{"X-A: b\r\nBcc": "x"} },
		"header Bcc":          func(m *Message) { m.Headers = map[string]string{"bcc": "evil@x.example"} },
		"header To":           func(m *Message) { m.Headers = map[string]string{"To": "evil@x.example"} },
		"bad message id":      func(m *Message) { m.MessageID = "a b" },
	}
	for name, change := range cases {
		m := good
		change(&m)
		_, err := m.build()
		if err == nil {
			t.Errorf("%s: build() accepted", name)
			continue
		}
		if Temporary(err) {
			t.Errorf("%s: %v is temporary; want permanent", name, err)
		}
		if strings.Contains(err.Error(), "ana@example.org") {
			t.Errorf("%s: error %q names the recipient", name, err)
		}
	}
}
