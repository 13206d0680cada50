package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
)

// settingsForm is a valid campaign settings form; summary sets its size.
func settingsForm(summary string) url.Values {
	return url.Values{"slug": {"no-tech-for-ice"}, "title": {"#NoTechForICE"}, "target": {"Amazon"},
		"demand": {"Stop selling technology to ICE"}, "summary": {summary}, "status": {"active"},
		"signature_goal": {"500000"}, "deliveries_planned": {"9"}}
}

// assertNotSavedPage checks the answer an organiser gets when the database
// cannot be written: the app's own error page, 503 with Retry-After,
// saying the change was not saved and nothing changed, and nothing of
// the session store or a fault.
func assertNotSavedPage(t *testing.T, what string, r response) {
	t.Helper()
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Errorf("%s: status %d, Retry-After %q; want 503 with Retry-After\n%s", what, r.status, r.header.Get("Retry-After"), r.body)
		return
	}
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("%s: Content-Type %q, want the HTML error page", what, r.header.Get("Content-Type"))
	}
	page := text(r.doc(t).Find(`[data-testid=error]`))
	for _, want := range []string{"could not be saved", "Nothing was changed", "try again"} {
		if !strings.Contains(page, want) {
			t.Errorf("%s: the page does not say %q: %q", what, want, page)
		}
	}
	if strings.Contains(r.body, "session store") || strings.Count(r.body, "<html") != 1 {
		t.Errorf("%s: the answer is not one error page:\n%s", what, r.body)
	}
}

// TestOrganiserOnAReadOnlyDatabaseGetsANotSavedPage: with the database
// read-only, a signed-in organiser's pages (which save the session) and
// forms (which save a change) answer with the not-saved page, and
// /healthz says 503; once writes work again, both recover.
func TestOrganiserOnAReadOnlyDatabaseGetsANotSavedPage(t *testing.T) {
	t.Parallel()
	a, db, log := appOnSmallPool(t)
	a.user("organiser@example.org", models.RoleOrganiser)
	b := a.browser()
	b.login("organiser@example.org")
	if r := a.browser().get("/healthz"); r.status != http.StatusOK {
		t.Fatalf("/healthz before: %d", r.status)
	}

	// The form's token, taken while pages still load (the admin area's
	// pages cannot be shown once the session cannot be saved).
	settings := settingsForm("A summary.")
	settings.Set("_csrf", b.csrf())

	pragmaEverywhere(t, db, "PRAGMA query_only = ON")
	assertNotSavedPage(t, "GET /admin", b.get("/admin"))
	assertNotSavedPage(t, "saving the settings", b.postRaw("/admin/campaigns/no-tech-for-ice/settings", settings))
	time.Sleep(1100 * time.Millisecond) // past the health cache
	r := a.browser().get("/healthz")
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, `"status"`) {
		t.Errorf("/healthz on a read-only database: %d %s, want 503 with a status", r.status, r.body)
	}
	if !strings.Contains(log.String(), "level=ERROR") {
		t.Errorf("nothing logged for the operator:\n%s", log.String())
	}

	pragmaEverywhere(t, db, "PRAGMA query_only = OFF")
	time.Sleep(1100 * time.Millisecond)
	if r := a.browser().get("/healthz"); r.status != http.StatusOK {
		t.Errorf("/healthz once writable again: %d %s", r.status, r.body)
	}
	if r := b.get("/admin"); r.status != http.StatusOK {
		t.Errorf("GET /admin once writable again: %d", r.status)
	}
}

// TestOrganiserOnAFullDiskGetsANotSavedPage: with the database full, a
// change that needs room is refused with the not-saved page, not a fault.
func TestOrganiserOnAFullDiskGetsANotSavedPage(t *testing.T) {
	t.Parallel()
	a, db, _ := appOnSmallPool(t)
	a.user("organiser@example.org", models.RoleOrganiser)
	b := a.browser()
	b.login("organiser@example.org")
	var pages int
	if err := db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	pragmaEverywhere(t, db, fmt.Sprintf("PRAGMA max_page_count = %d", pages+2))
	signer := a.browser()
	for i := 0; i < 500; i++ {
		form := signForm(fmt.Sprintf("full%03d@example.org", i))
		form.Set("comment", strings.Repeat("A long comment that fills pages. ", 28))
		if signer.sign(form).status == http.StatusServiceUnavailable {
			break
		}
	}
	// A summary of nearly 5,000 characters (the most allowed) needs
	// pages the file may not have.
	r := b.post("/admin/campaigns/no-tech-for-ice/settings", settingsForm(strings.Repeat("A summary that needs room. ", 180)))
	assertNotSavedPage(t, "saving the settings on a full disk", r)
	pragmaEverywhere(t, db, "PRAGMA max_page_count = 1073741823")
}
