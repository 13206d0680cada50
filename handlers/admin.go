package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// How many audit entries overview pages show.
const recentChanges = 20

// frame builds what every admin page shows around its content.
func (h *Handler) frame(c echo.Context, title string, campaign *models.Campaign, section string) views.AdminFrame {
	return views.AdminFrame{
		Title: title, User: currentUser(c), CSRF: csrfToken(c), Flash: h.popFlash(c),
		Saved:    h.sessions.PopString(c.Request().Context(), sessionSaved),
		Campaign: campaign, Section: section,
	}
}

// inCampaign is the title of a campaign's admin page: "Settings · Stop
// the cuts".
func inCampaign(c echo.Context, page string, cp *models.Campaign) string {
	return locale.T(ctxOf(c), "admin.in_campaign", "Page", page, "Campaign", cp.Title)
}

// actor is the signed-in user as the author of a change.
func actor(c echo.Context) models.Actor { return models.UserActor(currentUser(c)) }

// recordID reads the :id path parameter; anything but a positive number
// is a 404.
func recordID(c echo.Context) (uint, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil || id == 0 {
		return 0, pageNotFound("There is no such record.")
	}
	return uint(id), nil
}

// recordErr maps a missing record to a 404.
func recordErr(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return pageNotFound("There is no such record in this campaign.")
	}
	return err
}

// formErrors reports whether err is a refusal of the form's input, to be
// shown beside the fields (422) rather than handled as a fault.
func formErrors(err error) (models.FieldErrors, bool) {
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return fe, true
	}
	return nil, false
}

// redirectWithFlash ends a successful POST: the browser goes to a page
// (303, so a reload does not resubmit) that shows msg once.
func (h *Handler) redirectWithFlash(c echo.Context, path, msg string) error {
	h.flash(c, msg)
	return c.Redirect(http.StatusSeeOther, path)
}

// redirectToSaved sends the organiser to the list at path opened at the
// record just saved (its anchor), which the list marks (AdminFrame.Saved),
// with the flash message.
func (h *Handler) redirectToSaved(c echo.Context, path, anchor, msg string) error {
	h.sessions.Put(c.Request().Context(), sessionSaved, anchor)
	return h.redirectWithFlash(c, path+"#"+anchor, msg)
}

// adminHome lists the campaigns.
func (h *Handler) adminHome(c echo.Context) error {
	ctx := c.Request().Context()
	campaigns, err := h.store.Campaigns(ctx)
	if err != nil {
		return err
	}
	recent, err := h.store.AuditLatest(ctx, recentChanges)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AdminHomePage(views.AdminHomeView{
		Frame: h.frame(c, locale.T(ctxOf(c), "admin.nav.campaigns"), nil, ""), Campaigns: campaigns, Recent: recent,
	}))
}

// campaignDashboard is a campaign's overview for organisers.
func (h *Handler) campaignDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	v := views.CampaignDashboardView{Frame: h.frame(c, cp.Title, cp, "")}
	if v.Kept, err = h.store.KeptCount(ctx, cp.ID); err != nil {
		return err
	}
	if v.Progress, err = h.store.DeliveryProgressFor(ctx, cp); err != nil {
		return err
	}
	claims, err := h.store.ClaimsFor(ctx, cp.ID)
	if err != nil {
		return err
	}
	partners, err := h.store.OrganisationsFor(ctx, cp.ID)
	if err != nil {
		return err
	}
	v.Claims, v.Partners = len(claims), len(partners)
	if v.Awaiting, err = h.store.Awaiting(ctx, cp.ID, h.now()); err != nil {
		return err
	}
	if v.Recent, err = h.store.AuditForCampaign(ctx, cp.ID, recentChanges); err != nil {
		return err
	}
	if v.Spanish, err = h.store.SpanishCoverage(ctx, cp.ID); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.CampaignDashboardPage(v))
}

// campaignAudit is a campaign's whole audit log.
func (h *Handler) campaignAudit(c echo.Context) error {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	entries, err := h.store.AuditForCampaign(c.Request().Context(), cp.ID, 500)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AuditPage(views.AuditView{Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin.tab.audit"), cp), cp, "audit"), Entries: entries}))
}

// renderForm renders a refused form with 422, or a fresh one with 200.
func renderForm(c echo.Context, errs models.FieldErrors, page templ.Component) error {
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return render(c, status, page)
}
