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
	audience, err := h.store.NewsAudience(ctx, cp.ID)
	if err != nil {
		return err
	}
	v.Recipients, v.SpanishRecipients = audience.Total, audience.Spanish
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
	audience, err := h.store.NewsAudience(ctx, cp.ID)
	if err != nil {
		return nil, v, n, err
	}
	v.Recipients, v.SpanishRecipients = audience.Total, audience.Spanish
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
// and no more. It is written twice, in English and in Spanish (the
// Spanish version for signers who signed in Spanish), by one function per
// record from the catalogue's "news.*" sentences, so the two say the
// same; the Spanish one takes the record's Spanish versions where it has
// them, and writes dates and numbers as Spanish does.

// draft is a draft's language: its texts from the catalogue, and a
// context in it for the views' formats and locale.Pick.
type draft struct {
	lang locale.Lang
	ctx  context.Context
}

func draftIn(l locale.Lang) draft {
	return draft{lang: l, ctx: locale.With(context.Background(), locale.Request{Lang: l})}
}

func (d draft) t(id string, args ...any) string { return locale.TIn(d.lang, id, args...) }

// pick is a record's text in the draft's language where it has a version
// in it, else the English.
func (d draft) pick(en, es string) string {
	s, _ := locale.Pick(d.ctx, en, es)
	return s
}

// deliveryNews is news of a delivery, in English and in Spanish.
func deliveryNews(cp *models.Campaign, d *models.Delivery) models.News {
	n := models.News{RecordKind: newsDelivery, RecordID: d.ID}
	n.Subject, n.Body = deliveryDraft(draftIn(locale.English), cp, d)
	n.SubjectES, n.BodyES = deliveryDraft(draftIn(locale.Spanish), cp, d)
	return n
}

// deliveryDraft is news of a delivery in one language: what happened,
// where, when, the outcome, the sources.
func deliveryDraft(in draft, cp *models.Campaign, d *models.Delivery) (subject, body string) {
	target := targetOf(in, cp)
	first := in.t("news.delivery.petition")
	if d.DeliveredAt != nil {
		first = in.t("news.delivery.petition_on", "When", views.WhenInLang(in.ctx, d.DeliveredAt, d.DateOnly, d.TimeZone))
	}
	if d.SignaturesDelivered != nil && *d.SignaturesDelivered > 0 {
		first += locale.NIn(in.lang, "news.delivery.with_signatures", *d.SignaturesDelivered)
	}
	first += " " + in.t("news.delivery.delivered_to", "Target", target)
	if d.Venue != "" {
		first += " " + in.t("news.delivery.at_venue", "Venue", d.Venue, "Place", d.Place())
	} else {
		first += " " + in.t("news.delivery.in_place", "Place", d.Place())
	}
	if d.Recipient != "" {
		first += " " + in.t("news.delivery.received_by", "Recipient", d.Recipient)
	}
	paras := []string{first}
	if outcome := in.pick(d.Outcome, d.OutcomeES); outcome != "" {
		paras = append(paras, outcome)
	}
	var more []string
	if d.LeadOrganisation != "" {
		more = append(more, in.t("news.delivery.led_by", "Organisation", d.LeadOrganisation))
	}
	if d.Attendance != "" {
		more = append(more, in.t("news.delivery.attendance", "Attendance", d.Attendance))
	}
	if len(more) > 0 {
		paras = append(paras, strings.Join(more, " "))
	}
	if s := sourcesLine(in, d.Sources); s != "" {
		paras = append(paras, s)
	}
	return in.t("news.delivery.subject", "Target", target, "City", d.City), strings.Join(paras, "\n\n")
}

// responseNews is news of the target's answer, in English and in Spanish,
// with the quote as said, who said it, its source and its translation.
func responseNews(cp *models.Campaign, r *models.Response) models.News {
	n := models.News{RecordKind: newsResponse, RecordID: r.ID}
	n.Subject, n.Body = responseDraft(draftIn(locale.English), cp, r)
	n.SubjectES, n.BodyES = responseDraft(draftIn(locale.Spanish), cp, r)
	if r.Quote != "" {
		n.Quote, n.QuoteES = r.Quote, r.QuoteES
		if n.QuoteBy = speakerOf(r); n.QuoteBy == "" {
			n.QuoteBy = targetOf(draftIn(locale.English), cp)
		}
		labels := make([]string, 0, len(r.Sources))
		for _, s := range r.Sources {
			labels = append(labels, s.Label())
		}
		n.QuoteSource = strings.Join(labels, ", ")
	}
	return n
}

// responseDraft is news of the target's answer in one language: who said
// what, when, to what. A response with a quote names its sources beside
// the quote; one without, in the body.
func responseDraft(in draft, cp *models.Campaign, r *models.Response) (subject, body string) {
	target := targetOf(in, cp)
	what := in.t("news.response.what_petition")
	switch {
	case r.Delivery != nil:
		what = in.t("news.response.what_delivery", "Place", r.Delivery.Place())
	case r.Action != nil:
		what = in.t("news.response.what_action", "Title", in.pick(r.Action.Title, r.Action.TitleES))
	}
	when := views.WhenInLang(in.ctx, &r.RespondedAt, r.DateOnly, r.TimeZone)
	who := speakerOf(r)
	if who == "" {
		who = target
	}
	channel := channelPhrase(in, r.Channel)
	if channel != "" {
		channel = " " + channel
	}
	var first string
	switch r.Kind {
	case models.ResponseNoReply:
		first = in.t("news.response.no_reply", "When", when, "Target", target, "What", what)
		if r.Speaker != "" {
			first += " " + in.t("news.response.no_reply_asked", "Speaker", r.Speaker)
		}
	case models.ResponseNoComment:
		first = in.t("news.response.no_comment", "When", when, "Who", who, "What", what, "Channel", channel)
	default:
		first = in.t("news.response.answered", "When", when, "Who", who, "What", what, "Channel", channel)
	}
	paras := []string{first}
	if summary := in.pick(r.Summary, r.SummaryES); summary != "" {
		paras = append(paras, summary)
	}
	if r.Quote == "" {
		if s := sourcesLine(in, r.Sources); s != "" {
			paras = append(paras, s)
		}
	}
	return responseSubject(in, target, r.Kind), strings.Join(paras, "\n\n")
}

func responseSubject(in draft, target, kind string) string {
	switch kind {
	case "refusal":
		return in.t("news.response.subject_refusal", "Target", target)
	case "commitment":
		return in.t("news.response.subject_commitment", "Target", target)
	case "policy_change":
		return in.t("news.response.subject_policy_change", "Target", target)
	case models.ResponseNoComment:
		return in.t("news.response.subject_no_comment", "Target", target)
	case models.ResponseNoReply:
		return in.t("news.response.subject_no_reply", "Target", target)
	}
	return in.t("news.response.subject", "Target", target)
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

// channelPhrase is how an answer came ("in a press statement"), or "".
func channelPhrase(in draft, channel string) string {
	switch channel {
	case "press_statement":
		return in.t("news.channel.press_statement")
	case "email":
		return in.t("news.channel.email")
	case "meeting":
		return in.t("news.channel.meeting")
	case "on_stage":
		return in.t("news.channel.on_stage")
	case "social_media":
		return in.t("news.channel.social_media")
	}
	return ""
}

func targetOf(in draft, cp *models.Campaign) string {
	if t := strings.TrimSpace(cp.Target); t != "" {
		return t
	}
	return in.t("news.target")
}

// sourcesLine names a record's sources in one paragraph. An address ends
// its item with no punctuation after it, which mail clients would take
// into the link.
func sourcesLine(in draft, sources models.Sources) string {
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
		return in.t("news.source", "Source", parts[0])
	}
	return in.t("news.sources", "Sources", strings.Join(parts, " · "))
}
