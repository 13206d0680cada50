package handlers

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/csvio"
	"campaigntrack/geo"
	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// deliveriesPage is the public record of the hand-overs: progress, a map
// of the United States drawn on the server, and the table by date.
func (h *Handler) deliveriesPage(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	return h.servePage(c, h.deliveryPages, cp, "", "deliveries page", func() (templ.Component, error) { return h.deliveriesView(c, cp) })
}

// deliveriesView draws the deliveries page.
func (h *Handler) deliveriesView(c echo.Context, cp *models.Campaign) (templ.Component, error) {
	ds, err := h.store.DeliveriesFor(c.Request().Context(), cp.ID)
	if err != nil {
		return nil, err
	}
	answers, err := h.store.AnswerStatus(c.Request().Context(), cp.ID, h.now())
	if err != nil {
		return nil, err
	}
	counts, err := h.store.DeliveryCounts(c.Request().Context(), cp.ID)
	if err != nil {
		return nil, err
	}
	v := views.DeliveriesView{
		Campaign: *cp, Deliveries: ds, Progress: models.Progress(ds, cp.DeliveriesPlanned),
		Located: map[uint]string{}, Today: h.now().UTC().Format("2006-01-02"), Answers: answers,
		Carried: map[uint]models.DeliveryCount{},
	}
	for _, d := range ds {
		if dc := carried(d, counts); dc != nil {
			v.Carried[d.ID] = *dc
		}
		if d.Country != "" && d.Country != "US" {
			v.Elsewhere = append(v.Elsewhere, d)
			continue
		}
		lat, lon, how := placeOf(d)
		if how == "" {
			v.Unplaced = append(v.Unplaced, d)
			continue
		}
		x, y, ok := geo.Project(lon, lat)
		if !ok { // a US territory outside the map's insets (Guam, Puerto Rico)
			v.Elsewhere = append(v.Elsewhere, d)
			continue
		}
		v.Located[d.ID] = how
		v.Markers = append(v.Markers, views.MapMarker{
			X: x, Y: y, Status: d.Status, Href: "#" + views.DeliveryAnchor(d.ID),
			Label: views.MarkerLabel(ctxOf(c), d),
		})
	}
	return views.DeliveriesPage(v), nil
}

// placeOf is where a delivery goes on the map: its recorded coordinates,
// or else its city's centre from the gazetteer ("" when neither is known).
func placeOf(d models.Delivery) (lat, lon float64, how string) {
	if d.Latitude != nil && d.Longitude != nil {
		return *d.Latitude, *d.Longitude, "recorded"
	}
	if lat, lon, ok := geo.Locate(d.City, d.Region); ok {
		return lat, lon, "city centre"
	}
	return 0, 0, ""
}

// deliveriesCSV is the public CSV of a campaign's deliveries, for
// journalists and partners: ?status= and ?city= narrow it.
func (h *Handler) deliveriesCSV(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	f, err := deliveryFilter(c)
	if err != nil {
		return err
	}
	ds, err := h.store.Deliveries(c.Request().Context(), cp.ID, f)
	if err != nil {
		return err
	}
	return h.publicCSV(c, cp, "deliveries", func(w io.Writer) error { return csvio.WriteDeliveries(w, ds) })
}

// deliveriesXLSX is deliveriesCSV as a workbook, with the same filters.
func (h *Handler) deliveriesXLSX(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	f, err := deliveryFilter(c)
	if err != nil {
		return err
	}
	ds, err := h.store.Deliveries(c.Request().Context(), cp.ID, f)
	if err != nil {
		return err
	}
	return h.publicXLSX(c, cp, "deliveries", func() (*csvio.Workbook, error) { return csvio.DeliveriesWorkbook(ds) })
}

// deliveryFilter reads ?status= and ?city=, naming a bad one.
func deliveryFilter(c echo.Context) (models.DeliveryFilter, error) {
	f := models.DeliveryFilter{
		Status: strings.ReplaceAll(strings.ToLower(strings.TrimSpace(c.QueryParam("status"))), " ", "_"),
		City:   strings.TrimSpace(c.QueryParam("city")),
	}
	if f.Status != "" && !slices.Contains(models.DeliveryStatuses, f.Status) {
		return f, refuse(http.StatusBadRequest, locale.T(ctxOf(c), "error.filter_status", "Statuses", strings.Join(models.DeliveryStatuses, ", ")))
	}
	if len(f.City) > 200 {
		return f, refuse(http.StatusBadRequest, locale.T(ctxOf(c), "error.filter_city_long", "Max", maxCityFilter))
	}
	if !utf8.ValidString(f.City) || strings.ContainsRune(f.City, 0) {
		// PostgreSQL refuses such text in a query: a 500 without this.
		return f, refuse(http.StatusBadRequest, locale.T(ctxOf(c), "error.filter_city_text"))
	}
	return f, nil
}
