package handlers

import (
	"cmp"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

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
func (h *Handler) sign(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.publicCampaign(c)
	if err != nil {
		return err
	}
	if cp.Status != models.CampaignActive {
		return echo.NewHTTPError(http.StatusConflict, "This petition is not taking signatures now.")
	}
	form, sig := parseSignForm(c)
	v := views.SignView{Slug: cp.Slug, CSRF: csrfToken(c), Form: form, Open: true}

	// The honeypot: people never see this field; bots fill it in. They get
	// the answer a signer gets, and nothing is stored.
	if c.FormValue("website") != "" {
		h.log.Info("signature refused by the honeypot", "campaign", cp.Slug, "ip", c.RealIP())
		return h.signAnswer(c, cp, v, "signed")
	}
	sig.CampaignID = cp.ID
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
	case err == nil:
		return h.signAnswer(c, cp, v, "signed")
	case errors.Is(err, models.ErrAlreadySigned):
		return h.signAnswer(c, cp, v, "already")
	default:
		// Full disk, read-only file, database gone: nothing was stored, and
		// the signer is told to try again rather than thanked.
		h.log.Error("signature not stored", "campaign", cp.Slug, "error", err)
		const msg = "Your signature could not be saved just now, so it was not counted. Please try again in a minute."
		if isHTMX(c) {
			v.Problem = msg
			return render(c, http.StatusServiceUnavailable, views.SignSection(v))
		}
		return echo.NewHTTPError(http.StatusServiceUnavailable, msg).SetInternal(err)
	}
}

func (h *Handler) signAnswer(c echo.Context, cp *models.Campaign, v views.SignView, outcome string) error {
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, "/campaigns/"+cp.Slug+"/signed?outcome="+outcome)
	}
	n, err := h.store.SignatureCount(c.Request().Context(), cp.ID)
	if err != nil {
		return err
	}
	v.Outcome = outcome
	return render(c, http.StatusOK, views.SignAnswer(v, views.CountView{Slug: cp.Slug, Recorded: n, Goal: cp.SignatureGoal}))
}

// signed is the thank-you page after a signature without JavaScript.
func (h *Handler) signed(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.publicCampaign(c)
	if err != nil {
		return err
	}
	n, err := h.store.SignatureCount(ctx, cp.ID)
	if err != nil {
		return err
	}
	outcome := "signed"
	if c.QueryParam("outcome") == "already" {
		outcome = "already"
	}
	return render(c, http.StatusOK, views.SignedPage(views.SignedView{
		Campaign: *cp, Outcome: outcome, Count: views.CountView{Slug: cp.Slug, Recorded: n, Goal: cp.SignatureGoal},
	}))
}

// signRateLimit limits the signatures one client address sends to one
// petition. The windows are kept per instance: a limit of N per instance
// is still a limit, and nothing else needs them. A window is keyed by the
// campaign the slug names (a cached lookup, which the handler then
// reuses), not by the slug as typed: every slug that names no campaign
// shares one window per address, so made-up slugs create no windows.
func (h *Handler) signRateLimit() echo.MiddlewareFunc {
	limit := h.config.SignRateLimit
	if limit.Off() {
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate:      rate.Limit(float64(limit.N) / limit.Period.Seconds()),
		Burst:     limit.N,
		ExpiresIn: limit.Period + time.Minute,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: store,
		IdentifierExtractor: func(c echo.Context) (string, error) {
			cp, err := h.campaigns.campaign(c.Request().Context(), h.store, c.Param("slug"))
			if err != nil {
				return c.RealIP(), nil
			}
			return c.RealIP() + " " + strconv.FormatUint(uint64(cp.ID), 10), nil
		},
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "60")
			const msg = "Too many signatures have come from your network to this petition in a short time. Please wait a minute and try again."
			if isHTMX(c) {
				// The CSRF check has not run yet (the limit comes first, so a
				// flood costs no token work): the form keeps the token it sent.
				form, _ := parseSignForm(c)
				token := cmp.Or(c.FormValue("_csrf"), c.Request().Header.Get("X-CSRF-Token"))
				return render(c, http.StatusTooManyRequests, views.SignSection(views.SignView{
					Slug: c.Param("slug"), CSRF: token, Form: form, Open: true, Problem: msg,
				}))
			}
			return echo.NewHTTPError(http.StatusTooManyRequests, msg)
		},
		ErrorHandler: func(c echo.Context, err error) error { return err },
	})
}
