package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// newCampaignForm shows an empty campaign form.
func (h *Handler) newCampaignForm(c echo.Context) error {
	return render(c, http.StatusOK, views.CampaignFormPage(views.CampaignFormView{
		Frame: h.frame(c, locale.T(ctxOf(c), "admin_home.new_campaign"), nil, ""), New: true, Mailing: h.config.Mailing(),
		Form: views.CampaignForm{Status: models.CampaignActive, SignatureGoal: "0", DeliveriesPlanned: "0", ConfirmSignatures: true, PacketNames: models.PacketInitials},
	}))
}

// createCampaign adds a campaign from the form.
func (h *Handler) createCampaign(c echo.Context) error {
	form, apply, fe := parseCampaignForm(c)
	cp := &models.Campaign{}
	apply(cp)
	err := fe.Err()
	if err == nil {
		err = h.store.CreateCampaign(c.Request().Context(), actor(c), cp)
	} else {
		fe = merge(fe, cp.Validate())
	}
	if errs, ok := formErrors(err); ok {
		return renderForm(c, merge(fe, errs), views.CampaignFormPage(views.CampaignFormView{
			Frame: h.frame(c, locale.T(ctxOf(c), "admin_home.new_campaign"), nil, ""), New: true, Form: form, Errors: merge(fe, errs), Mailing: h.config.Mailing(),
		}))
	}
	if err != nil {
		return err
	}
	h.campaigns.forget(cp.Slug) // the slug may have been another campaign's, renamed away since
	return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug, locale.T(ctxOf(c), "admin_home.flash_created"))
}

// campaignSettingsForm shows a campaign's settings.
func (h *Handler) campaignSettingsForm(c echo.Context) error {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	history, err := h.store.AuditForRecord(c.Request().Context(), "campaign", cp.ID)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.CampaignFormPage(views.CampaignFormView{
		Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin.tab.settings"), cp), cp, "settings"), Form: campaignToForm(cp), History: history, Mailing: h.config.Mailing(),
	}))
}

// updateCampaignSettings saves a campaign's settings.
func (h *Handler) updateCampaignSettings(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	form, apply, fe := parseCampaignForm(c)
	var updated *models.Campaign
	if err = fe.Err(); err == nil {
		updated, err = h.store.UpdateCampaign(ctx, actor(c), cp.ID, apply)
	} else {
		probe := *cp
		apply(&probe)
		fe = merge(fe, probe.Validate())
	}
	if errs, ok := formErrors(err); ok {
		history, herr := h.store.AuditForRecord(ctx, "campaign", cp.ID)
		if herr != nil {
			return herr
		}
		return renderForm(c, merge(fe, errs), views.CampaignFormPage(views.CampaignFormView{
			Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin.tab.settings"), cp), cp, "settings"), Form: form, Errors: merge(fe, errs), History: history, Mailing: h.config.Mailing(),
		}))
	}
	if err != nil {
		return err
	}
	// This instance shows the change at once: the old slug redirects and
	// the page is rendered again (see pageCache). Others follow within
	// their cache time.
	h.campaigns.forget(cp.Slug, updated.Slug)
	return h.redirectWithFlash(c, "/admin/campaigns/"+updated.Slug+"/settings", locale.T(ctxOf(c), "admin_home.flash_settings_saved"))
}

// petitionForm shows the petition text.
func (h *Handler) petitionForm(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	p, err := h.store.PetitionFor(ctx, cp.ID)
	if err != nil {
		return err
	}
	v := views.PetitionFormView{Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin.tab.petition"), cp), cp, "petition")}
	if p != nil {
		v.Form = petitionToForm(p)
		if v.History, err = h.store.AuditForRecord(ctx, "petition", p.ID); err != nil {
			return err
		}
	}
	return render(c, http.StatusOK, views.PetitionFormPage(v))
}

// savePetition saves the petition text.
func (h *Handler) savePetition(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	form, p, fe := parsePetitionForm(c)
	if err = fe.Err(); err == nil {
		_, err = h.store.SavePetition(ctx, actor(c), cp.ID, p)
	} else {
		fe = merge(fe, p.Validate())
	}
	if errs, ok := formErrors(err); ok {
		return renderForm(c, merge(fe, errs), views.PetitionFormPage(views.PetitionFormView{
			Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin.tab.petition"), cp), cp, "petition"), Form: form, Errors: merge(fe, errs),
		}))
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug+"/petition", locale.T(ctxOf(c), "admin_home.flash_petition_saved"))
}
