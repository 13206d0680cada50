package handlers

import (
	"context"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/models"
	"campaigntrack/views"
)

// actions are the coalition's log of what it did.
func (h *Handler) actionRecords() *records[models.Action, views.ActionForm] {
	return &records[models.Action, views.ActionForm]{
		h: h, section: "actions", audit: "action", noun: "Action",
		parse: func(f formValues, _ *models.Campaign) (views.ActionForm, models.Action, models.FieldErrors) {
			return parseActionForm(f)
		},
		toForm: actionToForm,
		newForm: func(echo.Context) views.ActionForm {
			return views.ActionForm{OccurredAt: h.now().UTC().Format("2006-01-02")}
		},
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
		name: func(a *models.Action) string { return "“" + a.Title + "”" },
		listPage: func(c echo.Context, frame views.AdminFrame, form views.ActionForm, errs models.FieldErrors) (templ.Component, error) {
			ctx := c.Request().Context()
			actions, err := h.store.ActionsFor(ctx, frame.Campaign.ID, models.ActionFilter{})
			if err != nil {
				return nil, err
			}
			answers, err := h.store.AnswerStatus(ctx, frame.Campaign.ID, h.now())
			return views.ActionsAdminPage(views.ActionsAdminView{Frame: frame, Actions: actions, Answers: answers, Form: form, Errors: errs}), err
		},
		editPage: func(_ echo.Context, frame views.AdminFrame, _ uint, a *models.Action, form views.ActionForm, errs models.FieldErrors, history []models.AuditEntry) (templ.Component, error) {
			return views.ActionEditPage(views.ActionEditView{Frame: frame, Action: a, Form: form, Errors: errs, History: history}), nil
		},
	}
}
