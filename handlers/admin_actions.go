package handlers

import (
	"context"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// actions are the coalition's log of what it did.
func (h *Handler) actionRecords() *records[models.Action, views.ActionForm] {
	return &records[models.Action, views.ActionForm]{
		h: h, section: "actions", audit: "action", anchor: "action",
		id: func(r *models.Action) uint { return r.ID },
		parse: func(f formValues, _ *models.Campaign) (views.ActionForm, models.Action, models.FieldErrors) {
			return parseActionForm(f)
		},
		toForm:  actionToForm,
		newForm: h.newActionForm,
		get: func(ctx context.Context, s *models.Store, cid, id uint) (*models.Action, error) {
			return s.Action(ctx, cid, id)
		},
		create: func(ctx context.Context, s *models.Store, a models.Actor, cid uint, rec *models.Action) error {
			return s.CreateAction(ctx, a, cid, rec)
		},
		update: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint, act models.Action) error {
			_, err := s.UpdateAction(ctx, a, cid, id, func(rec *models.Action) {
				act.ID, act.CampaignID, act.CreatedAt = rec.ID, rec.CampaignID, rec.CreatedAt
				*rec = act
			})
			return err
		},
		remove: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint) error {
			return s.DeleteAction(ctx, a, cid, id)
		},
		name: func(ctx context.Context, a *models.Action) string {
			return locale.T(ctx, "admin_actions.name", "Title", a.Title)
		},
		describe: func(ctx context.Context, a *models.Action) string {
			return locale.T(ctx, "admin_actions.the_action", "Title", a.Title)
		},
		listPage: func(c echo.Context, frame views.AdminFrame, form views.ActionForm, errs models.FieldErrors) (templ.Component, error) {
			ctx := c.Request().Context()
			actions, err := h.store.ActionsFor(ctx, frame.Campaign.ID, models.ActionFilter{})
			if err != nil {
				return nil, err
			}
			answers, err := h.store.AnswerStatus(ctx, frame.Campaign.ID, h.now())
			hint := views.PlaceTimeHint(ctxOf(c), models.ZoneFor(actionCountry(form.Country), form.Region))
			return views.ActionsAdminPage(views.ActionsAdminView{Frame: frame, Actions: actions, Answers: answers, Form: form, Errors: errs, WhenHint: hint}), err
		},
		editPage: func(_ echo.Context, frame views.AdminFrame, _ uint, a *models.Action, form views.ActionForm, errs models.FieldErrors, history []models.AuditEntry) (templ.Component, error) {
			return views.ActionEditPage(views.ActionEditView{Frame: frame, Action: a, Form: form, Errors: errs, History: history}), nil
		},
	}
}

// newActionForm is the empty quick log. The place may come in the query
// (a delivery's "Log an action here": ?city=Seattle&region=WA); the time
// is now where the action happens (models.NowAt): 21:30 on 15 July in
// Seattle, not 04:30 on the 16th in UTC. Without a place whose zone is
// known, the date alone (today in UTC): a time of day in the wrong zone
// would be read in the zone of the state typed.
func (h *Handler) newActionForm(c echo.Context, _ *models.Campaign) views.ActionForm {
	form := views.ActionForm{
		City: models.Clip(strings.TrimSpace(c.QueryParam("city")), maxPrefill), Region: models.Clip(strings.TrimSpace(c.QueryParam("region")), maxPrefill),
		Country: strings.ToUpper(models.Clip(strings.TrimSpace(c.QueryParam("country")), maxPrefill)), Place: models.Clip(strings.TrimSpace(c.QueryParam("place")), maxPrefill),
	}
	zone := models.ZoneFor(actionCountry(form.Country), form.Region)
	now := views.NowWhen(models.NowAt(h.now(), zone))
	if zone == "" {
		now.Clock = ""
	}
	form.OccurredAt = now
	return form
}

// maxPrefill bounds a form value taken from the query: the Store's own
// limits apply on save, this keeps a page from echoing a huge address.
const maxPrefill = 200
