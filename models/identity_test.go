package models_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"campaigntrack/models"
)

// TestIdentitySamePerson: addresses that reach one inbox are one person.
func TestIdentitySamePerson(t *testing.T) {
	t.Parallel()
	rules := models.EmailRules{
		"ymail.com":   {Domain: "ymail.com", AliasOf: "yahoo.com"},
		"yahoo.com":   {Domain: "yahoo.com", TagSeps: "-"},
		"fastmail.fm": {Domain: "fastmail.fm", IgnoreDots: true},
	}
	for _, group := range [][]string{
		{"Ana.Lopez+nt4i@gmail.com", "analopez@googlemail.com", "ANALOPEZ@GMAIL.COM", " a.n.a.lopez@gmail.com ", "analopez+petition@Gmail.com"},
		{"ana@example.org", "ANA@EXAMPLE.ORG", "ana+news@example.org", "Ana+@example.org"},
		{"ana@ymail.com", "ana@yahoo.com", "ana-list@yahoo.com", "ANA+x@YMAIL.COM"},
		{"a.b@fastmail.fm", "ab@fastmail.fm"},
		{"zoë@example.org", "zoe\u0308@example.org", "ZOË@example.org"}, // composed, decomposed, upper case
		{"ana@example.org.", "ana@example.org"},                         // a trailing dot on the domain
	} {
		want := rules.Identity(group[0])
		for _, addr := range group[1:] {
			if got := rules.Identity(addr); got != want {
				t.Errorf("%q is %q, want %q (the same person as %q)", addr, got, want, group[0])
			}
		}
	}
}

// TestIdentityDifferentPeople: addresses that only look alike, or that
// providers keep apart, stay different people.
func TestIdentityDifferentPeople(t *testing.T) {
	t.Parallel()
	rules := models.EmailRules{}
	for _, pair := range [][2]string{
		{"ana.lopez@hotmail.com", "analopez@hotmail.com"}, // dots matter outside Gmail
		{"ana@example.org", "аna@example.org"},            // Cyrillic а
		{"ana@gmail.com", "ana@gmail.co"},
		{"ana@gmail.com", "ana@gmai1.com"},
		{"ana-list@yahoo.com", "ana@yahoo.com"}, // no rule for yahoo: "-" is part of the name
		{"ana@example.org", "ana@sub.example.org"},
		{"+news@example.org", "+other@example.org"}, // no empty local part: not every address at example.org
		{"+news@example.org", "x@example.org"},
		{"...@gmail.com", "..@gmail.com"}, // dots that are the whole name stay
		{"ana_lopez@gmail.com", "analopez@gmail.com"},
		{"ana@ymail.com", "ana@yahoo.com"}, // no alias rule here
		{"ana@googlemail.com", "ana@googlemail.org"},
		{"ana@xn--exmple-cua.com", "ana@example.com"},
	} {
		if a, b := rules.Identity(pair[0]), rules.Identity(pair[1]); a == b {
			t.Errorf("%q and %q are both %q: they are different people", pair[0], pair[1], a)
		}
	}
}

// TestEmailRuleValidation: a rule that would merge different people, or
// every address, is refused, naming the field.
func TestEmailRuleValidation(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rule  models.EmailRule
		field string
	}{
		{models.EmailRule{Domain: "", IgnoreDots: true}, "domain"},
		{models.EmailRule{Domain: "*", IgnoreDots: true}, "domain"},
		{models.EmailRule{Domain: "*.com", IgnoreDots: true}, "domain"},
		{models.EmailRule{Domain: "com", IgnoreDots: true}, "domain"},
		{models.EmailRule{Domain: "a@b.com", IgnoreDots: true}, "domain"},
		{models.EmailRule{Domain: "example.org", TagSeps: "a"}, "tag_seps"},
		{models.EmailRule{Domain: "example.org", TagSeps: "1"}, "tag_seps"},
		{models.EmailRule{Domain: "example.org", TagSeps: "."}, "tag_seps"},
		{models.EmailRule{Domain: "example.org", TagSeps: "@"}, "tag_seps"},
		{models.EmailRule{Domain: "example.org", AliasOf: "example.org"}, "alias_of"},
		{models.EmailRule{Domain: "example.org", AliasOf: "nodot"}, "alias_of"},
		{models.EmailRule{Domain: "example.org"}, "domain"}, // changes nothing
	} {
		r := c.rule
		r.Normalise()
		fe := r.Validate()
		if fe[c.field] == "" {
			t.Errorf("%+v: errors %v, want one for %s", c.rule, fe, c.field)
		}
	}
	ok := models.EmailRule{Domain: " YMail.com ", AliasOf: "@yahoo.com", TagSeps: "-"}
	ok.Normalise()
	if fe := ok.Validate(); len(fe) != 0 || ok.Domain != "ymail.com" || ok.AliasOf != "yahoo.com" {
		t.Errorf("a good rule: %+v %v", ok, fe)
	}
}

// FuzzIdentity: any input gives an identity that is stable (the identity
// of an identity is itself), valid UTF-8 when the input is, and never an
// empty local part for an address that had one.
func FuzzIdentity(f *testing.F) {
	for _, s := range []string{"Ana.Lopez+nt4i@gmail.com", "+x@example.org", "a@b@c", "", "@", "...@gmail.com", "zoe\u0308@example.org", "ǅ@example.org", "ﬃ@example.org"} {
		f.Add(s)
	}
	rules := models.EmailRules{"ymail.com": {Domain: "ymail.com", AliasOf: "yahoo.com"}, "yahoo.com": {Domain: "yahoo.com", TagSeps: "-", IgnoreDots: true}}
	f.Fuzz(func(t *testing.T, s string) {
		id := rules.Identity(s)
		if utf8.ValidString(s) && !utf8.ValidString(id) {
			t.Fatalf("%q gave invalid UTF-8 %q", s, id)
		}
		if again := rules.Identity(id); again != id {
			t.Fatalf("%q -> %q -> %q: not stable", s, id, again)
		}
		if at := strings.LastIndexByte(strings.TrimSpace(s), '@'); at > 0 && strings.LastIndexByte(id, '@') == 0 {
			t.Fatalf("%q lost its local part: %q", s, id)
		}
	})
}

// FuzzEmailRule: whatever an organiser types as a rule, an accepted one
// never gives an address an empty local part, and identities under it
// stay stable.
func FuzzEmailRule(f *testing.F) {
	f.Add("yahoo.com", "", false, "-", "ana-x@yahoo.com")
	f.Add("ymail.com", "yahoo.com", true, "", "a.n.a@ymail.com")
	f.Add("", "", true, "", "x@y.z")
	f.Add("example.org", "", false, "a", "ana@example.org")
	f.Fuzz(func(t *testing.T, domain, alias string, dots bool, seps, addr string) {
		r := models.EmailRule{Domain: domain, AliasOf: alias, IgnoreDots: dots, TagSeps: seps}
		r.Normalise()
		if len(r.Validate()) > 0 {
			return
		}
		rules := models.EmailRules{r.Domain: r}
		id := rules.Identity(addr)
		if again := rules.Identity(id); again != id {
			t.Fatalf("rule %+v: %q -> %q -> %q", r, addr, id, again)
		}
		if at := strings.LastIndexByte(strings.TrimSpace(addr), '@'); at > 0 && strings.LastIndexByte(id, '@') == 0 {
			t.Fatalf("rule %+v emptied %q: %q", r, addr, id)
		}
	})
}
