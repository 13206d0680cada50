package handlers

import (
	"context"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// claims are the signature figures each source reported.
func (h *Handler) claimRecords() *records[models.CountClaim, views.ClaimForm] {
	return &records[models.CountClaim, views.ClaimForm]{
		h: h, section: "claims", audit: "claim", anchor: "claim",
		id: func(r *models.CountClaim) uint { return r.ID },
		parse: func(f formValues, _ *models.Campaign) (views.ClaimForm, models.CountClaim, models.FieldErrors) {
			return parseClaimForm(f)
		},
		toForm: claimToForm,
		get: func(ctx context.Context, s *models.Store, cid, id uint) (*models.CountClaim, error) {
			return s.Claim(ctx, cid, id)
		},
		create: func(ctx context.Context, s *models.Store, a models.Actor, cid uint, rec *models.CountClaim) error {
			return s.CreateClaim(ctx, a, cid, rec)
		},
		update: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint, claim models.CountClaim) error {
			_, err := s.UpdateClaim(ctx, a, cid, id, func(rec *models.CountClaim) {
				claim.ID, claim.CampaignID, claim.CreatedAt = rec.ID, rec.CampaignID, rec.CreatedAt
				*rec = claim
			})
			return err
		},
		remove: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint) error {
			return s.DeleteClaim(ctx, a, cid, id)
		},
		name: func(ctx context.Context, _ *models.CountClaim) string { return locale.T(ctx, "admin_claims.name") },
		describe: func(ctx context.Context, _ *models.CountClaim) string {
			return locale.T(ctx, "admin_claims.the_claim")
		},
		listPage: func(c echo.Context, frame views.AdminFrame, form views.ClaimForm, errs models.FieldErrors) (templ.Component, error) {
			claims, err := h.store.ClaimsFor(c.Request().Context(), frame.Campaign.ID)
			return views.ClaimsPage(views.ClaimsView{Frame: frame, Claims: claims, Form: form, Errors: errs}), err
		},
		editPage: func(_ echo.Context, frame views.AdminFrame, id uint, _ *models.CountClaim, form views.ClaimForm, errs models.FieldErrors, history []models.AuditEntry) (templ.Component, error) {
			return views.ClaimEditPage(views.ClaimEditView{Frame: frame, ID: id, Form: form, Errors: errs, History: history}), nil
		},
	}
}
