package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// responses are what the target said back, or that it said nothing.
func (h *Handler) responseRecords() *records[models.Response, views.ResponseForm] {
	return &records[models.Response, views.ResponseForm]{
		h: h, section: "responses", audit: "response", anchor: "response",
		id: func(r *models.Response) uint { return r.ID },
		parse: func(f formValues, _ *models.Campaign) (views.ResponseForm, models.Response, models.FieldErrors) {
			return parseResponseForm(f)
		},
		toForm:  responseToForm,
		newForm: h.newResponseForm,
		get: func(ctx context.Context, s *models.Store, cid, id uint) (*models.Response, error) {
			return s.Response(ctx, cid, id)
		},
		create: func(ctx context.Context, s *models.Store, a models.Actor, cid uint, rec *models.Response) error {
			return s.CreateResponse(ctx, a, cid, rec)
		},
		update: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint, r models.Response) error {
			_, err := s.UpdateResponse(ctx, a, cid, id, func(rec *models.Response) {
				r.ID, r.CampaignID, r.CreatedAt = rec.ID, rec.CampaignID, rec.CreatedAt
				*rec = r
			})
			return err
		},
		remove: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint) error {
			return s.DeleteResponse(ctx, a, cid, id)
		},
		name: func(ctx context.Context, r *models.Response) string {
			if r.IsNoReply() { // "No reply added.", "Response saved.": the flash reads as a headline
				return locale.T(ctx, "admin_responses.no_reply")
			}
			return locale.T(ctx, "admin_responses.name")
		},
		describe: func(ctx context.Context, r *models.Response) string {
			switch {
			case r.IsNoReply() && r.Speaker != "":
				return locale.T(ctx, "admin_responses.the_no_reply_from", "Speaker", r.Speaker)
			case r.IsNoReply():
				return locale.T(ctx, "admin_responses.the_no_reply")
			case r.Speaker != "":
				return locale.T(ctx, "admin_responses.the_response_from", "Speaker", r.Speaker)
			}
			return locale.T(ctx, "admin_responses.the_response")
		},
		listPage: func(c echo.Context, frame views.AdminFrame, form views.ResponseForm, errs models.FieldErrors) (templ.Component, error) {
			ctx := c.Request().Context()
			v := views.ResponsesAdminView{Frame: frame, Form: form, Errors: errs}
			var err error
			if v.Responses, err = h.store.ResponsesFor(ctx, frame.Campaign.ID, models.ResponsesNewestFirst); err != nil {
				return nil, err
			}
			if v.Awaiting, err = h.store.Awaiting(ctx, frame.Campaign.ID, h.now()); err != nil {
				return nil, err
			}
			v.Answers, err = h.answerOptions(ctx, frame.Campaign.ID)
			return views.ResponsesAdminPage(v), err
		},
		editPage: func(c echo.Context, frame views.AdminFrame, _ uint, r *models.Response, form views.ResponseForm, errs models.FieldErrors, history []models.AuditEntry) (templ.Component, error) {
			answers, err := h.answerOptions(c.Request().Context(), frame.Campaign.ID)
			return views.ResponseEditPage(views.ResponseEditView{Frame: frame, Response: r, Answers: answers, Form: form, Errors: errs, History: history}), err
		},
	}
}

func (h *Handler) answerOptions(ctx context.Context, campaignID uint) ([]views.Option, error) {
	ds, err := h.store.DeliveriesFor(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	as, err := h.store.ActionsFor(ctx, campaignID, models.ActionFilter{})
	if err != nil {
		return nil, err
	}
	return views.AnswerOptions(ctx, ds, as), nil
}

// logNoReply puts the target's silence on the record in one step: a "no
// reply" response dated today, answering the delivery or action named.
func (h *Handler) logNoReply(c echo.Context) error {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	_, r, fe := parseResponseForm(c)
	if r.DeliveryID == nil && r.ActionID == nil {
		fe.Add("answers", "choose the delivery or action that went unanswered")
	}
	if err = fe.Err(); err == nil {
		// Today where the unanswered record happened: a silence logged at
		// 21:30 in Seattle is dated that day, not the next (UTC's).
		local := models.NowAt(h.now(), h.answeredZone(c.Request().Context(), cp.ID, r.DeliveryID, r.ActionID))
		y, m, d := local.Date()
		r.RespondedAt, r.DateOnly = time.Date(y, m, d, 12, 0, 0, 0, time.UTC), true // a day alone: its noon in UTC (ParseWhen)
		r.Channel, r.Kind = models.ResponseNoReply, models.ResponseNoReply
		r.Summary = "No answer from " + cp.Target + " as of this date."
		err = h.store.CreateResponse(c.Request().Context(), actor(c), cp.ID, &r)
	}
	path := "/admin/campaigns/" + cp.Slug + "/responses"
	if errs, ok := formErrors(err); ok {
		return h.redirectWithFlash(c, path, locale.T(ctxOf(c), "admin_responses.flash_not_logged", "Reason", errs.Error()))
	}
	if err != nil {
		return err
	}
	h.flash(c, locale.T(ctxOf(c), "admin_responses.flash_no_reply"))
	return c.Redirect(http.StatusSeeOther, path)
}

// newResponseForm is the empty response form: what it answers may come in
// the query (?answers=delivery:3), and the time is now in the zone of the
// place of what it answers (models.NowAt), with that zone chosen so the
// time is read back in it. Without such a zone, the date alone.
func (h *Handler) newResponseForm(c echo.Context, cp *models.Campaign) views.ResponseForm {
	form := views.ResponseForm{Answers: c.QueryParam("answers")}
	var delivery, action *uint
	if kind, id, _ := strings.Cut(form.Answers, ":"); kind == models.AnswersDelivery || kind == models.AnswersAction {
		if n, err := strconv.ParseUint(id, 10, 32); err == nil && n > 0 {
			u := uint(n)
			if kind == models.AnswersDelivery {
				delivery = &u
			} else {
				action = &u
			}
		}
	}
	zone := h.answeredZone(c.Request().Context(), cp.ID, delivery, action)
	form.RespondedAt = views.NowWhen(models.NowAt(h.now(), zone))
	if zone == "" {
		form.RespondedAt.Clock = ""
	}
	form.TimeZone = zone
	return form
}

// answeredZone is the zone of the place of the delivery or action a
// response answers, "" when it answers the campaign, is not found, or
// happened where no zone is known.
func (h *Handler) answeredZone(ctx context.Context, campaignID uint, delivery, action *uint) string {
	switch {
	case delivery != nil:
		if d, err := h.store.Delivery(ctx, campaignID, *delivery); err == nil {
			return orZone(d)
		}
	case action != nil:
		if a, err := h.store.Action(ctx, campaignID, *action); err == nil {
			if a.TimeZone != "" {
				return a.TimeZone
			}
			return models.ZoneFor(a.Country, a.Region)
		}
	}
	return ""
}
