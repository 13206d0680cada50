package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"

	"campaigntrack/models"
	"campaigntrack/share"
	"campaigntrack/views"
)

// campaignMeta is what a campaign's page tells search engines and the
// sites a link to it is shared on: the demand as its description, its
// address and its share image, on the base URL.
func (h *Handler) campaignMeta(cp *models.Campaign, path string) views.PageMeta {
	base := strings.TrimSuffix(h.config.PublicURL().String(), "/")
	return views.PageMeta{
		Description: models.Clip(strings.Join(strings.Fields(cp.Target+": "+cp.Demand), " "), 300),
		URL:         base + path,
		Image:       base + "/campaigns/" + cp.Slug + "/share.png",
	}
}

// shareImage serves a campaign's share image (share.Render), from a cache
// of its own like the pages (campaign_cache.go): drawing it takes tens of
// milliseconds, which a shared link's surge of crawlers must not cost each
// time.
func (h *Handler) shareImage(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	return h.serveCached(c, h.shareImages, cp, "share image", "image/png", "", func() ([]byte, error) {
		ctx := c.Request().Context()
		kept, err := h.store.KeptCount(ctx, cp.ID)
		if err != nil {
			return nil, err
		}
		progress, err := h.store.DeliveryProgressFor(ctx, cp)
		if err != nil {
			return nil, err
		}
		card := share.Card{Title: cp.Title, Count: views.PeopleHeadline(kept.Counted), Site: h.config.PublicURL().Host}
		if progress.Cities > 0 {
			card.Progress = views.ProgressWords(progress)
		}
		return share.Render(card)
	})
}
