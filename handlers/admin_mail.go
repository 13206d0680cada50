package handlers

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/mail"
	"campaigntrack/models"
	"campaigntrack/views"
)

// The Mail page: what the outbox holds and how sending goes. Everyone
// signed in sees the counts; the messages themselves carry signers'
// addresses, so only organisers and admins see them (requireEditor on
// the list and the message pages, and no list on the Mail page for a
// viewer).

// mailPageSize is how many messages a page of the list shows.
const mailPageSize = 50

// mailPage shows the outbox's counts, its latest errors, this instance's
// sender and where mail goes; for editors, the first page of messages.
func (h *Handler) mailPage(c echo.Context) error {
	ctx := c.Request().Context()
	stats, err := h.store.MailStats(ctx)
	if err != nil {
		return err
	}
	editor := currentUser(c).CanEdit()
	v := views.MailView{
		Frame: h.frame(c, locale.T(ctxOf(c), "admin.nav.mail"), nil, ""), Mailing: h.config.Mailing(), From: addressText(h.composer.From()),
		Counts: mailCounts(stats.ByStatus), OldestQueued: stats.OldestQueued, Errors: stats.Errors,
		Sender: senderState(h.sender.State()),
	}
	if h.config.SMTP != nil {
		v.Server = h.config.SMTP.String()
	}
	if !editor {
		// A refusal often names its recipient ("550 <ana@example.org>:
		// no such user"); viewers see no address.
		v.Errors = slices.Clone(v.Errors)
		for i := range v.Errors {
			v.Errors[i].Error = hideAddresses(v.Errors[i].Error)
		}
		v.Sender.LastError = hideAddresses(v.Sender.LastError)
		return render(c, http.StatusOK, views.MailPage(v))
	}
	list, err := h.mailList(c)
	if err != nil {
		return err
	}
	v.List = &list
	v.CanRetry = h.config.Mailing() && stats.ByStatus[models.MailQueued] > 0
	return render(c, http.StatusOK, views.MailPage(v))
}

// retryMail makes every queued message due now (audited), for after the
// SMTP server was fixed.
func (h *Handler) retryMail(c echo.Context) error {
	n, err := h.store.RetryMailNow(c.Request().Context(), actor(c), h.now())
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/admin/mail", locale.N(ctxOf(c), "admin_mail.flash_retry", n))
}

// mailMessages is the list of messages of one status, a page at a time
// (?status=kept&before=ID).
func (h *Handler) mailMessages(c echo.Context) error {
	list, err := h.mailList(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.MailListPage(views.MailListView{Frame: h.frame(c, locale.T(ctxOf(c), "admin_mail.title_list", "Status", views.Label(list.Status)), nil, ""), List: list}))
}

// mailList reads one page of messages: the status asked for if it can be
// listed, else kept in outbox-only mode and failed when mail is sent.
func (h *Handler) mailList(c echo.Context) (views.MailList, error) {
	l := views.MailList{Statuses: []string{models.MailKept, models.MailFailed}, Status: models.MailFailed}
	if !h.config.Mailing() {
		l.Status = models.MailKept
	}
	if s := c.QueryParam("status"); slices.Contains(l.Statuses, s) {
		l.Status = s
	}
	var before uint
	if s := c.QueryParam("before"); s != "" {
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return l, refuse(http.StatusBadRequest, "The page of messages asked for is not a number.")
		}
		before = uint(n)
	}
	rows, err := h.store.OutboxPage(c.Request().Context(), l.Status, before, mailPageSize+1)
	if err != nil {
		return l, err
	}
	if len(rows) > mailPageSize {
		rows = rows[:mailPageSize]
		l.Older = "/admin/mail/messages?status=" + l.Status + "&before=" + strconv.FormatUint(uint64(rows[len(rows)-1].ID), 10)
	}
	l.Messages = rows
	return l, nil
}

// mailMessage shows one message as its signer gets it, made again from
// the outbox row (the outbox keeps no text), or why it cannot be.
func (h *Handler) mailMessage(c echo.Context) error {
	id, err := recordID(c)
	if err != nil {
		return err
	}
	row, err := h.store.OutboxMailByID(c.Request().Context(), id)
	if errors.Is(err, models.ErrNotFound) {
		return pageNotFound("There is no such message in the outbox.")
	}
	if err != nil {
		return err
	}
	v := views.MailMessageView{Frame: h.frame(c, locale.T(ctxOf(c), "admin_mail.title_message", "ID", strconv.FormatUint(uint64(id), 10)), nil, ""), Mail: *row}
	if row.Purged || row.ToEmail == "" {
		v.Problem = locale.T(ctxOf(c), "admin_mail.problem_purged")
		return render(c, http.StatusOK, views.MailMessagePage(v))
	}
	msg, err := h.composer.Render(c.Request().Context(), *row)
	if err != nil {
		v.Problem = locale.T(ctxOf(c), "admin_mail.problem_compose", "Reason", err.Error())
	} else {
		v.Message = mailMessageView(msg)
		allowMailFrame(c)
	}
	return render(c, http.StatusOK, views.MailMessagePage(v))
}

// mailCounts lists the outbox's counts in the order the pages show.
func mailCounts(by map[string]int64) []views.MailCount {
	out := make([]views.MailCount, len(models.MailStatuses))
	for i, s := range models.MailStatuses {
		out[i] = views.MailCount{Status: s, N: by[s]}
	}
	return out
}

func senderState(s mail.SenderState) views.MailSenderState {
	out := views.MailSenderState{Sent: s.Sent, LastError: s.LastError}
	if !s.LastSentAt.IsZero() {
		out.LastSentAt = &s.LastSentAt
	}
	if !s.LastErrorAt.IsZero() {
		out.LastErrorAt = &s.LastErrorAt
	}
	return out
}

// mailMessageView is a composed message as the admin shows it.
func mailMessageView(m mail.Message) *views.MailMessage {
	out := &views.MailMessage{From: addressText(m.From), To: addressText(m.To), Subject: m.Subject, Text: m.Text, HTML: m.HTML}
	for name, value := range m.Headers {
		out.Headers = append(out.Headers, views.MailHeader{Name: name, Value: value})
	}
	slices.SortFunc(out.Headers, func(a, b views.MailHeader) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// addressText writes a mailbox as a mail client shows it.
func addressText(a mail.Address) string {
	if a.Name == "" {
		return a.Email
	}
	return a.Name + " <" + a.Email + ">"
}

var mailAddress = regexp.MustCompile(`[^\s<>()\[\],;:"']+@[^\s<>()\[\],;:"']+`)

// hideAddresses blanks every mail address in a server's error.
func hideAddresses(s string) string { return mailAddress.ReplaceAllString(s, "(address hidden)") }

// allowMailFrame lets a page show a mail's HTML part in its sandboxed
// srcdoc frame. Such a frame's document inherits the page's
// Content-Security-Policy, and a mail's styles are inline (the only kind
// mail clients keep), so this page alone also allows inline styles. The
// frame's sandbox still runs no script, submits no form and reaches
// nothing of the admin's origin; scripts stay the app's own.
func allowMailFrame(c echo.Context) {
	hd := c.Response().Header()
	hd.Set("Content-Security-Policy", strings.Replace(hd.Get("Content-Security-Policy"), "style-src 'self'", "style-src 'self' 'unsafe-inline'", 1))
}
