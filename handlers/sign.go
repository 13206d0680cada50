package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// parseSignForm reads the public sign form into a normalised signature
// and the view's copy of what was typed.
func parseSignForm(f formValues) (views.SignForm, models.Signature) {
	form := views.SignForm{
		FirstName: field(f, "first_name"), LastName: field(f, "last_name"), Email: field(f, "email"),
		City: field(f, "city"), Region: field(f, "region"), Country: field(f, "country"),
		PostalCode: field(f, "postal_code"), Comment: strings.TrimSpace(f.FormValue("comment")),
		ShowName: f.FormValue("show_name") == "on", SendUpdates: f.FormValue("send_updates") == "on",
	}
	sig := models.Signature{
		FirstName: form.FirstName, LastName: form.LastName, Email: form.Email, City: form.City,
		Region: form.Region, Country: form.Country, PostalCode: form.PostalCode, Comment: form.Comment,
		ShowName: form.ShowName, SendUpdates: form.SendUpdates, Origin: "web",
	}
	sig.Normalise()
	return form, sig
}

// isHTMX reports whether htmx sent the request (and swaps the answer in).
func isHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// sign takes a signature from the campaign page. With htmx the answer is
// swapped into the page; without JavaScript a success redirects (303) to
// the thank-you page and a refused form is the campaign page again (422).
//
// The rate limit is checked only once the campaign is known to exist, so
// a flood of made-up addresses creates no state (see signLimiter). A new
// signature and a repeat get the same answer: no one can learn here
// whether an address had signed.
func (h *Handler) sign(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	if !h.signLimit.allow(signKey{net: clientNet(c.RealIP()), campaign: cp.ID}, h.now()) {
		return h.signThrottled(c, cp)
	}
	if cp.Status != models.CampaignActive {
		return refuse(http.StatusConflict, locale.T(ctx, "sign.problem.closed"))
	}
	form, sig := parseSignForm(c)
	v := views.SignView{Slug: cp.Slug, CSRF: csrfToken(c), Form: form, Open: true, Confirming: h.confirms(cp)}

	// The honeypot: people never see this field; bots fill it in. They get
	// the answer a signer gets, and nothing is stored.
	if c.FormValue("website") != "" {
		h.logs.refused.log(ctx, h.log, slog.LevelInfo, "signature refused by the honeypot", slog.String("campaign", cp.Slug), slog.String("ip", c.RealIP()))
		return h.signAnswer(c, cp, v)
	}
	sig.CampaignID = cp.ID
	sig.Lang = string(locale.Of(ctx)) // every mail to the signer is written in it
	sig.NeedsConfirmation = v.Confirming
	if v.Errors = sig.Validate(); len(v.Errors) > 0 {
		if isHTMX(c) {
			return render(c, http.StatusUnprocessableEntity, views.SignSection(v))
		}
		page, err := h.campaignView(c, cp)
		if err != nil {
			return err
		}
		page.Sign = v
		return render(c, http.StatusUnprocessableEntity, views.CampaignPage(page))
	}

	switch err := h.signatures.Add(ctx, &sig); {
	case err == nil, errors.Is(err, models.ErrAlreadySigned):
		return h.signAnswer(c, cp, v)
	default:
		// Full disk, read-only file, database gone: nothing was stored, and
		// the signer is told to try again rather than thanked.
		h.logs.failed.log(ctx, h.log, slog.LevelError, "signature not stored", slog.String("campaign", cp.Slug), slog.String("error", err.Error()))
		msg := locale.T(ctx, "sign.problem.not_saved")
		if isHTMX(c) {
			v.Problem = msg
			return render(c, http.StatusServiceUnavailable, views.SignSection(v))
		}
		return refuse(http.StatusServiceUnavailable, msg).because(err)
	}
}

// signAnswer thanks the signer: a redirect to the thank-you page, or with
// htmx the thanks and the count in place.
func (h *Handler) signAnswer(c echo.Context, cp *models.Campaign, v views.SignView) error {
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, locale.Path(c.Request().Context(), "/campaigns/"+cp.Slug+"/signed"))
	}
	count, err := h.countView(c, cp)
	if err != nil {
		return err
	}
	v.Signed = true
	return render(c, http.StatusOK, views.SignAnswer(v, count))
}

// signThrottled refuses a signature over the rate limit (429), in place
// with htmx, keeping what was typed.
func (h *Handler) signThrottled(c echo.Context, cp *models.Campaign) error {
	c.Response().Header().Set("Retry-After", "60")
	ctx := c.Request().Context()
	msg := locale.T(ctx, "sign.problem.too_many")
	if !isHTMX(c) {
		return refuse(http.StatusTooManyRequests, msg)
	}
	form, _ := parseSignForm(c)
	return render(c, http.StatusTooManyRequests, views.SignSection(views.SignView{
		Slug: cp.Slug, CSRF: csrfToken(c), Form: form, Open: true, Problem: msg,
	}))
}

// signed is the thank-you page after a signature without JavaScript.
func (h *Handler) signed(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	// Kept like the campaign page: the count it shows is as old as that
	// page's at most. The answer to the signature itself (sign) read the
	// counter, and says the signature is in.
	return h.servePage(c, h.signedPages, cp, "", "thank-you page", func() (templ.Component, error) {
		count, err := h.countView(c, cp)
		if err != nil {
			return nil, err
		}
		return views.SignedPage(views.SignedView{Campaign: *cp, Count: count, Confirming: h.confirms(cp)}), nil
	})
}

// confirms reports whether new web signatures to a campaign wait for
// their signer to confirm by mail: the campaign asks for it and mail can
// reach them. The one place the rule is decided.
func (h *Handler) confirms(cp *models.Campaign) bool {
	return cp.ConfirmSignatures && h.config.Mailing()
}

// countView is a campaign's live count as the public sees it.
func (h *Handler) countView(c echo.Context, cp *models.Campaign) (views.CountView, error) {
	k, err := h.store.KeptCount(c.Request().Context(), cp.ID)
	return views.CountView{Slug: cp.Slug, Recorded: k.Counted, Pending: k.Pending, Goal: cp.SignatureGoal}, err
}
