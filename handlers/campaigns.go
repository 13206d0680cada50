package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campaigntrack/models"
	"campaigntrack/negotiate"
	"campaigntrack/views"
)

// How many of the latest responses and actions the campaign page shows.
const (
	latestResponses = 5
	latestActions   = 5
)

// home lists every campaign with its headline figure and delivery progress.
func (h *Handler) home(c echo.Context) error {
	ctx := c.Request().Context()
	campaigns, err := h.store.Campaigns(ctx)
	if err != nil {
		return err
	}
	headlines, err := h.store.HeadlineClaims(ctx)
	if err != nil {
		return err
	}
	counts, err := h.store.SignatureCounts(ctx)
	if err != nil {
		return err
	}
	deliveries, err := h.store.AllDeliveryStatusCounts(ctx)
	if err != nil {
		return err
	}
	v := views.HomeView{Campaigns: make([]views.CampaignCard, 0, len(campaigns))}
	for _, cp := range campaigns {
		card := views.CampaignCard{
			Slug: cp.Slug, Title: cp.Title, Target: cp.Target, Status: cp.Status,
			Recorded:   counts[cp.ID],
			Deliveries: views.NewDeliveryProgress(cp.DeliveriesPlanned, deliveries[cp.ID]),
		}
		if claim, ok := headlines[cp.ID]; ok {
			card.Headline = &claim
		}
		v.Campaigns = append(v.Campaigns, card)
	}
	return render(c, http.StatusOK, views.HomePage(v))
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
	cp, err := h.publicCampaign(c)
	if err != nil {
		return err
	}
	now := time.Now()
	page, mustRender := h.pages.get(cp, now)
	if mustRender {
		fresh, err := h.renderCampaignPage(c, cp)
		switch {
		case err == nil:
			page = h.pages.store(cp, fresh, now)
		case page == nil:
			return err
		default:
			h.pages.abandon(cp)
			h.log.Error("campaign page: serving the previous copy", "slug", cp.Slug, "error", err)
		}
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	return page.write(c.Response(), csrfToken(c), negotiate.AcceptsGzip(c.Request().Header))
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
	}}
	var err error
	if v.Petition, err = h.store.PetitionFor(ctx, cp.ID); err != nil {
		return v, err
	}
	if v.Claims, err = h.store.ClaimsFor(ctx, cp.ID); err != nil {
		return v, err
	}
	if v.Recorded, err = h.store.SignatureCount(ctx, cp.ID); err != nil {
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
	byStatus := make(map[string]int)
	for _, d := range v.Deliveries {
		byStatus[d.Status]++
	}
	v.Progress = views.NewDeliveryProgress(cp.DeliveriesPlanned, byStatus)
	if v.Responses, err = h.store.LatestResponses(ctx, cp.ID, latestResponses); err != nil {
		return v, err
	}
	if v.Actions, err = h.store.LatestActions(ctx, cp.ID, latestActions); err != nil {
		return v, err
	}
	v.Coalition, err = h.store.OrganisationsFor(ctx, cp.ID)
	return v, err
}

// campaignJSON is the API form of the campaign's headline facts.
type campaignJSON struct {
	Slug              string         `json:"slug"`
	Title             string         `json:"title"`
	Target            string         `json:"target"`
	Demand            string         `json:"demand"`
	Status            string         `json:"status"`
	SignatureCount    int64          `json:"signature_count"`
	SignatureGoal     int64          `json:"signature_goal"`
	Claims            []claimJSON    `json:"claims"`
	DeliveriesPlanned int            `json:"deliveries_planned"`
	Deliveries        map[string]int `json:"deliveries"`
	TopRegions        placesJSON     `json:"top_regions"`
	TopCities         placesJSON     `json:"top_cities"`
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

type claimJSON struct {
	Count      int64  `json:"count"`
	Qualifier  string `json:"qualifier"`
	ClaimedBy  string `json:"claimed_by"`
	ClaimedAt  string `json:"claimed_at"`
	SourceName string `json:"source_name"`
	SourceURL  string `json:"source_url"`
}

// campaignJSON serves GET /api/campaigns/:slug.
func (h *Handler) campaignJSON(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.publicCampaign(c)
	if err != nil {
		return err
	}
	out := campaignJSON{
		Slug: cp.Slug, Title: cp.Title, Target: cp.Target, Demand: cp.Demand, Status: cp.Status,
		SignatureGoal: cp.SignatureGoal, DeliveriesPlanned: cp.DeliveriesPlanned,
		Claims: []claimJSON{},
	}
	if out.SignatureCount, err = h.store.SignatureCount(ctx, cp.ID); err != nil {
		return err
	}
	claims, err := h.store.ClaimsFor(ctx, cp.ID)
	if err != nil {
		return err
	}
	for _, cl := range claims {
		out.Claims = append(out.Claims, claimJSON{
			Count: cl.Count, Qualifier: cl.Qualifier, ClaimedBy: cl.ClaimedBy,
			ClaimedAt: cl.ClaimedOn, SourceName: cl.SourceName, SourceURL: cl.SourceURL,
		})
	}
	counts, err := h.store.DeliveryStatusCounts(ctx, cp.ID)
	if err != nil {
		return err
	}
	// Every status is present, zero or not, so a client never has to
	// guess whether a missing key means zero.
	out.Deliveries = make(map[string]int, len(models.DeliveryStatuses))
	for _, s := range models.DeliveryStatuses {
		out.Deliveries[s] = counts[s]
	}
	regions, cities, err := h.publicPlaces(ctx, cp.ID)
	if err != nil {
		return err
	}
	out.TopRegions, out.TopCities = newPlacesJSON(regions), newPlacesJSON(cities)
	return c.JSON(http.StatusOK, out)
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

// publicCampaign is the campaign a public route's :slug names, through
// the short-lived campaignCache. Every public route under /campaigns/:slug
// and /api/campaigns/:slug looks its campaign up here, so each follows a
// rename: a slug no campaign has now, but one had before a rename, is a
// redirect to the same address under the campaign's current slug; any
// other is the 404 page. Only a miss asks for a redirect, so requests for
// live campaigns pay nothing for renames.
func (h *Handler) publicCampaign(c echo.Context) (*models.Campaign, error) {
	slug := c.Param("slug")
	cp, err := h.campaigns.campaign(c.Request().Context(), h.store, slug)
	if !errors.Is(err, models.ErrNotFound) {
		return cp, err
	}
	to, err := h.store.CampaignSlugRedirect(c.Request().Context(), slug)
	if err != nil {
		return nil, campaignErr(err)
	}
	return nil, movedTo(c, to)
}

// campaignMoved answers a request for an address a campaign had before a
// rename: errorHandler redirects it to location. An error, so that every
// public handler passes it on as it passes a 404.
type campaignMoved struct {
	location string
	code     int
}

func (m *campaignMoved) Error() string { return "campaign moved to " + m.location }

// movedTo is a redirect to the request's route and query under slug. GET
// and HEAD get 301; anything else, that is the sign form's POST, gets 308,
// which keeps the method and the body: a form from a page cached before
// the rename still signs, at the new address, under its rate limit and
// CSRF check like any signature there.
func movedTo(c echo.Context, slug string) error {
	// The route's own pattern, not the request's path: a slug is checked
	// (models.ValidSlug) before it is looked up, and the rest is literal.
	location := strings.Replace(c.Path(), ":slug", slug, 1)
	if q := c.Request().URL.RawQuery; q != "" {
		location += "?" + q
	}
	code := http.StatusMovedPermanently
	if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
		code = http.StatusPermanentRedirect
	}
	return &campaignMoved{location: location, code: code}
}

// campaignErr maps a missing campaign to a 404 that says so.
func campaignErr(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return pageNotFound("There is no campaign at this address. Check the link, or find the campaign in the list.")
	}
	return err
}
