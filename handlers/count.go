package handlers

import (
	"bytes"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"campaigntrack/models"
	"campaigntrack/views"
)

// countPage is "How the count is made": the campaign's count of people,
// each source's kept figures and the pairs of sources that share people,
// beside the reported totals. It reads only kept figures, and is served
// from its own page cache like the campaign page (campaign_cache.go): the
// figures it shows are at most the cache time old, as the campaign
// page's count is.
func (h *Handler) countPage(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	return h.serveCached(c, h.countPages, cp, "count page", echo.MIMETextHTMLCharsetUTF8, "", func() ([]byte, error) { return h.renderCountPage(c, cp) })
}

func (h *Handler) renderCountPage(c echo.Context, cp *models.Campaign) ([]byte, error) {
	ctx := c.Request().Context()
	v := views.CountPageView{Campaign: *cp, Meta: h.campaignMeta(ctxOf(c), cp, "/campaigns/"+cp.Slug+"/count")}
	var err error
	if v.Count, err = h.store.SourceFigures(ctx, cp.ID); err != nil {
		return nil, err
	}
	if v.Claims, err = h.store.ClaimsFor(ctx, cp.ID); err != nil {
		return nil, err
	}
	// The form's source comes first (Store.SourceFigures); any other that
	// received someone means a list was imported.
	for i, s := range v.Count.Sources {
		if i > 0 && s.Received > 0 {
			v.Imported = true
		}
	}
	custom, builtIn, err := h.store.EmailRulesInForce(ctx)
	if err != nil {
		return nil, err
	}
	v.Rules = append(builtIn, custom...)
	v.Chart = views.NewClaimsChart(ctxOf(c), v.Count.People, v.Claims)
	var buf bytes.Buffer
	if err := views.CountPage(v).Render(ctx, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sourceJSON is one source's figures in the API: what it claims (null
// when it claims nothing), the people it sent (received), those no other
// source has (unique) and those another has too (shared). partner is ""
// when the source belongs to no partner.
type sourceJSON struct {
	Name     string `json:"name"`
	Partner  string `json:"partner"`
	Claimed  *int64 `json:"claimed"`
	Received int64  `json:"received"`
	Unique   int64  `json:"unique"`
	Shared   int64  `json:"shared"`
}

func newSourcesJSON(fs []models.SourceFigure) []sourceJSON {
	out := make([]sourceJSON, 0, len(fs))
	for _, f := range fs {
		out = append(out, sourceJSON{Name: f.Name, Partner: f.Partner, Claimed: f.Claimed, Received: f.Received, Unique: f.Unique, Shared: f.Shared})
	}
	return out
}

func frozenSourcesJSON(fs models.FrozenSources) []sourceJSON {
	out := make([]sourceJSON, 0, len(fs))
	for _, f := range fs {
		out = append(out, sourceJSON{Name: f.Name, Partner: f.Partner, Claimed: f.Claimed, Received: f.Received, Unique: f.Unique, Shared: f.Shared})
	}
	return out
}

// deliveryJSON is a delivery as the public deliveries page shows it: its
// place, status, times and recipient, and the count it carried. Times are
// as in the CSV (models.FormatWhen): a date alone when only the day is
// known, else RFC 3339 with the place's offset; null when not set.
// date_only says whether the delivery's time (delivered_at, or before it
// happens scheduled_at) is known to the day only. Nothing private (the
// organisers' notes) is here.
type deliveryJSON struct {
	ID              uint               `json:"id"`
	City            string             `json:"city"`
	Region          string             `json:"region"`
	Country         string             `json:"country"`
	Venue           string             `json:"venue"`
	Status          string             `json:"status"`
	ScheduledAt     *string            `json:"scheduled_at"`
	DeliveredAt     *string            `json:"delivered_at"`
	DateOnly        bool               `json:"date_only"`
	Recipient       string             `json:"recipient"`
	CountAtDelivery *deliveryCountJSON `json:"count_at_delivery"`
}

// deliveryCountJSON is the count a delivery carried, frozen when it was
// marked delivered (or recorded again since): the people counted, when
// (RFC 3339, UTC), and each source's figures then.
type deliveryCountJSON struct {
	Total   int64        `json:"total"`
	At      string       `json:"at"`
	Sources []sourceJSON `json:"sources"`
}

// deliveriesJSON serves GET /api/campaigns/:slug/deliveries: the
// campaign's deliveries by date, each with the count it carried.
func (h *Handler) deliveriesJSON(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	ds, err := h.store.DeliveriesFor(ctx, cp.ID)
	if err != nil {
		return err
	}
	counts, err := h.store.DeliveryCounts(ctx, cp.ID)
	if err != nil {
		return err
	}
	out := make([]deliveryJSON, 0, len(ds))
	for _, d := range ds {
		j := deliveryJSON{
			ID: d.ID, City: d.City, Region: d.Region, Country: d.Country, Venue: d.Venue, Status: d.Status,
			ScheduledAt: whenJSON(d.ScheduledAt, d.ScheduledDateOnly, d.TimeZone),
			DeliveredAt: whenJSON(d.DeliveredAt, d.DateOnly, d.TimeZone),
			DateOnly:    d.WhenDateOnly(), Recipient: d.Recipient,
		}
		if dc := carried(d, counts); dc != nil {
			j.CountAtDelivery = &deliveryCountJSON{Total: dc.Total, At: dc.RecordedAt.UTC().Format(time.RFC3339), Sources: frozenSourcesJSON(dc.Sources)}
		}
		out = append(out, j)
	}
	return c.JSON(http.StatusOK, out)
}

func whenJSON(t *time.Time, dateOnly bool, zone string) *string {
	if t == nil {
		return nil
	}
	s := models.FormatWhen(t, dateOnly, zone)
	return &s
}

// carried is the count a delivery carried, as the page and the API show
// it: its latest record, while it is delivered (a delivery set back from
// delivered by a correction carried nothing); nil when it has none.
func carried(d models.Delivery, counts map[uint]models.DeliveryCount) *models.DeliveryCount {
	dc, ok := counts[d.ID]
	if !ok || d.Status != models.DeliveryDelivered {
		return nil
	}
	return &dc
}
