package handlers

import (
	"context"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// partners are the campaign's coalition.
func (h *Handler) partnerRecords() *records[models.Organisation, views.OrganisationForm] {
	return &records[models.Organisation, views.OrganisationForm]{
		h: h, section: "partners", audit: "organisation", anchor: "partner",
		id: func(r *models.Organisation) uint { return r.ID },
		parse: func(f formValues, _ *models.Campaign) (views.OrganisationForm, models.Organisation, models.FieldErrors) {
			return parseOrganisationForm(f)
		},
		toForm: organisationToForm,
		get: func(ctx context.Context, s *models.Store, cid, id uint) (*models.Organisation, error) {
			return s.Organisation(ctx, cid, id)
		},
		create: func(ctx context.Context, s *models.Store, a models.Actor, cid uint, rec *models.Organisation) error {
			return s.CreateOrganisation(ctx, a, cid, rec)
		},
		update: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint, o models.Organisation) error {
			_, err := s.UpdateOrganisation(ctx, a, cid, id, func(rec *models.Organisation) {
				rec.Name, rec.Role, rec.URL, rec.Sources = o.Name, o.Role, o.URL, o.Sources
			})
			return err
		},
		remove: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint) error {
			return s.DeleteOrganisation(ctx, a, cid, id)
		},
		name: func(_ context.Context, o *models.Organisation) string { return o.Name },
		describe: func(ctx context.Context, o *models.Organisation) string {
			return locale.T(ctx, "admin_partners.the_partner", "Name", o.Name)
		},
		listPage: func(c echo.Context, frame views.AdminFrame, form views.OrganisationForm, errs models.FieldErrors) (templ.Component, error) {
			partners, err := h.store.OrganisationsFor(c.Request().Context(), frame.Campaign.ID)
			return views.PartnersPage(views.PartnersView{Frame: frame, Partners: partners, Form: form, Errors: errs}), err
		},
		editPage: func(_ echo.Context, frame views.AdminFrame, id uint, _ *models.Organisation, form views.OrganisationForm, errs models.FieldErrors, history []models.AuditEntry) (templ.Component, error) {
			return views.PartnerEditPage(views.PartnerEditView{Frame: frame, ID: id, Form: form, Errors: errs, History: history}), nil
		},
	}
}
