package models_test

import (
	"context"
	"strings"
	"testing"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

// TestSignerLinks: a token works for its purpose, campaign and signature
// only; every change to it is refused.
func TestSignerLinks(t *testing.T) {
	t.Parallel()
	store := testdb.Open(t, testdb.SQLite)
	links, err := store.SignerLinks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tok := links.Token(models.LinkConfirm, 3, 42)
	if id, ok := links.Check(models.LinkConfirm, 3, tok); !ok || id != 42 {
		t.Fatalf("Check(own token) = %d %v", id, ok)
	}
	for name, bad := range map[string]struct {
		purpose  string
		campaign uint
		token    string
	}{
		"other purpose":  {models.LinkWithdraw, 3, tok},
		"other campaign": {models.LinkConfirm, 4, tok},
		"other id":       {models.LinkConfirm, 3, "43" + tok[2:]},
		"leading zero":   {models.LinkConfirm, 3, "0" + tok},
		"cut":            {models.LinkConfirm, 3, tok[:len(tok)-1]},
		"longer":         {models.LinkConfirm, 3, tok + "A"},
		"no mac":         {models.LinkConfirm, 3, "42"},
		"empty":          {models.LinkConfirm, 3, ""},
		"huge id":        {models.LinkConfirm, 3, strings.Repeat("9", 30) + tok[2:]},
	} {
		if _, ok := links.Check(bad.purpose, bad.campaign, bad.token); ok {
			t.Errorf("%s: accepted", name)
		}
	}
	other, _ := testdb.Open(t, testdb.SQLite).SignerLinks(context.Background())
	if _, ok := other.Check(models.LinkConfirm, 3, tok); ok {
		t.Error("another site's key accepts the token")
	}
}

// FuzzSignerLinkCheck: any text in a link's address is refused or names
// the id its token was made for, and never panics.
func FuzzSignerLinkCheck(f *testing.F) {
	store := testdb.Open(f, testdb.SQLite)
	links, err := store.SignerLinks(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(links.Token(models.LinkConfirm, 1, 7))
	f.Add("7.AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("18446744073709551615.AAAAAAAAAAAAAAAAAAAAAA")
	f.Add(".")
	f.Fuzz(func(t *testing.T, token string) {
		id, ok := links.Check(models.LinkConfirm, 1, token)
		if ok && links.Token(models.LinkConfirm, 1, id) != token {
			t.Fatalf("accepted %q for id %d, whose token is another", token, id)
		}
	})
}
