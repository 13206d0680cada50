package handlers

import (
	"io"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/csvio"
	"campaigntrack/models"
	"campaigntrack/views"
)

// responsesPage is what the company said back, oldest first, then the
// deliveries and actions it has left unanswered, the longest wait first.
func (h *Handler) responsesPage(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	return h.servePage(c, h.responsePages, cp, "", "answers page", func() (templ.Component, error) { return h.responsesView(c, cp) })
}

// responsesView draws the answers page.
func (h *Handler) responsesView(c echo.Context, cp *models.Campaign) (templ.Component, error) {
	ctx := c.Request().Context()
	v := views.ResponsesView{Campaign: *cp}
	var err error
	if v.Responses, err = h.store.ResponsesFor(ctx, cp.ID, models.ResponsesOldestFirst); err != nil {
		return nil, err
	}
	if v.Awaiting, err = h.store.Awaiting(ctx, cp.ID, h.now()); err != nil {
		return nil, err
	}
	// The Store loads responses, and what they answer, whole: their
	// private notes stop here, so no later change to the page can show them.
	for i := range v.Responses {
		r := &v.Responses[i]
		r.Notes = ""
		if r.Delivery != nil {
			r.Delivery.Notes = ""
		}
		if r.Action != nil {
			r.Action.Notes = ""
		}
	}
	return views.ResponsesPage(v), nil
}

// responsesCSV is the public CSV of the company's responses, oldest first,
// each with what it answers. Like every public export it holds no notes.
func (h *Handler) responsesCSV(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	rs, err := h.store.ResponsesFor(c.Request().Context(), cp.ID, models.ResponsesOldestFirst)
	if err != nil {
		return err
	}
	return h.publicCSV(c, cp, "responses", func(w io.Writer) error { return csvio.WriteResponses(w, rs) })
}

// responsesXLSX is responsesCSV as a workbook.
func (h *Handler) responsesXLSX(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	rs, err := h.store.ResponsesFor(c.Request().Context(), cp.ID, models.ResponsesOldestFirst)
	if err != nil {
		return err
	}
	return h.publicXLSX(c, cp, "responses", func() (*csvio.Workbook, error) { return csvio.ResponsesWorkbook(rs) })
}
