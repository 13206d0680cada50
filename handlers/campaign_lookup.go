package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// campaignRead is how a handler wants the campaign its route names.
type campaignRead int

const (
	// cached: public routes read the campaign through campaignCache, so a
	// burst of signatures or page views does not read its row each time.
	cached campaignRead = iota
	// fresh: the organiser area reads the row itself, so an organiser
	// sees at once what they (or someone on another instance) saved.
	fresh
)

// campaign is the campaign the route's :slug names: the one way every
// handler, public or organiser, loads it. Every route with a :slug, under
// /campaigns, /api/campaigns and /admin/campaigns, follows a rename here:
// a slug no campaign has now, but one had before a rename, is a redirect
// to the same address under the campaign's current slug; any other is
// the 404 page. Only a miss asks for a redirect, so requests for live
// campaigns pay nothing for renames.
func (h *Handler) campaign(c echo.Context, read campaignRead) (*models.Campaign, error) {
	ctx, slug := c.Request().Context(), c.Param("slug")
	var cp *models.Campaign
	var err error
	if read == fresh {
		cp, err = h.store.CampaignBySlug(ctx, slug)
	} else {
		cp, err = h.campaigns.campaign(ctx, h.store, slug, h.now())
	}
	if !errors.Is(err, models.ErrNotFound) {
		return cp, err
	}
	to, err := h.store.CampaignSlugRedirect(ctx, slug)
	if err != nil {
		return nil, campaignErr(ctx, err)
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
	location := locale.Path(c.Request().Context(), strings.Replace(c.Path(), ":slug", slug, 1))
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
func campaignErr(ctx context.Context, err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return pageNotFound(locale.T(ctx, "error.no_campaign"))
	}
	return err
}
