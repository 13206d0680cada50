package handlers

import (
	"github.com/labstack/echo/v4"

	"campaigntrack/models"
	"campaigntrack/views"
)

func (h *Handler) partnersPage(c echo.Context, cp *models.Campaign, form views.OrganisationForm, errs models.FieldErrors) error {
	partners, err := h.store.OrganisationsFor(c.Request().Context(), cp.ID)
	if err != nil {
		return err
	}
	return renderForm(c, errs, views.PartnersPage(views.PartnersView{
		Frame: h.frame(c, "Partners · "+cp.Title, cp, "partners"), Partners: partners, Form: form, Errors: errs,
	}))
}

// listPartners shows a campaign's coalition.
func (h *Handler) listPartners(c echo.Context) error {
	cp, err := h.adminCampaign(c)
	if err != nil {
		return err
	}
	return h.partnersPage(c, cp, views.OrganisationForm{}, nil)
}

// createPartner adds a partner.
func (h *Handler) createPartner(c echo.Context) error {
	cp, err := h.adminCampaign(c)
	if err != nil {
		return err
	}
	form, o, fe := parseOrganisationForm(c)
	if err = fe.Err(); err == nil {
		err = h.store.CreateOrganisation(c.Request().Context(), actor(c), cp.ID, &o)
	} else {
		fe = merge(fe, o.Validate())
	}
	if errs, ok := formErrors(err); ok {
		return h.partnersPage(c, cp, form, merge(fe, errs))
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug+"/partners", o.Name+" added.")
}

func (h *Handler) partnerEditPage(c echo.Context, cp *models.Campaign, id uint, form views.OrganisationForm, errs models.FieldErrors) error {
	history, err := h.store.AuditForRecord(c.Request().Context(), "organisation", id)
	if err != nil {
		return err
	}
	return renderForm(c, errs, views.PartnerEditPage(views.PartnerEditView{
		Frame: h.frame(c, "Edit partner · "+cp.Title, cp, "partners"), ID: id, Form: form, Errors: errs, History: history,
	}))
}

// editPartner shows one partner's form and history.
func (h *Handler) editPartner(c echo.Context) error {
	cp, err := h.adminCampaign(c)
	if err != nil {
		return err
	}
	id, err := recordID(c)
	if err != nil {
		return err
	}
	o, err := h.store.Organisation(c.Request().Context(), cp.ID, id)
	if err != nil {
		return recordErr(err)
	}
	return h.partnerEditPage(c, cp, id, organisationToForm(o), nil)
}

// updatePartner saves a partner.
func (h *Handler) updatePartner(c echo.Context) error {
	cp, err := h.adminCampaign(c)
	if err != nil {
		return err
	}
	id, err := recordID(c)
	if err != nil {
		return err
	}
	form, o, fe := parseOrganisationForm(c)
	if err = fe.Err(); err == nil {
		_, err = h.store.UpdateOrganisation(c.Request().Context(), actor(c), cp.ID, id, func(rec *models.Organisation) {
			rec.Name, rec.Role, rec.URL, rec.Sources = o.Name, o.Role, o.URL, o.Sources
		})
	} else {
		fe = merge(fe, o.Validate())
	}
	if errs, ok := formErrors(err); ok {
		return h.partnerEditPage(c, cp, id, form, merge(fe, errs))
	}
	if err != nil {
		return recordErr(err)
	}
	return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug+"/partners", o.Name+" saved.")
}

// deletePartner removes a partner.
func (h *Handler) deletePartner(c echo.Context) error {
	cp, err := h.adminCampaign(c)
	if err != nil {
		return err
	}
	id, err := recordID(c)
	if err != nil {
		return err
	}
	if err := h.store.DeleteOrganisation(c.Request().Context(), actor(c), cp.ID, id); err != nil {
		return recordErr(err)
	}
	return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug+"/partners", "Partner removed.")
}
