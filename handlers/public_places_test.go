package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

// addPlaceSigners stores 12 signers from Seattle, WA (the first two agree
// to be shown) and one from Tinytown, Tinyshire, who does not.
func addPlaceSigners(t *testing.T, a *app) {
	t.Helper()
	ctx := context.Background()
	cp, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	var sigs []*models.Signature
	for i := range 12 {
		sigs = append(sigs, &models.Signature{CampaignID: cp.ID, FirstName: "Sea", LastName: "Signer", City: "Seattle", Region: "WA", Country: "US",
			Email: fmt.Sprintf("seattle%d@example.org", i), ShowName: i < 2, SignedAt: time.Now().UTC()})
	}
	sigs = append(sigs, &models.Signature{CampaignID: cp.ID, FirstName: "Lone", LastName: "Signer", City: "Tinytown", Region: "Tinyshire", Country: "US",
		Email: "lone@example.org", SignedAt: time.Now().UTC()})
	for _, s := range sigs {
		s.Normalise()
	}
	if _, err := a.store.AddSignatures(ctx, sigs); err != nil {
		t.Fatal(err)
	}
}

type placesJSON struct {
	TopRegions placeCountsJSON `json:"top_regions"`
	TopCities  placeCountsJSON `json:"top_cities"`
}

type placeCountsJSON struct {
	Places []struct {
		Name       string `json:"name"`
		Signatures int64  `json:"signatures"`
	} `json:"places"`
	OtherPlaces int64 `json:"other_places"`
}

// TestPublicPlacesHideSmallPlaces: a city or state with fewer signers
// than the threshold is never named on the campaign page or in its JSON;
// its signers are counted as other places, so the figures still add up.
// A Config built in code with no threshold gets the default of 10.
func TestPublicPlacesHideSmallPlaces(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		a := newApp(t, store, config.Config{})
		addPlaceSigners(t, a)
		r := a.browser().get("/campaigns/no-tech-for-ice")
		if r.status != http.StatusOK {
			t.Fatalf("campaign page: %d", r.status)
		}
		for _, secret := range []string{"Tinytown", "Tinyshire"} {
			if strings.Contains(r.body, secret) {
				t.Errorf("the campaign page names the lone signer's place %q", secret)
			}
		}
		doc := r.doc(t)
		if got := items(doc.Find(`[data-testid=top-cities] li`)); got != "Seattle, WA 12; Other places 1" {
			t.Errorf("top cities = %q", got)
		}
		if got := items(doc.Find(`[data-testid=top-regions] li`)); got != "WA 12; Other places 1" {
			t.Errorf("top regions = %q", got)
		}
		if got := items(doc.Find(`[data-testid=latest-signers] li`)); got != "Sea, Seattle; Sea, Seattle" {
			t.Errorf("latest signers = %q, want only the two who agreed", got)
		}

		api := a.browser().get("/api/campaigns/no-tech-for-ice")
		if strings.Contains(api.body, "Tinytown") || strings.Contains(api.body, "Tinyshire") {
			t.Errorf("the JSON names the lone signer's place: %s", api.body)
		}
		var got placesJSON
		if err := json.Unmarshal([]byte(api.body), &got); err != nil {
			t.Fatal(err)
		}
		if c := got.TopCities; len(c.Places) != 1 || c.Places[0].Name != "Seattle, WA" || c.Places[0].Signatures != 12 || c.OtherPlaces != 1 {
			t.Errorf("JSON top cities = %+v", c)
		}
		if rg := got.TopRegions; len(rg.Places) != 1 || rg.Places[0].Name != "WA" || rg.Places[0].Signatures != 12 || rg.OtherPlaces != 1 {
			t.Errorf("JSON top regions = %+v", rg)
		}
	})
}

// TestPublicPlaceMinIsASetting: the threshold is the operator's to set.
func TestPublicPlaceMinIsASetting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		min             int64
		cities, regions string
	}{
		{1, "Seattle, WA 12; Tinytown, Tinyshire 1", "WA 12; Tinyshire 1"},
		{12, "Seattle, WA 12; Other places 1", "WA 12; Other places 1"},
		{13, "Other places 13", "Other places 13"},
	} {
		a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{PublicPlaceMin: tc.min})
		addPlaceSigners(t, a)
		doc := a.browser().get("/campaigns/no-tech-for-ice").doc(t)
		if got := items(doc.Find(`[data-testid=top-cities] li`)); got != tc.cities {
			t.Errorf("top cities with a threshold of %d = %q, want %q", tc.min, got, tc.cities)
		}
		if got := items(doc.Find(`[data-testid=top-regions] li`)); got != tc.regions {
			t.Errorf("top regions with a threshold of %d = %q, want %q", tc.min, got, tc.regions)
		}
	}
}

// items is the text of each element, joined by "; ".
func items(s *goquery.Selection) string {
	return strings.Join(s.Map(func(_ int, li *goquery.Selection) string { return text(li) }), "; ")
}
