package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestBrowserOverviewFirstScreen: on a 390x844 phone the overview's
// demand, headline count with its source, delivery progress and sign
// button all end within the first screen, and the petition text comes
// before the sign form.
func TestBrowserOverviewFirstScreen(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	base := startServer(t)
	navigate(t, ctx, base+demoPath, http.StatusOK)

	for _, sel := range []string{
		"[data-testid=demand]", "[data-testid=headline-count]", "[data-testid=headline-source]",
		"[data-testid=delivery-progress]", "a[data-testid=sign-cta]",
	} {
		bottom := evaluate[float64](t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e) return 1e9; return e.getBoundingClientRect().bottom + window.scrollY })()`, jsString(sel)))
		t.Logf("%s ends at %.0f px", sel, bottom)
		if bottom > phoneHeight {
			t.Errorf("%s ends at %.0f px, below the first %d px", sel, bottom, phoneHeight)
		}
	}
	if got := text(t, ctx, "[data-testid=headline-count]"); !strings.Contains(got, headlineCount) {
		t.Errorf("headline %q", got)
	}
	if got := text(t, ctx, "[data-testid=delivery-progress]"); got != deliveryText {
		t.Errorf("delivery progress %q, want %q", got, deliveryText)
	}
	// The count's source: a reference to the note that names it.
	if !evaluate[bool](t, ctx, `(() => { const a = document.querySelector("[data-testid=headline-source] a[data-testid=source-ref]"); if (!a) return false; const n = document.querySelector(a.getAttribute("href")); return !!n && n.textContent.includes("The Seattle Times") })()`) {
		t.Error("the headline's source is not cited beside it")
	}
	if !evaluate[bool](t, ctx, `(() => { const p = document.querySelector("[data-testid=petition]"), f = document.querySelector("[data-testid=sign-form]"); return !!p && !!f && !!(p.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) })()`) {
		t.Error("the petition text does not come before the sign form")
	}
	// The button is a link within the page: to the form.
	if hash := evaluate[string](t, ctx, `(() => { document.querySelector("a[data-testid=sign-cta]").click(); return location.hash })()`); hash != "#sign" || count(t, ctx, "#sign [data-testid=sign-form]") != 1 {
		t.Errorf("the sign button leads to %q", hash)
	}
	assertNoHorizontalOverflow(t, ctx, "overview")
}

// TestBrowserCampaignMenuOnEveryPublicPage: each public page of the
// campaign has its menu, all five links in view at phone width (wrapped,
// not scrolled or clipped), each at least 24 px, the current page marked,
// and each link leads to its page.
func TestBrowserCampaignMenuOnEveryPublicPage(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	base := startServer(t)
	pages := []struct{ path, current string }{
		{demoPath, "Overview"},
		{demoPath + "/deliveries", "Deliveries"},
		{demoPath + "/count", "Count"},
		{demoPath + "/timeline", "Timeline"},
		{demoPath + "/responses", "Answers"},
		{demoPath + "/signed", ""},
	}
	type link struct {
		Text                            string
		Href                            string
		Current                         bool
		Left, Right, Top, Width, Height float64
		Clipped                         bool
	}
	for _, p := range pages {
		navigate(t, ctx, base+p.path, http.StatusOK)
		links := evaluate[[]link](t, ctx, `Array.from(document.querySelectorAll("nav[data-testid=campaign-menu] a"), a => {
			const r = a.getBoundingClientRect();
			return {Text: a.textContent.trim(), Href: a.getAttribute("href"), Current: a.getAttribute("aria-current") === "page",
				Left: r.left, Right: r.right, Top: r.top, Width: r.width, Height: r.height, Clipped: a.scrollWidth > a.clientWidth + 0.5};
		})`)
		if len(links) != 5 {
			t.Errorf("%s: %d menu links, want 5", p.path, len(links))
			continue
		}
		menuScrolls := evaluate[bool](t, ctx, `(() => { const u = document.querySelector("nav[data-testid=campaign-menu] ul"); return u.scrollWidth > u.clientWidth + 0.5 })()`)
		if menuScrolls {
			t.Errorf("%s: the menu scrolls sideways", p.path)
		}
		for _, l := range links {
			if l.Left < 0 || l.Right > phoneWidth+0.5 || l.Width < 24 || l.Height < 24 || l.Clipped {
				t.Errorf("%s: menu link %q at %.0f-%.0f, %.0fx%.0f px, clipped %v", p.path, l.Text, l.Left, l.Right, l.Width, l.Height, l.Clipped)
			}
			if l.Current != (l.Text == p.current) {
				t.Errorf("%s: link %q marked current %v", p.path, l.Text, l.Current)
			}
		}
		assertNoHorizontalOverflow(t, ctx, p.path)
	}
	// Following each link of the overview's menu lands on its page.
	for _, p := range pages[:5] {
		navigate(t, ctx, base+demoPath, http.StatusOK)
		clickAndLoad(t, ctx, fmt.Sprintf(`nav[data-testid=campaign-menu] a[href=%q]`, p.path), http.StatusOK)
		if got := location(t, ctx); got != base+p.path {
			t.Errorf("the %s link leads to %s", p.current, got)
		}
		if got := text(t, ctx, "nav[data-testid=campaign-menu] a[aria-current=page]"); got != p.current {
			t.Errorf("on %s the current link is %q", p.path, got)
		}
	}
}
