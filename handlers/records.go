package handlers

import (
	"context"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// records is the organiser CRUD shared by every kind of campaign record
// (claims, partners, deliveries, actions, responses): a list page with a
// form to add one, an edit page with the record's history, save and
// delete. Each kind says how its form is read and its pages drawn; the
// flow around them (campaign lookup, 422 with the input kept, audit, 303
// with a flash) is written once here.
type records[T any, F any] struct {
	h       *Handler
	section string // URL segment and admin tab: /admin/campaigns/{slug}/{section}
	audit   string // the record type in the audit log
	// anchor is the id prefix of a record in the list ("action" for
	// id="action-12"): after a save the list opens at the record saved.
	anchor string
	// id is a record's id, read after it is stored.
	id func(*T) uint

	parse  func(f formValues, cp *models.Campaign) (F, T, models.FieldErrors)
	toForm func(*T) F
	// newForm, if set, fills the empty add form (a default date, a choice
	// carried in the query).
	newForm func(c echo.Context, cp *models.Campaign) F
	get     func(ctx context.Context, s *models.Store, campaignID, id uint) (*T, error)
	create  func(ctx context.Context, s *models.Store, a models.Actor, campaignID uint, rec *T) error
	// update copies what the form edits from parsed onto the stored record.
	update func(ctx context.Context, s *models.Store, a models.Actor, campaignID, id uint, parsed T) error
	remove func(ctx context.Context, s *models.Store, a models.Actor, campaignID, id uint) error
	// refused, if set, says why remove kept a record that is still in use
	// ("" for any other error): the record's page shows it as a flash.
	refused func(context.Context, error) string
	// name says which record a flash message is about: "Delivery in
	// Seattle", "Mijente".
	name func(context.Context, *T) string
	// describe names the record in the question before a delete: "the
	// delivery in Seattle", "the response from Andy Jassy".
	describe func(context.Context, *T) string

	// listPage draws the list with the add form (empty, or refused).
	listPage func(c echo.Context, frame views.AdminFrame, form F, errs models.FieldErrors) (templ.Component, error)
	// editPage draws one record's form and history; rec is the stored
	// record (nil never).
	editPage func(c echo.Context, frame views.AdminFrame, id uint, rec *T, form F, errs models.FieldErrors, history []models.AuditEntry) (templ.Component, error)
}

func (k *records[T, F]) path(cp *models.Campaign) string {
	return "/admin/campaigns/" + cp.Slug + "/" + k.section
}

func (k *records[T, F]) showList(c echo.Context, cp *models.Campaign, form F, errs models.FieldErrors) error {
	page, err := k.listPage(c, k.h.frame(c, inCampaign(c, views.SectionTitle(ctxOf(c), k.section), cp), cp, k.section), form, errs)
	if err != nil {
		return err
	}
	return renderForm(c, errs, page)
}

func (k *records[T, F]) showEdit(c echo.Context, cp *models.Campaign, id uint, form F, errs models.FieldErrors) error {
	ctx := c.Request().Context()
	rec, err := k.get(ctx, k.h.store, cp.ID, id)
	if err != nil {
		return recordErr(err)
	}
	history, err := k.h.store.AuditForRecord(ctx, k.audit, id)
	if err != nil {
		return err
	}
	// The kind's own words, by its audit type: "admin.record.edit.delivery".
	frame := k.h.frame(c, locale.T(ctxOf(c), "admin.record.edit."+k.audit, "Campaign", cp.Title), cp, k.section)
	page, err := k.editPage(c, frame, id, rec, form, errs, history)
	if err != nil {
		return err
	}
	return renderForm(c, errs, page)
}

// list shows the records with the add form.
func (k *records[T, F]) list(c echo.Context) error {
	cp, err := k.h.campaign(c, fresh)
	if err != nil {
		return err
	}
	var form F
	if k.newForm != nil {
		form = k.newForm(c, cp)
	}
	return k.showList(c, cp, form, nil)
}

// add stores a new record, or shows the form again with what was wrong.
func (k *records[T, F]) add(c echo.Context) error {
	cp, err := k.h.campaign(c, fresh)
	if err != nil {
		return err
	}
	form, rec, fe := k.parse(c, cp)
	if err = fe.Err(); err == nil {
		err = k.create(c.Request().Context(), k.h.store, actor(c), cp.ID, &rec)
	} else {
		fe = merge(fe, validateRecord(&rec))
	}
	if errs, ok := formErrors(err); ok {
		return k.showList(c, cp, form, merge(fe, errs))
	}
	if err != nil {
		return err
	}
	var id uint
	if k.id != nil {
		id = k.id(&rec)
	}
	return k.showSaved(c, cp, id, locale.T(ctxOf(c), "admin.record.added", "Name", k.name(ctxOf(c), &rec)))
}

// showSaved sends the organiser to the record just saved, in its list: the
// list's address with the record's anchor, so the page opens scrolled to
// it, and the record marked as saved (savedAnchor) with the message.
func (k *records[T, F]) showSaved(c echo.Context, cp *models.Campaign, id uint, msg string) error {
	if k.anchor == "" || id == 0 {
		return k.h.redirectWithFlash(c, k.path(cp), msg)
	}
	return k.h.redirectToSaved(c, k.path(cp), views.RecordAnchor(k.anchor, id), msg)
}

// edit shows one record's form and history.
func (k *records[T, F]) edit(c echo.Context) error {
	cp, err := k.h.campaign(c, fresh)
	if err != nil {
		return err
	}
	id, err := recordID(c)
	if err != nil {
		return err
	}
	rec, err := k.get(c.Request().Context(), k.h.store, cp.ID, id)
	if err != nil {
		return recordErr(err)
	}
	return k.showEdit(c, cp, id, k.toForm(rec), nil)
}

// save stores an edited record.
func (k *records[T, F]) save(c echo.Context) error {
	cp, err := k.h.campaign(c, fresh)
	if err != nil {
		return err
	}
	id, err := recordID(c)
	if err != nil {
		return err
	}
	form, rec, fe := k.parse(c, cp)
	if err = fe.Err(); err == nil {
		err = k.update(c.Request().Context(), k.h.store, actor(c), cp.ID, id, rec)
	} else {
		fe = merge(fe, validateRecord(&rec))
	}
	if errs, ok := formErrors(err); ok {
		return k.showEdit(c, cp, id, form, merge(fe, errs))
	}
	if err != nil {
		return recordErr(err)
	}
	return k.showSaved(c, cp, id, locale.T(ctxOf(c), "admin.record.saved", "Name", k.name(ctxOf(c), &rec)))
}

// delete removes a record, once confirmed (confirm.go): the first POST
// only asks. Its last values stay in the audit log.
func (k *records[T, F]) delete(c echo.Context) error {
	cp, err := k.h.campaign(c, fresh)
	if err != nil {
		return err
	}
	id, err := recordID(c)
	if err != nil {
		return err
	}
	if !confirmed(c) {
		return k.askToDelete(c, cp, id)
	}
	if err := k.remove(c.Request().Context(), k.h.store, actor(c), cp.ID, id); err != nil {
		if k.refused != nil {
			if msg := k.refused(ctxOf(c), err); msg != "" {
				return k.h.redirectWithFlash(c, k.path(cp)+"/"+strconv.FormatUint(uint64(id), 10), msg)
			}
		}
		return recordErr(err)
	}
	return k.h.redirectWithFlash(c, k.path(cp), locale.T(ctxOf(c), "admin.record.removed."+k.audit))
}

// askToDelete shows the confirmation step before a delete: "Delete the
// delivery in Seattle? This cannot be undone."
func (k *records[T, F]) askToDelete(c echo.Context, cp *models.Campaign, id uint) error {
	rec, err := k.get(c.Request().Context(), k.h.store, cp.ID, id)
	if err != nil {
		return recordErr(err)
	}
	back := k.path(cp) + "/" + strconv.FormatUint(uint64(id), 10)
	return k.h.askToConfirm(c, cp, confirmation{
		section: k.section, question: locale.T(ctxOf(c), "admin.record.delete_question", "What", k.describe(ctxOf(c), rec)),
		warning: locale.T(ctxOf(c), "admin.record.undone"),
		action:  back + "/delete", button: locale.T(ctxOf(c), "admin.record.delete"), danger: true, back: back,
	})
}

// validateRecord runs a record's own checks, so a form refused by its
// parser also names the fields the Store would refuse.
func validateRecord(rec any) error {
	if v, ok := rec.(interface{ Validate() models.FieldErrors }); ok {
		return v.Validate().Err()
	}
	return nil
}
