package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campaigntrack/config"
	"campaigntrack/mail"
	"campaigntrack/testdb"
)

// confirmForm is the seeded campaign's settings form as sent, with the
// confirmation box ticked or not.
func confirmForm(confirm bool) url.Values {
	f := settingsForm("A summary.")
	if confirm {
		f.Set("confirm_signatures", "on")
	}
	return f
}

// TestConfirmSettingTurnsOffAndOn: the settings form's "Ask signers to
// confirm by email" box saves both ways, each change audited, says whether
// it applies now (an SMTP server is set up or not), and a new campaign's
// form has it ticked.
func TestConfirmSettingTurnsOffAndOn(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	b := a.organiser()
	ctx := context.Background()
	const settings = "/admin/campaigns/no-tech-for-ice/settings"

	page := b.get(settings)
	box := page.doc(t).Find(`input[name=confirm_signatures]`)
	if _, checked := box.Attr("checked"); page.status != http.StatusOK || box.Length() != 1 || !checked {
		t.Fatalf("settings form: %d, confirmation box %d, checked %v; want it ticked (the seed's setting)", page.status, box.Length(), checked)
	}
	if state := text(page.doc(t).Find(`[data-testid=confirm-setting-state]`)); !strings.Contains(state, "No SMTP server is set up now") {
		t.Errorf("without --smtp-url the setting's note says %q", state)
	}

	for _, confirm := range []bool{false, true} {
		if r := b.post(settings, confirmForm(confirm)); r.status != http.StatusSeeOther {
			t.Fatalf("save with confirmation %v: %d\n%s", confirm, r.status, r.body)
		}
		cp, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil {
			t.Fatal(err)
		}
		if cp.ConfirmSignatures != confirm {
			t.Errorf("after saving with the box %v, ConfirmSignatures = %v", confirm, cp.ConfirmSignatures)
		}
		history, err := a.store.AuditForRecord(ctx, "campaign", cp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ch, ok := history[0].ChangeSet()["ConfirmSignatures"]; !ok || ch.After != confirm || ch.Before != !confirm {
			t.Errorf("latest audit entry %+v, want ConfirmSignatures %v to %v", history[0].ChangeSet(), !confirm, confirm)
		}
		_, checked := b.get(settings).doc(t).Find(`input[name=confirm_signatures]`).Attr("checked")
		if checked != confirm {
			t.Errorf("the form shows the box ticked %v after saving %v", checked, confirm)
		}
	}

	if _, checked := b.get("/admin/campaigns/new").doc(t).Find(`input[name=confirm_signatures]`).Attr("checked"); !checked {
		t.Error("a new campaign's form does not ask signers to confirm by default")
	}

	// With an SMTP server set up, the note says the setting applies now.
	mailing := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{SMTP: &mail.SMTP{Host: "127.0.0.1", Port: 2525}})
	state := text(mailing.organiser().get(settings).doc(t).Find(`[data-testid=confirm-setting-state]`))
	if !strings.Contains(state, "An SMTP server is set up now") {
		t.Errorf("with --smtp-url the setting's note says %q", state)
	}
}
