// Package handlers turns HTTP requests into Store calls and rendered
// pages. routes.go lists every route; each other file owns one resource.
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"

	"campaigntrack/config"
	"campaigntrack/mail"
	"campaigntrack/models"
)

// Session lifetimes: a session ends after this long without a request,
// and in any case after the absolute lifetime.
const (
	SessionIdleTimeout = 2 * time.Hour
	SessionLifetime    = 12 * time.Hour
)

// SessionCookie is the name of the organiser session cookie.
const SessionCookie = "campaigntrack_session"

// Handler holds what every handler needs. It is built once by New; there
// are no globals.
type Handler struct {
	store       *models.Store
	log         *slog.Logger
	config      config.Config
	sessions    *scs.SessionManager
	signatures  *models.SignatureWriter
	pages       *pageCache // the campaign pages
	countPages  *pageCache // their "How the count is made" pages
	jsonPages   *pageCache // their JSON, with the live counts put in
	shareImages *pageCache // their share images (share.go)
	campaigns   *campaignCache
	imports     sync.WaitGroup   // signature imports running in the background
	health      healthCheck      // the last /healthz check of the database
	now         func() time.Time // the one clock of every handler: time.Now but in tests

	// The other public pages, each with a cache of its own: a shared link
	// to any of them brings the same surge as one to the campaign page.
	homePages, deliveryPages, responsePages, signedPages *pageCache
	timelinePages                                        *pageCache // by filter (timelineVariant)
	feedPages                                            *pageCache // the timeline's Atom feeds by filter, with ETags
	packetPages                                          *pageCache // packet check pages, by code

	signLimit   *signLimiter // nil when --sign-rate-limit is off
	crossOrigin *http.CrossOriginProtection
	logs        struct{ access, refused, failed *logBudget }
	formKey     kept[[]byte] // the key of public form tokens (csrf.go)
	siteID      kept[string] // the site's name in feed ids (Store.SiteID)
	signerLinks kept[models.SignerLinks]
	composer    *mail.Composer // makes signers' messages from the outbox, to send and to show
	sender      *mail.Sender   // the outbox's sender; cli runs it (Mail)
}

// New builds the handlers over a store. Sessions live in the store's
// database, so every instance sees the same ones.
func New(store *models.Store, log *slog.Logger, cfg config.Config) *Handler {
	sm := scs.New()
	sm.Store = store.Sessions()
	sm.IdleTimeout = SessionIdleTimeout
	sm.Lifetime = SessionLifetime
	sm.Cookie.Name = SessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.Cookie.Path = "/"
	h := &Handler{store: store, log: log, config: cfg, sessions: sm, signatures: store.NewSignatureWriter(256),
		pages: newPageCache(cfg.PageCache), countPages: newPageCache(cfg.PageCache), jsonPages: newPageCache(cfg.PageCache), shareImages: newPageCache(cfg.PageCache), campaigns: newCampaignCache(cfg.PageCache), now: cfg.Clock(),
		signLimit: newSignLimiter(cfg.SignRateLimit, maxSignKeys)}
	h.homePages, h.deliveryPages, h.responsePages, h.signedPages = newPageCache(cfg.PageCache), newPageCache(cfg.PageCache), newPageCache(cfg.PageCache), newPageCache(cfg.PageCache)
	h.timelinePages, h.feedPages, h.packetPages = newPageCache(cfg.PageCache), newFeedCache(cfg.PageCache), newPageCache(cfg.PageCache)
	h.composer = mail.NewComposer(store, cfg.PublicURL(), cfg.MailSender())
	h.sender = mail.NewSender(store, h.composer, cfg.SMTP, nil, cfg.KeepMailFor(), log)
	sm.ErrorFunc = h.sessionError
	h.crossOrigin = h.newCrossOrigin()
	h.logs.access, h.logs.refused, h.logs.failed = newLogBudgets()
	// Read (or make) the form-token key now, while the database takes
	// writes; a failure here is retried on first use.
	_, _ = h.csrfKey(context.Background())
	return h
}

// Mail is the outbox's sender, for the server to run.
func (h *Handler) Mail() *mail.Sender { return h.sender }

// Close finishes the signatures still being written and the imports still
// running. Call it after the HTTP server has stopped taking requests.
func (h *Handler) Close() {
	h.signatures.Close()
	h.imports.Wait()
}
