package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"campaigntrack/models"
	"campaigntrack/views"
)

// The confirmation step, the one rule for every destructive organiser
// action (a record's delete, a delivery refused or cancelled): a POST
// without confirm=yes does not act. It answers 200 with a page that asks
// ("Delete the delivery in Seattle? This cannot be undone."), whose form
// posts the same action again with confirm=yes and the CSRF token, beside
// a Cancel link back to the record. Only that second POST acts. The
// buttons that start these actions stay plain forms, so the step works the
// same with JavaScript off and on, and one tap on a phone never deletes.

// confirmField is the form field that says the organiser has confirmed.
const confirmField = "confirm"

// confirmation is what the page asks and where its answers lead.
type confirmation struct {
	section  string // the campaign tab the page belongs to
	question string // "Delete the delivery in Seattle?"
	warning  string // "This cannot be undone.", or ""
	action   string // the action's own path, posted again
	fields   []views.HiddenField
	button   string // "Delete"
	danger   bool
	back     string // Cancel: the record
}

// confirmed reports whether the POST carries confirm=yes: only then does
// a destructive action act.
func confirmed(c echo.Context) bool {
	return c.Request().PostFormValue(confirmField) == "yes"
}

// askToConfirm answers an unconfirmed destructive POST with the page that
// asks; nothing has changed. cp is nil for a site-wide record (an email
// rule).
func (h *Handler) askToConfirm(c echo.Context, cp *models.Campaign, q confirmation) error {
	title := q.question
	if cp != nil {
		title = inCampaign(c, q.question, cp)
	}
	return render(c, http.StatusOK, views.ConfirmPage(views.ConfirmView{
		Frame:    h.frame(c, title, cp, q.section),
		Question: q.question, Warning: q.warning, Action: q.action, Fields: q.fields,
		Button: q.button, Danger: q.danger, Back: q.back,
	}))
}

// confirmMoves are the delivery status moves that ask first: refused and
// cancelled end a delivery's plan. The others (under way, postponed,
// planned again) act on one tap; delivered has its own form.
var confirmMoves = map[string]bool{models.DeliveryRefused: true, models.DeliveryCancelled: true}
