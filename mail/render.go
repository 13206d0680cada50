package mail

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"time"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// Composer turns outbox rows into messages: it looks up the campaign and
// the news a row names, makes the signer's links with the site's key and
// picks what the message says by the row's kind. The outbox keeps no text,
// so what a signer gets is always made here, for sending and for showing
// in the admin alike.
type Composer struct {
	store *models.Store
	base  *url.URL
	from  Address

	mu        sync.Mutex
	links     *models.SignerLinks
	campaigns map[uint]cachedCampaign
	news      map[uint]*models.News
}

type cachedCampaign struct {
	c       *models.Campaign
	expires time.Time
}

// NewComposer makes messages from the store's outbox, with links on base
// and from as their sender.
func NewComposer(store *models.Store, base *url.URL, from Address) *Composer {
	return &Composer{store: store, base: base, from: from, campaigns: map[uint]cachedCampaign{}, news: map[uint]*models.News{}}
}

// From is the sender of every message.
func (c *Composer) From() Address { return c.from }

// Render makes the message an outbox row stands for. It fails when the row
// can no longer be sent: its campaign, news or address is gone.
func (c *Composer) Render(ctx context.Context, m models.OutboxMail) (Message, error) {
	if m.ToEmail == "" || m.SignatureID == nil {
		return Message{}, fmt.Errorf("message %d: its address was removed (withdrawn or purged)", m.ID)
	}
	cp, err := c.campaign(ctx, m.CampaignID)
	if err != nil {
		return Message{}, fmt.Errorf("message %d: campaign %d: %w", m.ID, m.CampaignID, err)
	}
	links, err := c.signerLinks(ctx)
	if err != nil {
		return Message{}, err
	}
	sig := *m.SignatureID
	lang := locale.OrEnglish(m.ToLang)
	l := Links{Withdraw: c.link(lang, cp, models.LinkWithdraw, links.Token(models.LinkWithdraw, cp.ID, sig))}
	signer := Signer{FirstName: m.ToName, To: Address{Name: m.ToName, Email: m.ToEmail}, Lang: lang}
	var msg Message
	switch m.Kind {
	case models.MailConfirm, models.MailConfirmAgain:
		l.Confirm = c.link(lang, cp, models.LinkConfirm, links.Token(models.LinkConfirm, cp.ID, sig))
		msg = Confirmation(c.campaignInfo(lang, cp), signer, l, m.Kind == models.MailConfirmAgain)
	case models.MailAlreadySigned:
		msg = AlreadySigned(c.campaignInfo(lang, cp), signer, l)
	case models.MailSigned:
		msg = Signed(c.campaignInfo(lang, cp), signer, l)
	case models.MailUpdate:
		if m.NewsID == nil {
			return Message{}, fmt.Errorf("message %d: an update without its news", m.ID)
		}
		n, err := c.newsByID(ctx, cp.ID, *m.NewsID)
		if err != nil {
			return Message{}, fmt.Errorf("message %d: news %d: %w", m.ID, *m.NewsID, err)
		}
		l.Unsubscribe = c.link(lang, cp, models.LinkUnsubscribe, links.Token(models.LinkUnsubscribe, cp.ID, sig))
		msg = Update(c.campaignInfo(lang, cp), signer, newsOf(n), l)
	default:
		return Message{}, fmt.Errorf("message %d: unknown kind %q", m.ID, m.Kind)
	}
	msg.From = c.from
	msg.MessageID = "outbox-" + strconv.FormatUint(uint64(m.ID), 10)
	return msg, nil
}

// PreviewNews is news as a signer named Ana who signed in lang would get
// it, for the admin's preview: the links are the real pages' addresses
// with a sample token.
func (c *Composer) PreviewNews(cp *models.Campaign, n *models.News, lang locale.Lang) Message {
	l := Links{
		Withdraw:    c.link(lang, cp, models.LinkWithdraw, "preview"),
		Unsubscribe: c.link(lang, cp, models.LinkUnsubscribe, "preview"),
	}
	msg := Update(c.campaignInfo(lang, cp), Signer{FirstName: "Ana", To: Address{Name: "Ana", Email: "ana@example.org"}, Lang: lang}, newsOf(n), l)
	msg.From = c.from
	return msg
}

func newsOf(n *models.News) News {
	out := News{Subject: n.Subject, Body: n.Body, SubjectES: n.SubjectES, BodyES: n.BodyES}
	if n.Quote != "" {
		out.Quote = &Quote{Text: n.Quote, Who: n.QuoteBy, Source: n.QuoteSource, TextES: n.QuoteES}
	}
	return out
}

func (c *Composer) campaignInfo(lang locale.Lang, cp *models.Campaign) Campaign {
	title, _ := localized(lang, cp.Title, cp.TitleES)
	demand, _ := localized(lang, cp.Demand, cp.DemandES)
	return Campaign{Title: title, Target: cp.Target, Demand: demand, URL: c.base.String() + lang.In("/campaigns/"+cp.Slug)}
}

// localized is a text (a campaign's, news's) in lang when it has a
// version in it, with the language it is in.
func localized(lang locale.Lang, en, es string) (string, locale.Lang) {
	return locale.Pick(locale.With(context.Background(), locale.Request{Lang: lang}), en, es)
}

// link is the address of a signer's link page.
func (c *Composer) link(lang locale.Lang, cp *models.Campaign, purpose, token string) string {
	return c.base.String() + lang.In("/campaigns/"+cp.Slug+"/"+purpose+"/"+token)
}

func (c *Composer) signerLinks(ctx context.Context) (models.SignerLinks, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.links != nil {
		return *c.links, nil
	}
	l, err := c.store.SignerLinks(ctx)
	if err != nil {
		return l, err
	}
	c.links = &l
	return l, nil
}

// campaign is kept a minute: a sender makes thousands of messages of one
// campaign, and a renamed campaign's old address still redirects.
func (c *Composer) campaign(ctx context.Context, id uint) (*models.Campaign, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.campaigns[id]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.c, nil
	}
	cp, err := c.store.CampaignByID(ctx, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.campaigns[id] = cachedCampaign{c: cp, expires: now.Add(time.Minute)}
	c.mu.Unlock()
	return cp, nil
}

// newsByID keeps news for good: once sent, news is never edited.
func (c *Composer) newsByID(ctx context.Context, campaignID, id uint) (*models.News, error) {
	c.mu.Lock()
	n, ok := c.news[id]
	c.mu.Unlock()
	if ok {
		return n, nil
	}
	n, err := c.store.NewsByID(ctx, campaignID, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.news) > 1000 {
		clear(c.news)
	}
	c.news[id] = n
	c.mu.Unlock()
	return n, nil
}
