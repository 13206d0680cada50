package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/views"
)

// box is where an element is on the screen, in CSS pixels from the top of
// the viewport, with the viewport's height and the page's scroll.
type box struct {
	Top      float64 `json:"top"`
	Bottom   float64 `json:"bottom"`
	Viewport float64 `json:"viewport"`
	ScrollY  float64 `json:"scrollY"`
	PageTop  float64 `json:"pageTop"` // where it is in the page, as laid out (its form's end, for a sticky submit)
}

func (b box) inView() bool { return b.Top >= 0 && b.Bottom <= b.Viewport && b.Bottom > b.Top }

const boxJS = `(() => { const e = document.querySelector(%s); if (!e) return null;
	const r = e.getBoundingClientRect();
	return {top: r.top, bottom: r.bottom, viewport: window.innerHeight, scrollY: window.scrollY,
		pageTop: (e.closest("form") || e).getBoundingClientRect().bottom + window.scrollY}; })()`

// where measures the first element that matches sel.
func where(t *testing.T, ctx context.Context, sel string) box {
	t.Helper()
	return evaluate[box](t, ctx, fmt.Sprintf(boxJS, jsString(sel)))
}

// TestBrowserOrganiserLogsAnActionAt2130InSeattle: an organiser in Seattle
// at 21:30 on 15 July 2019 (04:30 on the 16th in UTC: the server's clock
// is started there by CAMPAIGNTRACK_FAKE_NOW) opens the quick log from the
// Seattle delivery on a phone. The date and time pickers hold Seattle's
// date and time, the submit is on the screen without scrolling, and after
// saving the page opens at the action saved, marked, dated 15 July 2019.
func TestBrowserOrganiserLogsAnActionAt2130InSeattle(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	env := append(serverEnv(), "CAMPAIGNTRACK_FAKE_NOW=2019-07-16T04:30:00Z")
	_, base := startServerProcWith(t, "campaigntrack", env, []string{binPath}, dbWithOrganiser(t))
	signIn(t, ctx, base)

	navigate(t, ctx, base+adminCampaignPath+"/deliveries", http.StatusOK)
	const seattle = `[data-testid=log-action-here][href*="city=Seattle"]`
	if n := count(t, ctx, seattle); n < 1 {
		t.Fatalf("no 'Log an action in Seattle' link on the deliveries page")
	}
	clickAndLoad(t, ctx, seattle, http.StatusOK)
	assertNoHorizontalOverflow(t, ctx, "quick log")

	const form = "form[data-testid=action-form]"
	if got := evaluate[string](t, ctx, `document.querySelector("#occurred_at").type + " " + document.querySelector("#occurred_at_time").type`); got != "date time" {
		t.Errorf("the quick log's when is %q inputs, want native date and time pickers", got)
	}
	if got := value(t, ctx, form+" #occurred_at"); got != "2019-07-15" {
		t.Errorf("the date is %q at 21:30 in Seattle, want 2019-07-15 (Seattle's day, not UTC's 16th)", got)
	}
	clock := value(t, ctx, form+" #occurred_at_time")
	if c, err := time.Parse("15:04", clock); err != nil || c.Hour() != 21 || c.Minute() < 30 || c.Minute() >= 40 {
		t.Errorf("the time is %q, want 21:30 (now in Seattle; the clock runs on from there)", clock)
	}
	if got := value(t, ctx, form+" #city"); got != "Seattle" {
		t.Errorf("the city is %q, want Seattle", got)
	}

	// The submit is on the screen as the form opens, without scrolling.
	const submit = "[data-testid=action-submit]"
	b := where(t, ctx, submit)
	t.Logf("quick log as opened: submit at %.0f-%.0f px of a %.0f px screen, page scrolled %.0f px; the form ends %.0f px down the page",
		b.Top, b.Bottom, b.Viewport, b.ScrollY, b.PageTop)
	if !b.inView() {
		t.Errorf("the submit is at %.0f-%.0f px, outside the %.0f px screen", b.Top, b.Bottom, b.Viewport)
	}
	// Opened from the campaign's tabs, at the top of the page, too.
	navigate(t, ctx, base+adminCampaignPath+"/actions", http.StatusOK)
	top := where(t, ctx, submit)
	t.Logf("quick log from the tabs: submit at %.0f-%.0f px of a %.0f px screen, page scrolled %.0f px", top.Top, top.Bottom, top.Viewport, top.ScrollY)
	if !top.inView() {
		t.Errorf("opened from the tabs, the submit is at %.0f-%.0f px, outside the %.0f px screen", top.Top, top.Bottom, top.Viewport)
	}
	navigate(t, ctx, base+views.QuickLogPath(&models.Campaign{Slug: demoSlug}, "Seattle", "WA", "US"), http.StatusOK)

	// And it stays there while the organiser fills in the title.
	typeInto(t, ctx, form+" #title", "Evening vigil at the Spheres")
	if b := where(t, ctx, submit); !b.inView() {
		t.Errorf("after typing the title the submit is at %.0f-%.0f px, outside the %.0f px screen", b.Top, b.Bottom, b.Viewport)
	}

	clickAndLoad(t, ctx, submit, http.StatusOK)
	loc := location(t, ctx)
	if !strings.Contains(loc, adminCampaignPath+"/actions#action-") {
		t.Fatalf("after saving: at %s, want the actions list at the action saved", loc)
	}
	anchor := loc[strings.Index(loc, "#")+1:]
	saved := "li#" + anchor
	if n := count(t, ctx, saved+"[data-saved]"); n != 1 {
		t.Fatalf("the action saved (#%s) is not marked in the list", anchor)
	}
	if got := text(t, ctx, saved+" [data-testid=saved]"); got != "Saved" {
		t.Errorf("the saved action says %q, want Saved", got)
	}
	if got := text(t, ctx, saved); !strings.Contains(got, "Evening vigil at the Spheres") || !strings.Contains(got, "15 July 2019") {
		t.Errorf("the saved action reads %q, want its title and 15 July 2019", got)
	}
	if got := evaluate[string](t, ctx, `document.activeElement ? document.activeElement.id : ""`); got != anchor {
		t.Errorf("focus is on %q after saving, want the action saved (%s)", got, anchor)
	}
	s := where(t, ctx, saved)
	t.Logf("after saving: the action saved at %.0f-%.0f px of a %.0f px screen, page scrolled %.0f px", s.Top, s.Bottom, s.Viewport, s.ScrollY)
	if s.Top < 0 || s.Top >= s.Viewport {
		t.Errorf("the action saved is at %.0f px, off the %.0f px screen", s.Top, s.Viewport)
	}
	assertNoHorizontalOverflow(t, ctx, "actions after saving")
}
