package handlers_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

// organiser signs a new browser in as an organiser.
func (a *app) organiser() *browser {
	a.t.Helper()
	const email = "renamer@example.org"
	if _, err := a.store.UserByEmail(context.Background(), email); err != nil {
		a.user(email, models.RoleOrganiser)
	}
	b := a.browser()
	b.login(email)
	return b
}

// rename changes a campaign's slug (and title) through the settings form.
func (b *browser) rename(from, to, title string) {
	b.t.Helper()
	r := b.post("/admin/campaigns/"+from+"/settings", url.Values{"slug": {to}, "title": {title}, "target": {"Amazon"},
		"demand": {"Stop selling technology to ICE"}, "status": {"active"}, "signature_goal": {"0"}, "deliveries_planned": {"9"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/campaigns/"+to+"/settings" {
		b.t.Fatalf("rename %s to %s: %d %q\n%s", from, to, r.status, r.header.Get("Location"), r.body)
	}
}

// head sends a HEAD request.
func (b *browser) head(path string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodHead, b.a.srv.URL+path, nil)
	return b.do(req)
}

// wantMoved checks that r redirects, with code, to location.
func wantMoved(t *testing.T, what string, r response, code int, location string) {
	t.Helper()
	if r.status != code || r.header.Get("Location") != location {
		t.Errorf("%s: %d %q, want %d to %q", what, r.status, r.header.Get("Location"), code, location)
	}
}

// TestRenamedCampaignRedirects: after an organiser changes a campaign's
// address, every public address under the old one answers 301 (308 for
// the signature, which keeps its method and body) to the same address
// under the new one, query included, at once on the instance that made the
// change, even though its pages are cached; the new address serves the new
// page.
func TestRenamedCampaignRedirects(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		a := newApp(t, store, config.Config{PageCache: time.Second})
		visitor := a.browser()
		for _, p := range []string{"/campaigns/no-tech-for-ice", "/campaigns/no-tech-for-ice/signed", "/api/campaigns/no-tech-for-ice"} {
			if r := visitor.get(p); r.status != http.StatusOK {
				t.Fatalf("GET %s before the rename: %d", p, r.status)
			}
		}
		a.organiser().rename("no-tech-for-ice", "no-tech-for-ice-2019", "Renamed: #NoTechForICE")

		const old, now = "/campaigns/no-tech-for-ice", "/campaigns/no-tech-for-ice-2019"
		for _, rest := range []string{"", "/signed?from=mail", "/timeline", "/timeline.atom?x=1", "/timeline?kind=action&city=Seattle",
			"/responses", "/deliveries", "/actions.csv", "/responses.csv", "/deliveries.csv"} {
			r := visitor.get(old + rest)
			wantMoved(t, "GET "+old+rest, r, http.StatusMovedPermanently, now+rest)
			if cc := r.header.Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("GET %s: Cache-Control %q: a cached redirect would loop once the campaign is renamed back", old+rest, cc)
			}
		}
		wantMoved(t, "HEAD "+old, visitor.head(old), http.StatusMovedPermanently, now)
		wantMoved(t, "GET the old API", visitor.get("/api/campaigns/no-tech-for-ice?pretty=1"), http.StatusMovedPermanently, "/api/campaigns/no-tech-for-ice-2019?pretty=1")

		page := visitor.get(now)
		if page.status != http.StatusOK || text(page.doc(t).Find(`[data-testid=campaign-title]`)) != "Renamed: #NoTechForICE" {
			t.Fatalf("the new address: %d %q", page.status, text(page.doc(t).Find(`[data-testid=campaign-title]`)))
		}
		action, _ := page.doc(t).Find(`[data-testid=sign-form]`).Attr("action")
		if action != now+"/sign" {
			t.Errorf("the new page's sign form posts to %q", action)
		}

		// A form from the old page still signs: 308 keeps the method and
		// the body, and the signature is taken at the new address.
		token, _ := page.doc(t).Find(`[data-testid=sign-form] input[name=_csrf]`).Attr("value")
		form := signForm("renamed@example.org")
		form.Set("_csrf", token)
		r := visitor.postRaw(old+"/sign", form)
		wantMoved(t, "POST the old sign address", r, http.StatusPermanentRedirect, now+"/sign")
		if r = visitor.postRaw(r.header.Get("Location"), form); r.status != http.StatusSeeOther {
			t.Errorf("the sign form sent again to the new address: %d", r.status)
		}
		cp, _ := a.store.CampaignBySlug(context.Background(), "no-tech-for-ice-2019")
		if n, _ := a.store.SignatureCount(context.Background(), cp.ID); n != 1 {
			t.Errorf("%d signatures, want the one sent to the old address", n)
		}

		if r := visitor.get("/campaigns/never-was"); r.status != http.StatusNotFound {
			t.Errorf("an unknown slug: %d, want the 404 page", r.status)
		}
		if r := visitor.get("/api/campaigns/never-was"); r.status != http.StatusNotFound || !strings.Contains(r.body, `"error"`) {
			t.Errorf("an unknown slug in the API: %d %s", r.status, r.body)
		}
		// The organiser area finds its campaign the same way (h.campaign):
		// an old admin address redirects too.
		org := a.organiser()
		wantMoved(t, "GET the old admin address", org.get("/admin/campaigns/no-tech-for-ice/deliveries"), http.StatusMovedPermanently, "/admin/campaigns/no-tech-for-ice-2019/deliveries")
		history := text(org.get("/admin/campaigns/no-tech-for-ice-2019/audit").doc(t).Find(`[data-testid=audit-entry]`))
		if !strings.Contains(history, "no-tech-for-ice-2019") {
			t.Errorf("the audit log does not show the new address: %q", history)
		}
	})
}

// TestRenameBackAndChains: renaming A to B and back leaves A live and B
// redirecting to it (no loop); renaming A to B to C sends A straight to C.
func TestRenameBackAndChains(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		org, visitor := a.organiser(), a.browser()
		org.rename("no-tech-for-ice", "b-slug", "B")
		org.rename("b-slug", "no-tech-for-ice", "Back to A")
		if r := visitor.get("/campaigns/no-tech-for-ice"); r.status != http.StatusOK || text(r.doc(t).Find(`[data-testid=campaign-title]`)) != "Back to A" {
			t.Fatalf("A after A to B to A: %d", r.status)
		}
		wantMoved(t, "B after A to B to A", visitor.get("/campaigns/b-slug/timeline"), http.StatusMovedPermanently, "/campaigns/no-tech-for-ice/timeline")

		org.rename("no-tech-for-ice", "b-slug", "B again")
		org.rename("b-slug", "c-slug", "C")
		wantMoved(t, "A after A to B to C", visitor.get("/campaigns/no-tech-for-ice"), http.StatusMovedPermanently, "/campaigns/c-slug")
		wantMoved(t, "B after A to B to C", visitor.get("/campaigns/b-slug"), http.StatusMovedPermanently, "/campaigns/c-slug")
		if r := visitor.get("/campaigns/c-slug"); r.status != http.StatusOK {
			t.Errorf("C: %d", r.status)
		}
	})
}

// TestNewCampaignTakesAVacatedSlug: an address a campaign was renamed from
// may be given to a new campaign, which then has it: the redirect is gone.
func TestNewCampaignTakesAVacatedSlug(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		org, visitor := a.organiser(), a.browser()
		org.rename("no-tech-for-ice", "no-tech-for-ice-2019", "The 2019 petition")
		r := org.post("/admin/campaigns", url.Values{"slug": {"no-tech-for-ice"}, "title": {"A new campaign"}, "target": {"Amazon"},
			"demand": {"Something new"}, "status": {"active"}, "signature_goal": {"0"}, "deliveries_planned": {"0"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create a campaign at the vacated slug: %d\n%s", r.status, r.body)
		}
		for slug, title := range map[string]string{"no-tech-for-ice": "A new campaign", "no-tech-for-ice-2019": "The 2019 petition"} {
			if r := visitor.get("/campaigns/" + slug); r.status != http.StatusOK || text(r.doc(t).Find(`[data-testid=campaign-title]`)) != title {
				t.Errorf("/campaigns/%s: %d, want %q", slug, r.status, title)
			}
		}
		if _, err := a.store.CampaignSlugRedirect(context.Background(), "no-tech-for-ice"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the redirect of the taken slug is still recorded: %v", err)
		}
		// Renaming the new campaign away makes the slug redirect to it.
		org.rename("no-tech-for-ice", "new-campaign", "A new campaign")
		wantMoved(t, "the slug after its second owner moved", visitor.get("/campaigns/no-tech-for-ice"), http.StatusMovedPermanently, "/campaigns/new-campaign")
	})
}

// TestRenameOnAnotherInstance: another instance serving the same database
// shows the new address's page at once, and its cached copy of the old
// address for no longer than its page cache time.
func TestRenameOnAnotherInstance(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		const ttl = 100 * time.Millisecond
		a := newApp(t, store, config.Config{PageCache: ttl})
		other := httptest.NewServer(handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{PageCache: ttl}).Router())
		t.Cleanup(other.Close)
		visitor := &browser{t: t, a: &app{t: t, store: store, srv: other}, http: a.browser().http}
		if r := visitor.get("/campaigns/no-tech-for-ice"); r.status != http.StatusOK {
			t.Fatalf("the other instance before the rename: %d", r.status)
		}
		a.organiser().rename("no-tech-for-ice", "renamed", "Renamed")
		if r := visitor.get("/campaigns/renamed"); r.status != http.StatusOK || text(r.doc(t).Find(`[data-testid=campaign-title]`)) != "Renamed" {
			t.Errorf("the other instance's new address: %d", r.status)
		}
		time.Sleep(2 * ttl)
		wantMoved(t, "the other instance's old address after its cache time", visitor.get("/campaigns/no-tech-for-ice"), http.StatusMovedPermanently, "/campaigns/renamed")
	})
}

// TestHeadAnswersAsGetDoes: every GET route answers HEAD with the GET's
// status and headers and no body.
func TestHeadAnswersAsGetDoes(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		for path, status := range map[string]int{"/campaigns/no-tech-for-ice": 200, timelinePath + ".atom": 200, "/campaigns/never-was": 404, "/api/campaigns/no-tech-for-ice": 200} {
			// Go's client asks for gzip on a GET but not on a HEAD, and a
			// gzipped body has an ETag of its own: ask both for plain.
			get, head := b.get(path, "Accept-Encoding", "identity"), b.head(path)
			if head.status != status || get.status != status || head.body != "" {
				t.Errorf("HEAD %s: %d with %d bytes, want %d and none", path, head.status, len(head.body), status)
			}
			if head.header.Get("Content-Type") != get.header.Get("Content-Type") || head.header.Get("ETag") != get.header.Get("ETag") {
				t.Errorf("HEAD %s: headers %v, GET's %v", path, head.header, get.header)
			}
		}
	})
}
