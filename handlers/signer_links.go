package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"campaigntrack/models"
	"campaigntrack/views"
)

// The pages of the links mailed to signers (models.SignerLinks): confirm
// a signature, withdraw it, stop updates. A GET shows a button and changes
// nothing, so the mail scanners that fetch every link confirm nothing; the
// button posts. A token that is not ours is refused before the database is
// asked anything, so guessing costs the guesser, not the server.

const (
	linkInvalid = "This link is not valid. Check that the whole address from the email is in the address bar; a link from an email is only good for the petition it was sent for."
	linkGone    = "This signature is no longer on the petition: it was withdrawn, or it was not confirmed within 7 days and was deleted. You are welcome to sign again."
)

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
		return nil, 0, refuse(http.StatusNotFound, linkInvalid)
	}
	return cp, id, nil
}

// linkSignature is the signature a valid link names, or the Gone page.
func (h *Handler) linkSignature(c echo.Context, cp *models.Campaign, id uint) (*models.Signature, error) {
	sig, err := h.store.SignatureForLink(c.Request().Context(), cp.ID, id)
	if errors.Is(err, models.ErrNotFound) {
		return nil, refuse(http.StatusGone, linkGone)
	}
	return sig, err
}

func (h *Handler) linkPage(c echo.Context, status int, v views.SignerLinkView) error {
	v.Action = c.Request().URL.Path
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
		return h.linkPage(c, http.StatusOK, views.SignerLinkView{Campaign: *cp, Heading: "Your signature is confirmed",
			Paragraphs: []string{"You have confirmed your signature already: it counts. There is nothing more to do."}})
	}
	return h.linkPage(c, http.StatusOK, views.SignerLinkView{Campaign: *cp, Heading: "Confirm your signature",
		Paragraphs: []string{"Press the button to confirm that you signed this petition. Your signature counts once you confirm it.",
			"If you did not sign, do nothing: an unconfirmed signature is deleted after 7 days."},
		CSRF: csrfToken(c), Button: "Confirm my signature"})
}

// confirm counts the signature.
func (h *Handler) confirm(c echo.Context) error {
	cp, id, err := h.signerLink(c, models.LinkConfirm)
	if err != nil {
		return err
	}
	v := views.SignerLinkView{Campaign: *cp, Heading: "Your signature is confirmed"}
	switch err := h.store.ConfirmSignature(c.Request().Context(), cp.ID, id); {
	case err == nil:
		v.Done = "Thank you: your signature is confirmed and counts now."
	case errors.Is(err, models.ErrAlreadyConfirmed):
		v.Done = "You had confirmed your signature already: it counts. There is nothing more to do."
	case errors.Is(err, models.ErrNotFound):
		return refuse(http.StatusGone, linkGone)
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
	return h.linkPage(c, http.StatusOK, views.SignerLinkView{Campaign: *cp, Heading: "Withdraw your signature",
		Paragraphs: []string{"Press the button to take your signature off this petition. Your name, email address and everything else you gave are deleted, and the count goes down by one.",
			"You can sign again later if you change your mind."},
		CSRF: csrfToken(c), Button: "Withdraw my signature"})
}

// withdraw deletes the signature and the signer's data.
func (h *Handler) withdraw(c echo.Context) error {
	cp, id, err := h.signerLink(c, models.LinkWithdraw)
	if err != nil {
		return err
	}
	switch err := h.store.WithdrawSignature(c.Request().Context(), cp.ID, id); {
	case errors.Is(err, models.ErrNotFound):
		return refuse(http.StatusGone, "This signature is no longer on the petition: it has been withdrawn (or, unconfirmed, expired), and its details were deleted.")
	case err != nil:
		return err
	}
	return h.linkPage(c, http.StatusOK, views.SignerLinkView{Campaign: *cp, Heading: "Your signature is withdrawn",
		Done: "Your signature has been taken off the petition, and your details have been deleted. You will get no more email about it."})
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
	v := views.SignerLinkView{Campaign: *cp, Heading: "Stop updates"}
	if !sig.SendUpdates {
		v.Paragraphs = []string{"You get no updates about this petition already. Your signature stays on it."}
		return h.linkPage(c, http.StatusOK, v)
	}
	v.Paragraphs = []string{"Press the button to get no more updates about this petition. Your signature stays on it."}
	v.Button = "Stop updates"
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
		return refuse(http.StatusGone, linkGone)
	case err != nil:
		return err
	}
	return h.linkPage(c, http.StatusOK, views.SignerLinkView{Campaign: *cp, Heading: "Updates stopped",
		Done: "You will get no more updates about this petition. Your signature stays on it."})
}
