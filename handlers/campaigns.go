package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/models"
	"campaigntrack/views"
)

// How many of the latest responses and actions the campaign page shows.
const (
	latestResponses = 5
	latestActions   = 5
)

// home lists every campaign with its headline figure and delivery progress.
//
// It is kept like a campaign's page, under no campaign (homeKey): the
// counts it shows are as old as the cache time at most.
func (h *Handler) home(c echo.Context) error {
	return h.servePage(c, h.homePages, &homeKey, "", "home page", func() (templ.Component, error) { return h.homeView(c) })
}

// homeKey is the home page's place in its cache: no campaign's.
var homeKey models.Campaign

// homeView draws the home page.
func (h *Handler) homeView(c echo.Context) (templ.Component, error) {
	ctx := c.Request().Context()
	campaigns, err := h.store.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	headlines, err := h.store.HeadlineClaims(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := h.store.SignatureCounts(ctx)
	if err != nil {
		return nil, err
	}
	progress, err := h.store.AllDeliveryProgress(ctx, campaigns)
	if err != nil {
		return nil, err
	}
	v := views.HomeView{Campaigns: make([]views.CampaignCard, 0, len(campaigns))}
	for _, cp := range campaigns {
		card := views.CampaignCard{
			Slug: cp.Slug, Title: cp.Title, TitleES: cp.TitleES, Target: cp.Target, Status: cp.Status,
			Recorded:   counts[cp.ID],
			Deliveries: progress[cp.ID],
		}
		if claim, ok := headlines[cp.ID]; ok {
			card.Headline = &claim
		}
		v.Campaigns = append(v.Campaigns, card)
	}
	return views.HomePage(v), nil
}

// How many places and signers the campaign page lists.
const (
	topPlaces    = 5
	latestSigned = 10
)

// campaignPage is the public page of one campaign, served from a
// one-second cache (see pageCache) with the visitor's CSRF token put into
// the sign form.
func (h *Handler) campaignPage(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	return h.serveCached(c, h.pages, cp, "campaign page", echo.MIMETextHTMLCharsetUTF8, csrfToken(c), func() ([]byte, error) { return h.renderCampaignPage(c, cp) })
}

func (h *Handler) renderCampaignPage(c echo.Context, cp *models.Campaign) ([]byte, error) {
	v, err := h.campaignView(c, cp)
	if err != nil {
		return nil, err
	}
	v.Sign.CSRF = csrfPlaceholder
	var buf bytes.Buffer
	if err := views.CampaignPage(v).Render(c.Request().Context(), &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// campaignView gathers everything the campaign page shows.
func (h *Handler) campaignView(c echo.Context, cp *models.Campaign) (views.CampaignView, error) {
	ctx := c.Request().Context()
	v := views.CampaignView{Campaign: *cp, Sign: views.SignView{
		Slug: cp.Slug, CSRF: csrfToken(c), Open: cp.Status == models.CampaignActive, Form: views.SignForm{Country: "US"},
		Confirming: h.confirms(cp),
	}, Meta: h.campaignMeta(ctxOf(c), cp, "/campaigns/"+cp.Slug)}
	var err error
	if v.Petition, err = h.store.PetitionFor(ctx, cp.ID); err != nil {
		return v, err
	}
	if v.Claims, err = h.store.ClaimsFor(ctx, cp.ID); err != nil {
		return v, err
	}
	if v.Kept, err = h.store.KeptCount(ctx, cp.ID); err != nil {
		return v, err
	}
	if v.PerDay, err = h.store.SignaturesPerDay(ctx, cp.ID); err != nil {
		return v, err
	}
	if v.TopRegions, v.TopCities, err = h.publicPlaces(ctx, cp.ID); err != nil {
		return v, err
	}
	if v.Signers, err = h.store.LatestPublicSigners(ctx, cp.ID, latestSigned); err != nil {
		return v, err
	}
	if v.Deliveries, err = h.store.DeliveriesFor(ctx, cp.ID); err != nil {
		return v, err
	}
	v.Progress = models.Progress(v.Deliveries, cp.DeliveriesPlanned)
	if v.Responses, err = h.store.LatestResponses(ctx, cp.ID, latestResponses); err != nil {
		return v, err
	}
	if v.Actions, err = h.store.LatestActions(ctx, cp.ID, latestActions); err != nil {
		return v, err
	}
	if v.Coalition, err = h.store.OrganisationsFor(ctx, cp.ID); err != nil {
		return v, err
	}
	v.Notes = views.CampaignSourceNotes(v)
	return v, nil
}

// campaignJSON is the API form of the campaign's headline facts.
type campaignJSON struct {
	Slug              string         `json:"slug"`
	Title             string         `json:"title"`
	Target            string         `json:"target"`
	Demand            string         `json:"demand"`
	Status            string         `json:"status"`
	SignatureCount    int64          `json:"signature_count"`    // confirmed and imported, each person once: the count
	SignaturesPending int64          `json:"signatures_pending"` // waiting for their signers to confirm by email
	SignatureGoal     int64          `json:"signature_goal"`
	Claims            []claimJSON    `json:"claims"`
	DeliveriesPlanned int            `json:"deliveries_planned"`
	Deliveries        map[string]int `json:"deliveries"`
	// DeliveryProgress is the progress every page shows (models.Progress).
	DeliveryProgress deliveryProgressJSON `json:"delivery_progress"`
	TopRegions       placesJSON           `json:"top_regions"`
	TopCities        placesJSON           `json:"top_cities"`
	// Sources are the count as it is made (Store.SourceFigures), the
	// form's first: signature_count is their distinct people.
	Sources []sourceJSON `json:"sources"`
}

// placesJSON is models.PlaceCounts: the places named on the campaign
// page, and the signers of every other place.
type placesJSON struct {
	Places      []placeJSON `json:"places"`
	OtherPlaces int64       `json:"other_places"`
}

type placeJSON struct {
	Name       string `json:"name"`
	Signatures int64  `json:"signatures"`
}

func newPlacesJSON(pc models.PlaceCounts) placesJSON {
	out := placesJSON{Places: make([]placeJSON, 0, len(pc.Places)), OtherPlaces: pc.Other}
	for _, p := range pc.Places {
		out.Places = append(out.Places, placeJSON{Name: p.Label, Signatures: p.N})
	}
	return out
}

// deliveryProgressJSON is models.DeliveryProgress: "5 of 9 cities
// delivered" is {"cities": 9, "delivered": 5}; named is how many of the
// cities have a delivery on record.
type deliveryProgressJSON struct {
	Cities    int `json:"cities"`
	Delivered int `json:"delivered"`
	Named     int `json:"named"`
}

type claimJSON struct {
	Count      int64  `json:"count"`
	Qualifier  string `json:"qualifier"`
	ClaimedBy  string `json:"claimed_by"`
	ClaimedAt  string `json:"claimed_at"`
	SourceName string `json:"source_name"`
	SourceURL  string `json:"source_url"`
}

// campaignJSON serves GET /api/campaigns/:slug from its cache (see
// campaign_cache.go), with the kept counts read for each request and put
// in at the placeholder.
func (h *Handler) campaignJSON(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	kept, err := h.store.KeptCount(ctx, cp.ID)
	if err != nil {
		return err
	}
	live := strconv.FormatInt(kept.Counted, 10) + `,"signatures_pending":` + strconv.FormatInt(kept.Pending, 10)
	return h.serveCached(c, h.jsonPages, cp, "campaign JSON", echo.MIMEApplicationJSON, live, func() ([]byte, error) { return h.renderCampaignJSON(ctx, cp) })
}

// Stand-ins for the counts in a cached campaign JSON: numbers no count
// reaches, replaced by the placeholder once marshalled.
const (
	countStandIn   = 987654321987654321
	pendingStandIn = 987654321987654322
)

// renderCampaignJSON marshals the campaign's JSON with the placeholder
// where the live counts go.
func (h *Handler) renderCampaignJSON(ctx context.Context, cp *models.Campaign) ([]byte, error) {
	out := campaignJSON{
		Slug: cp.Slug, Title: cp.Title, Target: cp.Target, Demand: cp.Demand, Status: cp.Status,
		SignatureGoal: cp.SignatureGoal, DeliveriesPlanned: cp.DeliveriesPlanned,
		Claims: []claimJSON{}, SignatureCount: countStandIn, SignaturesPending: pendingStandIn,
	}
	claims, err := h.store.ClaimsFor(ctx, cp.ID)
	if err != nil {
		return nil, err
	}
	for _, cl := range claims {
		out.Claims = append(out.Claims, claimJSON{
			Count: cl.Count, Qualifier: cl.Qualifier, ClaimedBy: cl.ClaimedBy,
			ClaimedAt: cl.ClaimedOn, SourceName: cl.SourceName, SourceURL: cl.SourceURL,
		})
	}
	progress, err := h.store.DeliveryProgressFor(ctx, cp)
	if err != nil {
		return nil, err
	}
	// Every status is present, zero or not, so a client never has to
	// guess whether a missing key means zero.
	out.Deliveries = progress.Statuses
	out.DeliveryProgress = deliveryProgressJSON{Cities: progress.Cities, Delivered: progress.Delivered, Named: progress.Named}
	regions, cities, err := h.publicPlaces(ctx, cp.ID)
	if err != nil {
		return nil, err
	}
	out.TopRegions, out.TopCities = newPlacesJSON(regions), newPlacesJSON(cities)
	figures, err := h.store.SourceFigures(ctx, cp.ID)
	if err != nil {
		return nil, err
	}
	out.Sources = newSourcesJSON(figures.Sources)
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	standIn := fmt.Sprintf(`%d,"signatures_pending":%d`, int64(countStandIn), int64(pendingStandIn))
	if bytes.Count(b, []byte(standIn)) != 1 {
		return nil, errors.New("campaign JSON: the counts' stand-in is not in it once")
	}
	return append(bytes.Replace(b, []byte(standIn), []byte(csrfPlaceholder), 1), '\n'), nil
}

// publicPlaces is where a campaign's signers are from, by state and by
// city, as the page and the JSON both show it.
func (h *Handler) publicPlaces(ctx context.Context, campaignID uint) (regions, cities models.PlaceCounts, err error) {
	if regions, err = h.store.PublicPlaces(ctx, campaignID, models.TallyRegion, topPlaces, h.config.PlaceMin()); err != nil {
		return regions, cities, err
	}
	cities, err = h.store.PublicPlaces(ctx, campaignID, models.TallyCity, topPlaces, h.config.PlaceMin())
	return regions, cities, err
}
