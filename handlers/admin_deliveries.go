package handlers

import (
	"context"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/csvio"
	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// deliveries are the hand-overs of the petition, logged as they happen.
func (h *Handler) deliveryRecords() *records[models.Delivery, views.DeliveryForm] {
	return &records[models.Delivery, views.DeliveryForm]{
		h: h, section: "deliveries", audit: "delivery", anchor: "delivery",
		id: func(r *models.Delivery) uint { return r.ID },
		parse: func(f formValues, _ *models.Campaign) (views.DeliveryForm, models.Delivery, models.FieldErrors) {
			return parseDeliveryForm(f)
		},
		toForm: deliveryToForm,
		get: func(ctx context.Context, s *models.Store, cid, id uint) (*models.Delivery, error) {
			return s.Delivery(ctx, cid, id)
		},
		create: func(ctx context.Context, s *models.Store, a models.Actor, cid uint, rec *models.Delivery) error {
			return s.CreateDelivery(ctx, a, cid, rec)
		},
		update: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint, d models.Delivery) error {
			_, err := s.UpdateDelivery(ctx, a, cid, id, func(rec *models.Delivery) {
				d.ID, d.CampaignID, d.CreatedAt = rec.ID, rec.CampaignID, rec.CreatedAt
				*rec = d
			})
			return err
		},
		remove: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint) error {
			return s.DeleteDelivery(ctx, a, cid, id)
		},
		name: func(ctx context.Context, d *models.Delivery) string {
			return locale.T(ctx, "admin_deliveries.name", "City", d.City)
		},
		describe: func(ctx context.Context, d *models.Delivery) string {
			return locale.T(ctx, "admin_deliveries.the_delivery", "City", d.City)
		},
		listPage: func(c echo.Context, frame views.AdminFrame, form views.DeliveryForm, errs models.FieldErrors) (templ.Component, error) {
			return h.deliveriesAdminView(c, frame, form, errs, nil)
		},
		editPage: func(c echo.Context, frame views.AdminFrame, _ uint, d *models.Delivery, form views.DeliveryForm, errs models.FieldErrors, history []models.AuditEntry) (templ.Component, error) {
			counts, err := h.store.DeliveryCountHistory(c.Request().Context(), frame.Campaign.ID, d.ID)
			return views.DeliveryEditPage(views.DeliveryEditView{Frame: frame, Delivery: d, Form: form, Errors: errs, History: history, Counts: counts}), err
		},
	}
}

func (h *Handler) deliveriesAdminView(c echo.Context, frame views.AdminFrame, form views.DeliveryForm, errs models.FieldErrors, report *views.DeliveryImportReport) (templ.Component, error) {
	ds, err := h.store.DeliveriesFor(c.Request().Context(), frame.Campaign.ID)
	if err != nil {
		return nil, err
	}
	answers, err := h.store.AnswerStatus(c.Request().Context(), frame.Campaign.ID, h.now())
	if err != nil {
		return nil, err
	}
	return views.DeliveriesAdminPage(views.DeliveriesAdminView{
		Frame: frame, Deliveries: ds, Answers: answers, Progress: models.Progress(ds, frame.Campaign.DeliveriesPlanned),
		Form: form, Errors: errs, Import: report,
	}), nil
}

// deliveryForMove loads the delivery a status action names.
func (h *Handler) deliveryForMove(c echo.Context) (*models.Campaign, *models.Delivery, error) {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return nil, nil, err
	}
	id, err := recordID(c)
	if err != nil {
		return nil, nil, err
	}
	d, err := h.store.Delivery(c.Request().Context(), cp.ID, id)
	if err != nil {
		return nil, nil, recordErr(err)
	}
	return cp, d, nil
}

func (h *Handler) markDeliveredPage(c echo.Context, cp *models.Campaign, d *models.Delivery, form views.MarkDeliveredForm, errs models.FieldErrors) error {
	if !slices.Contains(models.NextDeliveryStatuses(d.Status), models.DeliveryDelivered) {
		return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug+"/deliveries",
			locale.T(ctxOf(c), "admin_deliveries.flash_cannot_deliver", "City", d.City, "Status", models.StatusLabel(d.Status)))
	}
	return renderForm(c, errs, views.MarkDeliveredPage(views.MarkDeliveredView{
		Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin_deliveries.mark_delivered"), cp), cp, "deliveries"), Delivery: d, Form: form, Errors: errs,
	}))
}

// markDeliveredForm asks for the outcome and the time, now by default.
// The outcome starts empty: the delivery's planning note or an earlier
// outcome is not what happened this time, and a prefilled one is saved
// on one tap.
func (h *Handler) markDeliveredForm(c echo.Context) error {
	cp, d, err := h.deliveryForMove(c)
	if err != nil {
		return err
	}
	form := views.MarkDeliveredForm{
		DeliveredAt: views.NowWhen(models.NowAt(h.now(), orZone(d))),
		Recipient:   d.Recipient, DeliveryForm: d.DeliveryForm, Attendance: d.Attendance,
		MediaPresent: d.MediaPresent,
	}
	if d.SignaturesDelivered != nil {
		form.SignaturesDelivered = views.Number(*d.SignaturesDelivered)
	}
	return h.markDeliveredPage(c, cp, d, form, nil)
}

// markDelivered records the hand-over in one step.
func (h *Handler) markDelivered(c echo.Context) error {
	cp, d, err := h.deliveryForMove(c)
	if err != nil {
		return err
	}
	form, apply, fe := parseMarkDeliveredForm(c, d)
	if err = fe.Err(); err == nil {
		_, err = h.store.MoveDelivery(c.Request().Context(), actor(c), cp.ID, d.ID, models.DeliveryDelivered, h.now(), apply)
	}
	if errs, ok := formErrors(err); ok {
		return h.markDeliveredPage(c, cp, d, form, merge(fe, errs))
	}
	if err != nil {
		return recordErr(err)
	}
	return h.redirectToSaved(c, "/admin/campaigns/"+cp.Slug+"/deliveries", views.RecordAnchor("delivery", d.ID), locale.T(ctxOf(c), "admin_deliveries.flash_delivered", "City", d.City))
}

// moveDelivery moves a delivery along its status flow: under way,
// refused, postponed, cancelled, or planned again.
func (h *Handler) moveDelivery(c echo.Context) error {
	cp, d, err := h.deliveryForMove(c)
	if err != nil {
		return err
	}
	to := c.FormValue("to")
	if to == models.DeliveryDelivered {
		return c.Redirect(http.StatusSeeOther, "/admin/campaigns/"+cp.Slug+"/deliveries/"+c.Param("id")+"/deliver")
	}
	// Refused and cancelled ask first (confirm.go); a move the flow does
	// not allow is not asked about, the Store refuses it below.
	if confirmMoves[to] && !confirmed(c) && slices.Contains(models.NextDeliveryStatuses(d.Status), to) {
		back := "/admin/campaigns/" + cp.Slug + "/deliveries"
		return h.askToConfirm(c, cp, confirmation{
			section: "deliveries", question: locale.T(ctxOf(c), "admin_deliveries.confirm_move", "City", d.City, "Status", models.StatusLabel(to)),
			action: back + "/" + strconv.FormatUint(uint64(d.ID), 10) + "/status", fields: []views.HiddenField{{Name: "to", Value: to}},
			button: locale.T(ctxOf(c), "admin_deliveries.mark", "Status", models.StatusLabel(to)), danger: true, back: back + "#delivery-" + strconv.FormatUint(uint64(d.ID), 10),
		})
	}
	_, err = h.store.MoveDelivery(c.Request().Context(), actor(c), cp.ID, d.ID, to, h.now(), nil)
	if errs, ok := formErrors(err); ok {
		msg := errs["status"]
		if msg == "" {
			msg = errs.Error()
		}
		return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug+"/deliveries", locale.T(ctxOf(c), "admin_deliveries.flash_not_changed", "Reason", msg))
	}
	if err != nil {
		return recordErr(err)
	}
	return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug+"/deliveries", locale.T(ctxOf(c), "admin_deliveries.flash_moved", "City", d.City, "Status", models.StatusLabel(to)))
}

// recordDeliveryCount freezes the campaign's count again for a delivered
// delivery (after a late import or withdrawals); the earlier records stay
// as its history.
func (h *Handler) recordDeliveryCount(c echo.Context) error {
	cp, d, err := h.deliveryForMove(c)
	if err != nil {
		return err
	}
	back := "/admin/campaigns/" + cp.Slug + "/deliveries/" + strconv.FormatUint(uint64(d.ID), 10)
	rec, err := h.store.RecordDeliveryCount(c.Request().Context(), actor(c), cp.ID, d.ID, h.now())
	if errs, ok := formErrors(err); ok {
		msg := errs["status"]
		if msg == "" {
			msg = errs.Error()
		}
		return h.redirectWithFlash(c, back, locale.T(ctxOf(c), "admin_deliveries.flash_count_refused", "Reason", msg))
	}
	if err != nil {
		return recordErr(err)
	}
	return h.redirectWithFlash(c, back, locale.N(ctxOf(c), "admin_deliveries.flash_count_again", rec.Total, "City", d.City))
}

// orZone is the zone a delivery's times are shown in.
func orZone(d *models.Delivery) string {
	if d.TimeZone != "" {
		return d.TimeZone
	}
	return models.ZoneFor(d.Country, d.Region)
}

// importDeliveries reads an uploaded spreadsheet of deliveries: the good
// rows are saved (matched by place, so importing again updates rather than
// adds), the bad ones listed with their line and field.
func (h *Handler) importDeliveries(c echo.Context) error {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	report := &views.DeliveryImportReport{}
	status := http.StatusOK
	fh, err := c.FormFile("file")
	if err != nil {
		report.Problem = locale.T(ctxOf(c), "admin_deliveries.choose_file")
		status = http.StatusUnprocessableEntity
	} else {
		report.Filename = fh.Filename
		status, err = h.readDeliveryUpload(c, cp, fh, report)
		if err != nil {
			return err
		}
	}
	frame := h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin.tab.deliveries"), cp), cp, "deliveries")
	page, err := h.deliveriesAdminView(c, frame, views.DeliveryForm{}, nil, report)
	if err != nil {
		return err
	}
	return render(c, status, page)
}

func (h *Handler) readDeliveryUpload(c echo.Context, cp *models.Campaign, fh *multipart.FileHeader, report *views.DeliveryImportReport) (int, error) {
	f, err := fh.Open()
	if err != nil {
		return 0, err
	}
	defer f.Close()
	file, err := csvio.ReadDeliveryFile(f)
	if err != nil {
		report.Problem = locale.T(ctxOf(c), "admin_deliveries.file_refused", "Reason", err.Error())
		return http.StatusUnprocessableEntity, nil
	}
	rowErrs := file.Errors
	if len(file.Rows) > 0 {
		if report.Result, err = h.store.ImportDeliveries(c.Request().Context(), actor(c), cp.ID, file.Rows, file.Columns); err != nil {
			return 0, err
		}
		rowErrs = append(rowErrs, csvio.RefusedRowErrors(file, report.Result.Refused)...)
	}
	for _, re := range rowErrs {
		report.Rejected = append(report.Rejected, re.Error())
	}
	if len(rowErrs) > 0 {
		return http.StatusUnprocessableEntity, nil
	}
	return http.StatusOK, nil
}
