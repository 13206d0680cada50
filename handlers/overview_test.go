package handlers_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

const overviewPath = "/campaigns/no-tech-for-ice"

// TestOverviewSourcesAsNumberedNotes: the overview cites sources as [n],
// each a link to one numbered list at the end of the page, where each
// distinct source is given once (issue 16: the Seattle Times note was
// repeated about 15 times).
func TestOverviewSourcesAsNumberedNotes(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		r := a.browser().get(overviewPath)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d", overviewPath, r.status)
		}
		doc := r.doc(t)
		notes := doc.Find(`ol[data-testid=source-notes] > li[data-testid=source-note]`)
		if notes.Length() < 5 {
			t.Fatalf("%d source notes, want the demo's distinct sources", notes.Length())
		}
		seen := map[string]bool{}
		notes.Each(func(i int, li *goquery.Selection) {
			if id, _ := li.Attr("id"); id != "source-"+strconv.Itoa(i+1) {
				t.Errorf("note %d has id %q", i+1, id)
			}
			name := strings.ToLower(text(li))
			if seen[name] {
				t.Errorf("source %q is listed twice", text(li))
			}
			seen[name] = true
		})
		// The list is at the end: after the last record that cites.
		if last := doc.Find(`article section`).Last(); last.Find(`[data-testid=source-notes]`).Length() != 1 {
			t.Error("the sources are not the article's last section")
		}

		cited := map[string]bool{}
		refs := doc.Find(`a[data-testid=source-ref]`)
		refs.Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			if !strings.HasPrefix(href, "#source-") || doc.Find(href).Length() != 1 {
				t.Errorf("reference %q leads to no note", href)
			}
			if !strings.HasSuffix(text(a), "["+strings.TrimPrefix(href, "#source-")+"]") {
				t.Errorf("reference to %s reads %q", href, text(a))
			}
			cited[href] = true
		})
		if len(cited) != notes.Length() {
			t.Errorf("%d notes, %d of them cited", notes.Length(), len(cited))
		}
		if refs.Length() <= notes.Length() {
			t.Errorf("%d references to %d notes: the demo cites some sources more than once", refs.Length(), notes.Length())
		}

		// Each source once: the Seattle Times article, cited by the
		// headline, the petition, claims, answers, actions and partners,
		// is named once on the page.
		if n := strings.Count(doc.Find("main").Text(), "Protesters petition Amazon to stop selling technology to ICE"); n != 1 {
			t.Errorf("the Seattle Times article is named %d times, want once", n)
		}
		// The InsiderNJ release, cited by two names at one address, is one note.
		if n := doc.Find(`[data-testid=source-note] a[href="https://insidernj.com/press-release/immigrant-families-hold-amazon-fire-ties-ice/"]`).Length(); n != 1 {
			t.Errorf("the InsiderNJ release is listed %d times", n)
		}

		// Every record still says where it comes from.
		for _, sel := range []string{`[data-testid=response]`, `[data-testid=action]`, `[data-testid=organisation]`, `[data-testid=petition]`} {
			doc.Find(sel).Each(func(_ int, rec *goquery.Selection) {
				if rec.Find(`[data-testid=sources] a[data-testid=source-ref]`).Length() == 0 {
					t.Errorf("%s without a source: %q", sel, text(rec))
				}
			})
		}
		doc.Find(`[data-testid=claim]`).Each(func(_ int, row *goquery.Selection) {
			if row.Find(`td`).Last().Find(`a[data-testid=source-ref]`).Length() != 1 {
				t.Errorf("claim without its source: %q", text(row))
			}
		})
		// The headline figure's source is cited beside it.
		ref := doc.Find(`[data-testid=headline-source] a[data-testid=source-ref]`)
		href, _ := ref.Attr("href")
		if ref.Length() != 1 || !strings.Contains(text(doc.Find(href)), "The Seattle Times") {
			t.Errorf("the headline's source is %q (%s), want the Seattle Times", text(doc.Find(href)), href)
		}
	})
}

// TestOverviewOrder: the essentials first, the petition text before the
// sign form, and the sign button leads to the form.
func TestOverviewOrder(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		doc := a.browser().get(overviewPath).doc(t)
		order := map[string]int{}
		doc.Find(`[data-testid]`).Each(func(i int, s *goquery.Selection) {
			id, _ := s.Attr("data-testid")
			if _, ok := order[id]; !ok {
				order[id] = i
			}
		})
		want := []string{"campaign-title", "headline-count", "headline-source", "delivery-progress", "demand", "sign-cta", "petition", "sign-section", "claims", "deliveries", "responses", "actions", "coalition", "source-notes"}
		for i, id := range want {
			if _, ok := order[id]; !ok {
				t.Errorf("%s is not on the overview", id)
				continue
			}
			if i > 0 && order[id] < order[want[i-1]] {
				t.Errorf("%s comes before %s", id, want[i-1])
			}
		}
		if href, _ := doc.Find(`a[data-testid=sign-cta]`).Attr("href"); href != "#sign" || doc.Find(`#sign form`).Length() != 1 {
			t.Errorf("the sign button leads to %q", href)
		}
		if got := text(doc.Find(`[data-testid=delivery-progress]`)); got != "5 of 9 cities delivered" {
			t.Errorf("delivery progress = %q", got)
		}
	})
}

// TestNoOrganiserNoteOnPublicPages: what organisers note about their
// sources ("address not recorded") and empty states stay off every public
// page; the notes stay with the records, for the admin.
func TestNoOrganiserNoteOnPublicPages(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := a.campaign()
		deliveries, err := a.store.DeliveriesFor(ctx, cp.ID)
		if err != nil {
			t.Fatal(err)
		}
		kept := false
		for _, d := range deliveries {
			kept = kept || strings.Contains(d.Notes, "not recorded")
		}
		if !kept {
			t.Error("the seed's note on the Seattle Times reprint is not among the organisers' notes")
		}

		b := a.browser()
		for _, path := range []string{
			"/", overviewPath, overviewPath + "/deliveries", overviewPath + "/count", overviewPath + "/timeline",
			overviewPath + "/responses", overviewPath + "/signed", overviewPath + "/timeline.atom",
			overviewPath + "/deliveries.csv", "/api/campaigns/no-tech-for-ice",
		} {
			r := b.get(path)
			if r.status != http.StatusOK {
				t.Errorf("GET %s: %d", path, r.status)
				continue
			}
			lower := strings.ToLower(r.body)
			for _, note := range []string{"not recorded", "reprint", "the report itself is not named", "no actions logged", "no signature goal"} {
				if strings.Contains(lower, note) {
					t.Errorf("%s shows the organisers' note or empty setting %q", path, note)
				}
			}
		}
		// Nothing recorded here yet: no "Recorded here 0".
		doc := b.get(overviewPath).doc(t)
		if doc.Find(`[data-testid=recorded-count]`).Length() != 0 || strings.Contains(doc.Text(), "Recorded here") {
			t.Errorf("the overview shows an empty count: %q", text(doc.Find(`[data-testid=live-count]`)))
		}
		if doc.Find(`#live-count`).Length() != 1 {
			t.Error("the overview has no place for the count a signature brings")
		}
	})
}
