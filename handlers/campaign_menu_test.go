package handlers_test

import (
	"net/http"
	"testing"
)

// TestCampaignMenuOnEveryPublicPage: each public page of a campaign has
// the campaign's menu, with the page it is on marked current.
func TestCampaignMenuOnEveryPublicPage(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		for path, current := range map[string]string{
			"/campaigns/no-tech-for-ice":            "Overview",
			"/campaigns/no-tech-for-ice/deliveries": "Deliveries",
			"/campaigns/no-tech-for-ice/count":      "Count",
			"/campaigns/no-tech-for-ice/timeline":   "Timeline",
			"/campaigns/no-tech-for-ice/responses":  "Answers",
			"/campaigns/no-tech-for-ice/signed":     "",
		} {
			r := b.get(path)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d", path, r.status)
			}
			doc := r.doc(t)
			menu := doc.Find(`nav[data-testid=campaign-menu]`)
			if menu.Length() != 1 || menu.Find("a").Length() != 5 {
				t.Errorf("%s: %d menus, %d links", path, menu.Length(), menu.Find("a").Length())
				continue
			}
			cur := menu.Find(`a[aria-current=page]`)
			if (current == "" && cur.Length() != 0) || (current != "" && (cur.Length() != 1 || text(cur) != current)) {
				t.Errorf("%s: current %q, want %q", path, text(cur), current)
			}
		}
	})
}
