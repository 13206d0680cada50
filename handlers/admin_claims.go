package handlers

import (
	"github.com/labstack/echo/v4"

	"campaigntrack/models"
	"campaigntrack/views"
)

func (h *Handler) claimsPage(c echo.Context, cp *models.Campaign, form views.ClaimForm, errs models.FieldErrors) error {
	claims, err := h.store.ClaimsFor(c.Request().Context(), cp.ID)
	if err != nil {
		return err
	}
	return renderForm(c, errs, views.ClaimsPage(views.ClaimsView{
		Frame: h.frame(c, "Signature claims · "+cp.Title, cp, "claims"), Claims: claims, Form: form, Errors: errs,
	}))
}

// listClaims shows a campaign's signature claims.
func (h *Handler) listClaims(c echo.Context) error {
	cp, err := h.adminCampaign(c)
	if err != nil {
		return err
	}
	return h.claimsPage(c, cp, views.ClaimForm{}, nil)
}

// createClaim adds a signature claim.
func (h *Handler) createClaim(c echo.Context) error {
	cp, err := h.adminCampaign(c)
	if err != nil {
		return err
	}
	form, claim, fe := parseClaimForm(c)
	if err = fe.Err(); err == nil {
		err = h.store.CreateClaim(c.Request().Context(), actor(c), cp.ID, &claim)
	} else {
		fe = merge(fe, claim.Validate())
	}
	if errs, ok := formErrors(err); ok {
		return h.claimsPage(c, cp, form, merge(fe, errs))
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug+"/claims", "Claim added.")
}

func (h *Handler) claimEditPage(c echo.Context, cp *models.Campaign, id uint, form views.ClaimForm, errs models.FieldErrors) error {
	history, err := h.store.AuditForRecord(c.Request().Context(), "claim", id)
	if err != nil {
		return err
	}
	return renderForm(c, errs, views.ClaimEditPage(views.ClaimEditView{
		Frame: h.frame(c, "Edit claim · "+cp.Title, cp, "claims"), ID: id, Form: form, Errors: errs, History: history,
	}))
}

// editClaim shows one claim's form and history.
func (h *Handler) editClaim(c echo.Context) error {
	cp, err := h.adminCampaign(c)
	if err != nil {
		return err
	}
	id, err := recordID(c)
	if err != nil {
		return err
	}
	claim, err := h.store.Claim(c.Request().Context(), cp.ID, id)
	if err != nil {
		return recordErr(err)
	}
	return h.claimEditPage(c, cp, id, claimToForm(claim), nil)
}

// updateClaim saves a claim.
func (h *Handler) updateClaim(c echo.Context) error {
	cp, err := h.adminCampaign(c)
	if err != nil {
		return err
	}
	id, err := recordID(c)
	if err != nil {
		return err
	}
	form, claim, fe := parseClaimForm(c)
	if err = fe.Err(); err == nil {
		_, err = h.store.UpdateClaim(c.Request().Context(), actor(c), cp.ID, id, func(rec *models.CountClaim) {
			claim.ID, claim.CampaignID, claim.CreatedAt = rec.ID, rec.CampaignID, rec.CreatedAt
			*rec = claim
		})
	} else {
		fe = merge(fe, claim.Validate())
	}
	if errs, ok := formErrors(err); ok {
		return h.claimEditPage(c, cp, id, form, merge(fe, errs))
	}
	if err != nil {
		return recordErr(err)
	}
	return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug+"/claims", "Claim saved.")
}

// deleteClaim removes a claim.
func (h *Handler) deleteClaim(c echo.Context) error {
	cp, err := h.adminCampaign(c)
	if err != nil {
		return err
	}
	id, err := recordID(c)
	if err != nil {
		return err
	}
	if err := h.store.DeleteClaim(c.Request().Context(), actor(c), cp.ID, id); err != nil {
		return recordErr(err)
	}
	return h.redirectWithFlash(c, "/admin/campaigns/"+cp.Slug+"/claims", "Claim deleted.")
}
