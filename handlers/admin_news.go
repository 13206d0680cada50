package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/mail"
	"campaigntrack/models"
	"campaigntrack/views"
)

// News to a campaign's signers, "Tell the signers": written from a
// delivery marked delivered or a logged response, prefilled from the
// record, previewed as a signer gets it, then queued for every confirmed
// signer who agreed to updates (Store.SendNews: one transaction with its
// audit entry). A repeat of the same subject and body within ten minutes
// (a double-clicked Send) is refused by the Store and leads to the news
// already sent.

// What news tells of (models.News.RecordKind).
const (
	newsDelivery = "delivery"
	newsResponse = "response"
)

const newsNoRecord = "the record this news tells of is not one of this campaign's"

// newsShown is how many of a campaign's news its list shows.
const newsShown = 200

// newsRecord is the record news is written from, as the form names it.
type newsRecord struct {
	news        models.News // prefilled from the record
	about, path string      // "the delivery in Seattle, WA" and its admin page
}

// newsForm is the "Tell the signers" form, prefilled from the delivery or
// response named by ?delivery=ID or ?response=ID, or blank with neither.
func (h *Handler) newsForm(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	kind, id := newsDelivery, c.QueryParam("delivery")
	if id == "" {
		kind, id = newsResponse, c.QueryParam("response")
	}
	var rec newsRecord
	if id != "" {
		n, err := strconv.ParseUint(id, 10, 32)
		if err != nil || n == 0 {
			return pageNotFound("There is no such record.")
		}
		if rec, err = h.newsRecordOf(ctx, cp, kind, uint(n)); err != nil {
			return err
		}
	}
	v := views.NewsFormView{Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin_news.tell"), cp), cp, "news"), Form: newsToForm(rec.news),
		About: rec.about, AboutPath: rec.path, Mailing: h.config.Mailing()}
	if v.Recipients, err = h.store.NewsRecipients(ctx, cp.ID); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.NewsFormPage(v))
}

// previewNews shows the form again with the message as a signer would
// get it and how many signers it would go to now.
func (h *Handler) previewNews(c echo.Context) error {
	cp, v, n, err := h.readNewsForm(c)
	if err != nil {
		return err
	}
	if len(v.Errors) == 0 {
		v.Preview = mailMessageView(h.composer.PreviewNews(cp, &n, locale.English))
		v.PreviewES = mailMessageView(h.composer.PreviewNews(cp, &n, locale.Spanish))
		v.CanSend = v.Recipients > 0
		allowMailFrame(c)
	}
	return renderForm(c, v.Errors, views.NewsFormPage(v))
}

// sendNews queues the news for the campaign's signers and goes to its
// progress page.
func (h *Handler) sendNews(c echo.Context) error {
	cp, v, n, err := h.readNewsForm(c)
	if err != nil {
		return err
	}
	if len(v.Errors) == 0 {
		err = h.store.SendNews(c.Request().Context(), actor(c), &n)
		var repeated *models.NewsRepeated
		if errors.As(err, &repeated) {
			return h.redirectWithFlash(c, newsPath(cp, repeated.Earlier.ID), locale.T(ctxOf(c), "admin_news.flash_repeated", "When", views.When(&repeated.Earlier.CreatedAt, false)))
		}
		if errs, ok := formErrors(err); ok {
			v.Errors = merge(v.Errors, errs)
		} else if err != nil {
			return err
		}
	}
	if len(v.Errors) > 0 {
		return renderForm(c, v.Errors, views.NewsFormPage(v))
	}
	return h.redirectWithFlash(c, newsPath(cp, n.ID), locale.N(ctxOf(c), "admin_news.flash_queued", n.Recipients))
}

// readNewsForm reads a posted news form and checks what it names: the
// view to show it again (with its errors, the record and the recipients)
// and the news to preview or send.
func (h *Handler) readNewsForm(c echo.Context) (*models.Campaign, views.NewsFormView, models.News, error) {
	ctx := c.Request().Context()
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return nil, views.NewsFormView{}, models.News{}, err
	}
	form, n, fe := parseNewsForm(c)
	n.CampaignID = cp.ID
	v := views.NewsFormView{Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin_news.tell"), cp), cp, "news"), Form: form, Mailing: h.config.Mailing()}
	if n.RecordKind != "" {
		rec, err := h.newsRecordOf(ctx, cp, n.RecordKind, n.RecordID)
		var refused *refusal
		switch {
		case errors.Is(err, errNoNewsRecord) && errors.As(err, &refused):
			fe.Add("record", refused.message)
		case errors.Is(err, errNoNewsRecord):
			fe.Add("record", newsNoRecord)
		case err != nil:
			return nil, v, n, err
		default:
			v.About, v.AboutPath = rec.about, rec.path
		}
	}
	v.Errors = merge(fe, n.Validate())
	if v.Recipients, err = h.store.NewsRecipients(ctx, cp.ID); err != nil {
		return nil, v, n, err
	}
	return cp, v, n, nil
}

// errNoNewsRecord: the record a posted form names is not the campaign's.
var errNoNewsRecord = errors.New(newsNoRecord)

// newsRecordOf loads the delivery or response news is written from and
// prefills the news from it. A delivery must have been delivered: the
// news says it was.
func (h *Handler) newsRecordOf(ctx context.Context, cp *models.Campaign, kind string, id uint) (newsRecord, error) {
	switch kind {
	case newsDelivery:
		d, err := h.store.Delivery(ctx, cp.ID, id)
		if errors.Is(err, models.ErrNotFound) {
			return newsRecord{}, refuse(http.StatusNotFound, "There is no such delivery in this campaign.").because(errNoNewsRecord)
		}
		if err != nil {
			return newsRecord{}, err
		}
		if d.Status != models.DeliveryDelivered {
			return newsRecord{}, refuse(http.StatusConflict, "The delivery in "+d.Place()+" is not marked delivered yet: tell the signers once it is.").because(errNoNewsRecord)
		}
		return newsRecord{news: deliveryNews(cp, d), about: locale.T(ctx, "admin_news.about_delivery", "Place", d.Place()),
			path: "/admin/campaigns/" + cp.Slug + "/deliveries/" + strconv.FormatUint(uint64(id), 10)}, nil
	case newsResponse:
		r, err := h.store.Response(ctx, cp.ID, id)
		if errors.Is(err, models.ErrNotFound) {
			return newsRecord{}, refuse(http.StatusNotFound, "There is no such response in this campaign.").because(errNoNewsRecord)
		}
		if err != nil {
			return newsRecord{}, err
		}
		return newsRecord{news: responseNews(cp, r), about: responseAbout(ctx, r),
			path: "/admin/campaigns/" + cp.Slug + "/responses/" + strconv.FormatUint(uint64(id), 10)}, nil
	}
	return newsRecord{}, errNoNewsRecord
}

// newsList is the campaign's news, newest first.
func (h *Handler) newsList(c echo.Context) error {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	news, err := h.store.NewsOf(c.Request().Context(), cp.ID, newsShown)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.NewsListPage(views.NewsListView{Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin.tab.news"), cp), cp, "news"), News: news}))
}

// newsPage is one news with how its messages are going. While any is
// queued the page reloads itself every five seconds (a Refresh header: no
// script needed).
func (h *Handler) newsPage(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	id, err := recordID(c)
	if err != nil {
		return err
	}
	n, err := h.store.NewsByID(ctx, cp.ID, id)
	if err != nil {
		return recordErr(err)
	}
	progress, err := h.store.NewsProgress(ctx, n.ID)
	if err != nil {
		return err
	}
	v := views.NewsProgressView{Frame: h.frame(c, n.Subject+" · News", cp, "news"), News: n, Paragraphs: mail.Paragraphs(n.Body), ParagraphsES: mail.Paragraphs(n.BodyES),
		Counts: mailCounts(progress), Pending: progress[models.MailQueued] > 0, Mailing: h.config.Mailing()}
	switch n.RecordKind {
	case newsDelivery:
		v.AboutPath = "/admin/campaigns/" + cp.Slug + "/deliveries/" + strconv.FormatUint(uint64(n.RecordID), 10)
	case newsResponse:
		v.AboutPath = "/admin/campaigns/" + cp.Slug + "/responses/" + strconv.FormatUint(uint64(n.RecordID), 10)
	}
	if v.Pending {
		c.Response().Header().Set("Refresh", "5")
	}
	return render(c, http.StatusOK, views.NewsProgressPage(v))
}

func newsPath(cp *models.Campaign, id uint) string {
	return "/admin/campaigns/" + cp.Slug + "/news/" + strconv.FormatUint(uint64(id), 10)
}

// The prefilled text. It is a draft: the organiser reads it, edits it and
// previews it before anything is sent, so it says what the record says
// and no more.

// deliveryNews is news of a delivery: what happened, where, when, the
// outcome, the sources.
func deliveryNews(cp *models.Campaign, d *models.Delivery) models.News {
	target := targetOf(cp)
	var first strings.Builder
	if d.DeliveredAt != nil {
		first.WriteString("On " + views.WhenIn(d.DeliveredAt, d.DateOnly, d.TimeZone) + ", the petition")
	} else {
		first.WriteString("The petition")
	}
	if d.SignaturesDelivered != nil && *d.SignaturesDelivered > 0 {
		first.WriteString(", with " + views.Number(*d.SignaturesDelivered) + " signatures,")
	}
	first.WriteString(" was delivered to " + target)
	if d.Venue != "" {
		first.WriteString(" at " + d.Venue + ", " + d.Place() + ".")
	} else {
		first.WriteString(" in " + d.Place() + ".")
	}
	if d.Recipient != "" {
		first.WriteString(" Received by: " + d.Recipient + ".")
	}
	body := []string{first.String()}
	if d.Outcome != "" {
		body = append(body, d.Outcome)
	}
	var more []string
	if d.LeadOrganisation != "" {
		more = append(more, "Led by "+d.LeadOrganisation+".")
	}
	if d.Attendance != "" {
		more = append(more, "Attendance: "+d.Attendance+".")
	}
	if len(more) > 0 {
		body = append(body, strings.Join(more, " "))
	}
	if s := sourcesLine(d.Sources); s != "" {
		body = append(body, s)
	}
	return models.News{
		Subject: "The petition was delivered to " + target + " in " + d.City,
		Body:    strings.Join(body, "\n\n"), RecordKind: newsDelivery, RecordID: d.ID,
	}
}

// responseNews is news of the target's answer: who said what, when, to
// what, and the quote with its speaker and source.
func responseNews(cp *models.Campaign, r *models.Response) models.News {
	target := targetOf(cp)
	what := "the petition"
	switch {
	case r.Delivery != nil:
		what = "the delivery of the petition in " + r.Delivery.Place()
	case r.Action != nil:
		what = "“" + r.Action.Title + "”"
	}
	when := views.WhenIn(&r.RespondedAt, r.DateOnly, r.TimeZone)
	who := speakerOf(r)
	if who == "" {
		who = target
	}
	var first string
	switch r.Kind {
	case models.ResponseNoReply:
		first = "As of " + when + ", " + target + " has not answered " + what + "."
		if r.Speaker != "" {
			first += " " + r.Speaker + " was asked and said nothing."
		}
	case models.ResponseNoComment:
		first = "On " + when + ", " + who + " declined to comment on " + what + channelPhrase(r.Channel) + "."
	default:
		first = "On " + when + ", " + who + " answered " + what + channelPhrase(r.Channel) + "."
	}
	body := []string{first}
	if r.Summary != "" {
		body = append(body, r.Summary)
	}
	n := models.News{Subject: responseSubject(target, r.Kind), RecordKind: newsResponse, RecordID: r.ID}
	if r.Quote != "" {
		n.Quote, n.QuoteBy = r.Quote, who
		labels := make([]string, 0, len(r.Sources))
		for _, s := range r.Sources {
			labels = append(labels, s.Label())
		}
		n.QuoteSource = strings.Join(labels, ", ")
	} else if s := sourcesLine(r.Sources); s != "" {
		body = append(body, s)
	}
	n.Body = strings.Join(body, "\n\n")
	return n
}

func responseSubject(target, kind string) string {
	switch kind {
	case "refusal":
		return target + " refused the petition's demand"
	case "commitment":
		return target + " made a commitment in answer to the petition"
	case "policy_change":
		return target + " changed its policy in answer to the petition"
	case models.ResponseNoComment:
		return target + " declined to comment on the petition"
	case models.ResponseNoReply:
		return target + " has not answered the petition"
	}
	return target + " answered the petition"
}

// responseAbout names a response on the news form.
func responseAbout(ctx context.Context, r *models.Response) string {
	when := views.WhenIn(&r.RespondedAt, r.DateOnly, r.TimeZone)
	if r.IsNoReply() {
		return locale.T(ctx, "admin_news.about_no_reply", "When", when)
	}
	if who := speakerOf(r); who != "" {
		return locale.T(ctx, "admin_news.about_response_from", "Who", who, "When", when)
	}
	return locale.T(ctx, "admin_news.about_response", "When", when)
}

func speakerOf(r *models.Response) string {
	if r.Speaker != "" && r.SpeakerRole != "" {
		return r.Speaker + " (" + r.SpeakerRole + ")"
	}
	return r.Speaker
}

func channelPhrase(channel string) string {
	switch channel {
	case "press_statement":
		return " in a press statement"
	case "email":
		return " by email"
	case "meeting":
		return " in a meeting"
	case "on_stage":
		return " on stage"
	case "social_media":
		return " on social media"
	}
	return ""
}

func targetOf(cp *models.Campaign) string {
	if t := strings.TrimSpace(cp.Target); t != "" {
		return t
	}
	return "the company"
}

// sourcesLine names a record's sources in one paragraph. An address ends
// its item with no punctuation after it, which mail clients would take
// into the link.
func sourcesLine(sources models.Sources) string {
	var parts []string
	for _, s := range sources {
		switch {
		case s.Name != "" && s.URL != "":
			parts = append(parts, s.Name+", "+s.URL)
		default:
			parts = append(parts, s.Label())
		}
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return "Source: " + parts[0]
	}
	return "Sources: " + strings.Join(parts, " · ")
}
