package handlers

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/share"
	"campaigntrack/views"
)

// campaignMeta is what a campaign's page tells search engines and the
// sites a link to it is shared on: the demand as its description, its
// address and its share image, on the base URL.
// In Spanish, the description is the Spanish demand where there is one,
// and the image the Spanish card.
func (h *Handler) campaignMeta(ctx context.Context, cp *models.Campaign, path string) views.PageMeta {
	base := strings.TrimSuffix(h.config.PublicURL().String(), "/")
	demand, _ := locale.Pick(ctx, cp.Demand, cp.DemandES)
	return views.PageMeta{
		Description: models.Clip(strings.Join(strings.Fields(cp.Target+": "+demand), " "), 300),
		URL:         base + locale.Path(ctx, path),
		Image:       base + locale.Path(ctx, "/campaigns/"+cp.Slug+"/share.png"),
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
		title, _ := locale.Pick(ctx, cp.Title, cp.TitleES)
		card := share.Card{Title: title, Count: views.PeopleHeadline(ctx, kept.Counted), Site: h.config.PublicURL().Host}
		if progress.Cities > 0 {
			card.Progress = views.ProgressWords(ctx, progress)
		}
		return share.Render(card)
	})
}
