package handlers_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"campaigntrack/models"
)

// TestShareCardAndMeta: a campaign's pages carry a description, Open
// Graph and Twitter card data with an absolute share image, and the image
// is a 1200 x 630 PNG, also for a campaign whose title is very long or not
// Latin; every public page has a description and a favicon.
func TestShareCardAndMeta(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		for _, path := range []string{"/campaigns/no-tech-for-ice", "/campaigns/no-tech-for-ice/count"} {
			doc := b.get(path).doc(t)
			img, _ := doc.Find(`meta[property="og:image"]`).Attr("content")
			card, _ := doc.Find(`meta[name="twitter:card"]`).Attr("content")
			desc, _ := doc.Find(`meta[name="description"]`).Attr("content")
			if !strings.HasPrefix(img, "http://localhost:8080/campaigns/no-tech-for-ice/share.png") || card != "summary_large_image" || !strings.Contains(desc, "Amazon") {
				t.Errorf("%s: og:image %q, twitter:card %q, description %q", path, img, card, desc)
			}
		}
		for _, path := range []string{"/", "/campaigns/no-tech-for-ice/deliveries", "/campaigns/no-tech-for-ice/timeline", "/login"} {
			doc := b.get(path).doc(t)
			desc, _ := doc.Find(`meta[name="description"]`).Attr("content")
			icon, _ := doc.Find(`link[rel="icon"]`).Attr("href")
			if desc == "" || icon == "" {
				t.Errorf("%s: description %q, icon %q", path, desc, icon)
			} else if r := b.get(icon); r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "image/svg+xml") {
				t.Errorf("the favicon %s: %d %s", icon, r.status, r.header.Get("Content-Type"))
			}
		}
		long := &models.Campaign{Slug: "long-title", Title: strings.Repeat("Нет технологиям для ICE — 不要把技术卖给移民局 ", 12)[:190], Target: "Amazon", Demand: "Stop"}
		if err := a.store.CreateCampaign(context.Background(), models.CommandLine, long); err != nil {
			t.Fatal(err)
		}
		for _, slug := range []string{"no-tech-for-ice", "long-title"} {
			r := b.get("/campaigns/" + slug + "/share.png")
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/png" {
				t.Fatalf("%s share image: %d %s", slug, r.status, r.header.Get("Content-Type"))
			}
			im, err := png.Decode(bytes.NewReader([]byte(r.body)))
			if err != nil || im.Bounds().Dx() != 1200 || im.Bounds().Dy() != 630 {
				t.Errorf("%s share image: %v %v", slug, err, im)
			}
		}
		if r := b.get("/campaigns/no-such/share.png"); r.status != http.StatusNotFound {
			t.Errorf("an unknown campaign's image: %d", r.status)
		}
	})
}
