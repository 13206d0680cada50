package handlers

import (
	"context"
	"errors"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// sources are where a campaign's signatures came from: this site's form,
// and each partner's list or paper drive, with the partner it belongs to,
// its platform and the count the partner claims for it. The list shows
// each source's kept figures (received, unique, shared).
func (h *Handler) sourceRecords() *records[models.SignatureSource, views.SourceForm] {
	return &records[models.SignatureSource, views.SourceForm]{
		h: h, section: "sources", audit: "signature_source", anchor: "source",
		id: func(r *models.SignatureSource) uint { return r.ID },
		parse: func(f formValues, _ *models.Campaign) (views.SourceForm, models.SignatureSource, models.FieldErrors) {
			return parseSourceForm(f)
		},
		toForm: sourceToForm,
		get: func(ctx context.Context, s *models.Store, cid, id uint) (*models.SignatureSource, error) {
			return s.SignatureSource(ctx, cid, id)
		},
		create: func(ctx context.Context, s *models.Store, a models.Actor, cid uint, rec *models.SignatureSource) error {
			return s.CreateSource(ctx, a, cid, rec)
		},
		update: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint, src models.SignatureSource) error {
			_, err := s.UpdateSource(ctx, a, cid, id, func(rec *models.SignatureSource) {
				rec.Name, rec.PartnerID, rec.Platform, rec.Notes = src.Name, src.PartnerID, src.Platform, src.Notes
				rec.Claimed, rec.ClaimSourceName, rec.ClaimSourceURL = src.Claimed, src.ClaimSourceName, src.ClaimSourceURL
			})
			return err
		},
		remove: func(ctx context.Context, s *models.Store, a models.Actor, cid, id uint) error {
			return s.DeleteSource(ctx, a, cid, id)
		},
		refused: func(ctx context.Context, err error) string {
			if errors.Is(err, models.ErrSourceInUse) {
				return locale.T(ctx, "admin_sources.flash_not_removed", "Reason", err.Error())
			}
			return ""
		},
		name: func(ctx context.Context, s *models.SignatureSource) string {
			return locale.T(ctx, "admin_sources.name", "Name", s.Name)
		},
		describe: func(ctx context.Context, s *models.SignatureSource) string {
			return locale.T(ctx, "admin_sources.the_source", "Name", s.Name)
		},
		listPage: func(c echo.Context, frame views.AdminFrame, form views.SourceForm, errs models.FieldErrors) (templ.Component, error) {
			v, err := h.sourcesView(c.Request().Context(), frame)
			v.Form, v.Errors = form, errs
			return views.SourcesPage(v), err
		},
		editPage: func(c echo.Context, frame views.AdminFrame, _ uint, src *models.SignatureSource, form views.SourceForm, errs models.FieldErrors, history []models.AuditEntry) (templ.Component, error) {
			partners, err := h.store.OrganisationsFor(c.Request().Context(), frame.Campaign.ID)
			return views.SourceEditPage(views.SourceEditView{Frame: frame, Source: src, Partners: partners, Form: form, Errors: errs, History: history}), err
		},
	}
}

// sourcesView is the sources page without its form: each source beside
// its kept figures, the pairs that share people, and the partners the
// form offers.
func (h *Handler) sourcesView(ctx context.Context, frame views.AdminFrame) (views.SourcesView, error) {
	v := views.SourcesView{Frame: frame}
	sources, err := h.store.SourcesFor(ctx, frame.Campaign.ID)
	if err != nil {
		return v, err
	}
	count, err := h.store.SourceFigures(ctx, frame.Campaign.ID)
	if err != nil {
		return v, err
	}
	if v.Partners, err = h.store.OrganisationsFor(ctx, frame.Campaign.ID); err != nil {
		return v, err
	}
	figures := make(map[uint]models.SourceFigure, len(count.Sources))
	for _, f := range count.Sources {
		figures[f.SourceID] = f
	}
	for _, src := range sources {
		v.Rows = append(v.Rows, views.SourceRow{Source: src, Figure: figures[src.ID]})
	}
	v.People, v.Pairs = count.People, count.Pairs
	return v, nil
}

// parseSourceForm reads the source form. The partner is a select of the
// campaign's partners ("" for none); the Store checks it is one of them.
func parseSourceForm(f formValues) (views.SourceForm, models.SignatureSource, models.FieldErrors) {
	form := views.SourceForm{
		Name: field(f, "name"), PartnerID: field(f, "partner_id"), Platform: field(f, "platform"),
		Claimed: field(f, "claimed"), ClaimSourceName: field(f, "claim_source_name"),
		ClaimSourceURL: field(f, "claim_source_url"), Notes: field(f, "notes"),
	}
	fe := models.FieldErrors{}
	src := models.SignatureSource{
		Name: form.Name, Kind: models.SourceList, Platform: form.Platform, Claimed: parseOptionalWhole(fe, "claimed", form.Claimed),
		ClaimSourceName: form.ClaimSourceName, ClaimSourceURL: form.ClaimSourceURL, Notes: form.Notes,
	}
	if form.PartnerID != "" {
		id, err := strconv.ParseUint(form.PartnerID, 10, 32)
		if err != nil || id == 0 {
			fe.Add("partner_id", "choose one of the campaign's partners, or none")
		} else {
			p := uint(id)
			src.PartnerID = &p
		}
	}
	src.Normalise()
	return form, src, fe
}

func sourceToForm(s *models.SignatureSource) views.SourceForm {
	form := views.SourceForm{
		Name: s.Name, Platform: s.Platform, ClaimSourceName: s.ClaimSourceName, ClaimSourceURL: s.ClaimSourceURL, Notes: s.Notes,
	}
	if s.PartnerID != nil {
		form.PartnerID = strconv.FormatUint(uint64(*s.PartnerID), 10)
	}
	if s.Claimed != nil {
		form.Claimed = strconv.FormatInt(*s.Claimed, 10)
	}
	return form
}
