package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// The pages of the links mailed to signers (models.SignerLinks): confirm
// a signature, withdraw it, stop updates. A GET shows a button and changes
// nothing, so the mail scanners that fetch every link confirm nothing; the
// button posts. A token that is not ours is refused before the database is
// asked anything, so guessing costs the guesser, not the server.

// ctxOf is the request's context, which carries its language.
func ctxOf(c echo.Context) context.Context { return c.Request().Context() }

// signerLink reads the campaign and the signature id a link names.
func (h *Handler) signerLink(c echo.Context, purpose string) (*models.Campaign, uint, error) {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return nil, 0, err
	}
	links, err := h.signerLinks.get(func() (models.SignerLinks, error) { return h.store.SignerLinks(c.Request().Context()) })
	if err != nil {
		return nil, 0, err
	}
	id, ok := links.Check(purpose, cp.ID, c.Param("token"))
	if !ok {
		return nil, 0, refuse(http.StatusNotFound, locale.T(ctxOf(c), "signer.invalid"))
	}
	return cp, id, nil
}

// linkSignature is the signature a valid link names, or the Gone page.
func (h *Handler) linkSignature(c echo.Context, cp *models.Campaign, id uint) (*models.Signature, error) {
	sig, err := h.store.SignatureForLink(c.Request().Context(), cp.ID, id)
	if errors.Is(err, models.ErrNotFound) {
		return nil, refuse(http.StatusGone, locale.T(ctxOf(c), "signer.gone"))
	}
	return sig, err
}

func (h *Handler) linkPage(c echo.Context, status int, v views.SignerLinkView) error {
	v.Action = locale.Path(ctxOf(c), c.Request().URL.Path) // the address the page was asked for, in its language
	return render(c, status, views.SignerLinkPage(v))
}

// confirmPage asks the signer to press the button that confirms.
func (h *Handler) confirmPage(c echo.Context) error {
	cp, id, err := h.signerLink(c, models.LinkConfirm)
	if err != nil {
		return err
	}
	sig, err := h.linkSignature(c, cp, id)
	if err != nil {
		return err
	}
	if sig.Confirmed() {
		return h.linkPage(c, http.StatusOK, views.SignerLinkView{Campaign: *cp, Heading: locale.T(ctxOf(c), "signer.confirmed_heading"),
			Paragraphs: []string{locale.T(ctxOf(c), "signer.confirmed_already")}})
	}
	return h.linkPage(c, http.StatusOK, views.SignerLinkView{Campaign: *cp, Heading: locale.T(ctxOf(c), "signer.confirm_heading"),
		Paragraphs: []string{locale.T(ctxOf(c), "signer.confirm_press"),
			locale.T(ctxOf(c), "signer.confirm_not_you")},
		CSRF: csrfToken(c), Button: locale.T(ctxOf(c), "signer.confirm_button")})
}

// confirm counts the signature.
func (h *Handler) confirm(c echo.Context) error {
	cp, id, err := h.signerLink(c, models.LinkConfirm)
	if err != nil {
		return err
	}
	v := views.SignerLinkView{Campaign: *cp, Heading: locale.T(ctxOf(c), "signer.confirmed_heading")}
	switch err := h.store.ConfirmSignature(c.Request().Context(), cp.ID, id); {
	case err == nil:
		v.Done = locale.T(ctxOf(c), "signer.confirmed_now")
	case errors.Is(err, models.ErrAlreadyConfirmed):
		v.Done = locale.T(ctxOf(c), "signer.confirmed_had")
	case errors.Is(err, models.ErrNotFound):
		return refuse(http.StatusGone, locale.T(ctxOf(c), "signer.gone"))
	default:
		return err
	}
	count, err := h.countView(c, cp)
	if err != nil {
		return err
	}
	v.Count = &count
	return h.linkPage(c, http.StatusOK, v)
}

// withdrawPage asks the signer to press the button that withdraws.
func (h *Handler) withdrawPage(c echo.Context) error {
	cp, id, err := h.signerLink(c, models.LinkWithdraw)
	if err != nil {
		return err
	}
	if _, err := h.linkSignature(c, cp, id); err != nil {
		return err
	}
	return h.linkPage(c, http.StatusOK, views.SignerLinkView{Campaign: *cp, Heading: locale.T(ctxOf(c), "signer.withdraw_heading"),
		Paragraphs: []string{locale.T(ctxOf(c), "signer.withdraw_press"),
			locale.T(ctxOf(c), "signer.withdraw_later")},
		CSRF: csrfToken(c), Button: locale.T(ctxOf(c), "signer.withdraw_button")})
}

// withdraw deletes the signature and the signer's data.
func (h *Handler) withdraw(c echo.Context) error {
	cp, id, err := h.signerLink(c, models.LinkWithdraw)
	if err != nil {
		return err
	}
	switch err := h.store.WithdrawSignature(c.Request().Context(), cp.ID, id); {
	case errors.Is(err, models.ErrNotFound):
		return refuse(http.StatusGone, locale.T(ctxOf(c), "signer.withdrawn_gone"))
	case err != nil:
		return err
	}
	return h.linkPage(c, http.StatusOK, views.SignerLinkView{Campaign: *cp, Heading: locale.T(ctxOf(c), "signer.withdrawn_heading"),
		Done: locale.T(ctxOf(c), "signer.withdrawn_done")})
}

// unsubscribePage offers to stop updates.
func (h *Handler) unsubscribePage(c echo.Context) error {
	cp, id, err := h.signerLink(c, models.LinkUnsubscribe)
	if err != nil {
		return err
	}
	sig, err := h.linkSignature(c, cp, id)
	if err != nil {
		return err
	}
	v := views.SignerLinkView{Campaign: *cp, Heading: locale.T(ctxOf(c), "signer.stop_heading")}
	if !sig.SendUpdates {
		v.Paragraphs = []string{locale.T(ctxOf(c), "signer.stop_already")}
		return h.linkPage(c, http.StatusOK, v)
	}
	v.Paragraphs = []string{locale.T(ctxOf(c), "signer.stop_press")}
	v.Button = locale.T(ctxOf(c), "signer.stop_heading")
	return h.linkPage(c, http.StatusOK, v)
}

// unsubscribe stops updates. It is the one-click unsubscribe of RFC 8058
// too: mail clients post "List-Unsubscribe=One-Click" with no cookie, so
// it takes no CSRF token; the link's token is the proof.
func (h *Handler) unsubscribe(c echo.Context) error {
	cp, id, err := h.signerLink(c, models.LinkUnsubscribe)
	if err != nil {
		return err
	}
	switch err := h.store.StopUpdates(c.Request().Context(), cp.ID, id); {
	case errors.Is(err, models.ErrNotFound):
		return refuse(http.StatusGone, locale.T(ctxOf(c), "signer.gone"))
	case err != nil:
		return err
	}
	return h.linkPage(c, http.StatusOK, views.SignerLinkView{Campaign: *cp, Heading: locale.T(ctxOf(c), "signer.stopped_heading"),
		Done: locale.T(ctxOf(c), "signer.stopped_done")})
}
