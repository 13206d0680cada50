package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"campaigntrack/assets"
)

// Router builds the Echo instance with every route the application serves.
// This is the one place routes are listed, with the middleware that
// guards each group.
func (h *Handler) Router() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = h.errorHandler
	e.IPExtractor = h.ipExtractor()

	// A path with escapes (%2F, %3F, %23) is not redirected: Echo builds
	// the redirect from the decoded path, which would turn an escaped "?"
	// or "#" into a real one.
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{
		RedirectCode: http.StatusMovedPermanently,
		Skipper:      func(c echo.Context) bool { return strings.Contains(c.Request().URL.EscapedPath(), "%") },
	}))
	e.Pre(headAsGet)
	e.Pre(h.language) // "/es/..." is Spanish; the switch and a remembered choice (language.go)
	e.Use(headAgain)
	e.Use(middleware.RequestID())
	if h.config.AccessLog {
		e.Use(h.requestLogger())
	}
	e.Use(negotiated) // gzip and 304s for every response; outside Recover, so a panic's page goes through it
	e.Use(middleware.Recover())
	e.Use(h.securityHeaders)
	// 1 MB for every request but the signature upload, which has a limit
	// of its own (below).
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "1M", Skipper: isSignatureUpload}))

	// Public pages. The campaign page carries the sign form, so it sets the
	// CSRF nonce cookie the signature's token is tied to (csrf.go); the
	// rate limit is checked in h.sign, once the campaign is known. Every
	// route with a :slug, here, under /api and under /admin, finds its
	// campaign through h.campaign, so the old address of a renamed campaign
	// redirects to its new one.
	e.GET("/", h.home)
	e.GET("/campaigns/:slug", h.campaignPage, h.publicCSRF)
	e.POST("/campaigns/:slug/sign", h.sign, middleware.BodyLimit("16K"), h.publicCSRF)
	e.GET("/campaigns/:slug/signed", h.signed)
	// How the count is made: each source's figures, kept, never a signer.
	e.GET("/campaigns/:slug/count", h.countPage)
	e.GET("/campaigns/:slug/share.png", h.shareImage) // the card a shared link shows (share.go)
	// The links mailed to signers: a page with a button, which posts.
	// The one-click unsubscribe (RFC 8058) is posted by mail clients with
	// no cookie, so it carries no CSRF token: the link's token is the proof.
	e.GET("/campaigns/:slug/confirm/:token", h.confirmPage, h.publicCSRF)
	e.POST("/campaigns/:slug/confirm/:token", h.confirm, middleware.BodyLimit("16K"), h.publicCSRF)
	e.GET("/campaigns/:slug/withdraw/:token", h.withdrawPage, h.publicCSRF)
	e.POST("/campaigns/:slug/withdraw/:token", h.withdraw, middleware.BodyLimit("16K"), h.publicCSRF)
	e.GET("/campaigns/:slug/unsubscribe/:token", h.unsubscribePage)
	e.POST("/campaigns/:slug/unsubscribe/:token", h.unsubscribe, middleware.BodyLimit("16K"))
	// The campaign's record: the timeline and its Atom feed, the company's
	// answers and what still waits for one, and their public CSVs.
	e.GET("/campaigns/:slug/timeline", h.timelinePage)
	e.GET("/campaigns/:slug/timeline.atom", h.timelineAtom)
	e.GET("/campaigns/:slug/responses", h.responsesPage)
	// Each CSV has an XLSX beside it, with the same columns and rows.
	e.GET("/campaigns/:slug/actions.csv", h.actionsCSV)
	e.GET("/campaigns/:slug/actions.xlsx", h.actionsXLSX)
	e.GET("/campaigns/:slug/responses.csv", h.responsesCSV)
	e.GET("/campaigns/:slug/responses.xlsx", h.responsesXLSX)
	e.GET("/campaigns/:slug/deliveries", h.deliveriesPage)
	e.GET("/campaigns/:slug/deliveries.csv", h.deliveriesCSV)
	e.GET("/campaigns/:slug/deliveries.xlsx", h.deliveriesXLSX)
	// A delivery packet's public check page: the delivery, the count, the
	// manifest's hash; no signer (packets.go).
	e.GET("/campaigns/:slug/packets/:code", h.packetCheck)
	e.GET("/healthz", h.healthz)
	e.GET(assets.Prefix+"*", echo.WrapHandler(assets.Handler()))

	// Public JSON.
	api := e.Group("/api")
	api.GET("/campaigns/:slug", h.campaignJSON)
	api.GET("/campaigns/:slug/deliveries", h.deliveriesJSON)

	// Signing in and out. Only these routes and /admin read the organiser
	// session: the public pages cost no session work at all.
	session := []echo.MiddlewareFunc{h.saveSession, h.loadUser}
	e.GET("/login", h.loginForm, append(session, h.publicCSRF)...)
	e.POST("/login", h.login, append(session, middleware.BodyLimit("16K"), h.publicCSRF)...)
	e.POST("/logout", h.logout, append(session, h.sessionCSRF)...)

	// The organiser area: signed-in users only; every form carries the
	// session's CSRF token; viewers read, organisers and admins change,
	// admins manage users.
	// After a change there, this instance's public pages are rendered
	// again at once (pagesFollowChanges).
	admin := e.Group("/admin", append(session, h.requireUser, h.sessionCSRF, h.pagesFollowChanges)...)
	admin.GET("", h.adminHome)
	admin.GET("/campaigns/new", h.newCampaignForm, requireEditor)
	admin.POST("/campaigns", h.createCampaign, requireEditor)
	admin.GET("/campaigns/:slug", h.campaignDashboard)
	admin.GET("/campaigns/:slug/settings", h.campaignSettingsForm, requireEditor)
	admin.POST("/campaigns/:slug/settings", h.updateCampaignSettings, requireEditor)
	admin.GET("/campaigns/:slug/petition", h.petitionForm, requireEditor)
	admin.POST("/campaigns/:slug/petition", h.savePetition, requireEditor)
	// The campaign's records: for each kind, the list and its add form,
	// one record's form and history, save and delete (records.go).
	claims, partners, deliveries, actions, responses := h.claimRecords(), h.partnerRecords(), h.deliveryRecords(), h.actionRecords(), h.responseRecords()
	sources := h.sourceRecords()
	admin.GET("/campaigns/:slug/claims", claims.list)
	admin.POST("/campaigns/:slug/claims", claims.add, requireEditor)
	admin.GET("/campaigns/:slug/claims/:id", claims.edit, requireEditor)
	admin.POST("/campaigns/:slug/claims/:id", claims.save, requireEditor)
	admin.POST("/campaigns/:slug/claims/:id/delete", claims.delete, requireEditor)
	admin.GET("/campaigns/:slug/partners", partners.list)
	admin.POST("/campaigns/:slug/partners", partners.add, requireEditor)
	admin.GET("/campaigns/:slug/partners/:id", partners.edit, requireEditor)
	admin.POST("/campaigns/:slug/partners/:id", partners.save, requireEditor)
	admin.POST("/campaigns/:slug/partners/:id/delete", partners.delete, requireEditor)
	// Signature sources: this site's form and each partner's list, with
	// their kept figures (admin_sources.go); a source holding signatures
	// is not deleted.
	admin.GET("/campaigns/:slug/sources", sources.list)
	admin.POST("/campaigns/:slug/sources", sources.add, requireEditor)
	admin.GET("/campaigns/:slug/sources/:id", sources.edit, requireEditor)
	admin.POST("/campaigns/:slug/sources/:id", sources.save, requireEditor)
	admin.POST("/campaigns/:slug/sources/:id/delete", sources.delete, requireEditor)
	admin.GET("/campaigns/:slug/deliveries", deliveries.list)
	admin.POST("/campaigns/:slug/deliveries", deliveries.add, requireEditor)
	admin.GET("/campaigns/:slug/deliveries/:id", deliveries.edit, requireEditor)
	admin.POST("/campaigns/:slug/deliveries/:id", deliveries.save, requireEditor)
	admin.POST("/campaigns/:slug/deliveries/:id/delete", deliveries.delete, requireEditor)
	admin.GET("/campaigns/:slug/deliveries/:id/deliver", h.markDeliveredForm, requireEditor)
	admin.POST("/campaigns/:slug/deliveries/:id/deliver", h.markDelivered, requireEditor)
	admin.POST("/campaigns/:slug/deliveries/:id/status", h.moveDelivery, requireEditor)
	// The delivery's packet: the options, then (?download=1) the ZIP of
	// the manifest and the PDF volumes, streamed (packets.go).
	admin.GET("/campaigns/:slug/deliveries/:id/packet", h.packetPage, requireEditor)
	admin.POST("/campaigns/:slug/deliveries/:id/count", h.recordDeliveryCount, requireEditor)
	admin.POST("/campaigns/:slug/deliveries/import", h.importDeliveries, requireEditor)
	admin.GET("/campaigns/:slug/actions", actions.list)
	admin.POST("/campaigns/:slug/actions", actions.add, requireEditor)
	admin.GET("/campaigns/:slug/actions/:id", actions.edit, requireEditor)
	admin.POST("/campaigns/:slug/actions/:id", actions.save, requireEditor)
	admin.POST("/campaigns/:slug/actions/:id/delete", actions.delete, requireEditor)
	admin.POST("/campaigns/:slug/responses/no-reply", h.logNoReply, requireEditor)
	admin.GET("/campaigns/:slug/responses", responses.list)
	admin.POST("/campaigns/:slug/responses", responses.add, requireEditor)
	admin.GET("/campaigns/:slug/responses/:id", responses.edit, requireEditor)
	admin.POST("/campaigns/:slug/responses/:id", responses.save, requireEditor)
	admin.POST("/campaigns/:slug/responses/:id/delete", responses.delete, requireEditor)
	admin.GET("/campaigns/:slug/audit", h.campaignAudit)
	admin.GET("/campaigns/:slug/signatures", h.signaturesPage)
	admin.GET("/campaigns/:slug/signatures.csv", h.exportSignatures, requireEditor)
	admin.GET("/campaigns/:slug/signatures.xlsx", h.exportSignaturesXLSX, requireEditor)
	admin.GET("/campaigns/:slug/imports/:id", h.importJobPage)
	admin.GET("/campaigns/:slug/imports/:id/rejects.csv", h.importRejects, requireEditor)
	// The signature upload takes up to 50 MB. Its limit must act before
	// anything reads the body, and the admin group's CSRF check reads the
	// form, so the route carries the group's guards itself, in this order:
	// the upload's own time limit (server.go), the size limit, the session, a signed-in editor (so no one else's upload is
	// read at all), the form parsed mostly to disk, then the CSRF check.
	e.POST(signatureUploadPath, h.importSignatures,
		append(append([]echo.MiddlewareFunc{h.slowUpload, middleware.BodyLimit(signatureUploadLimit)}, session...), h.requireUser, requireEditor, parseUpload, h.sessionCSRF, h.pagesFollowChanges)...)
	// Signers' mail: the outbox's counts for everyone signed in; the
	// messages, which carry addresses, for organisers and admins
	// (admin_mail.go). News to a campaign's signers, "Tell the signers",
	// written from a delivery or a response (admin_news.go).
	admin.GET("/mail", h.mailPage)
	admin.POST("/mail/retry", h.retryMail, requireEditor)
	admin.GET("/mail/messages", h.mailMessages, requireEditor)
	admin.GET("/mail/:id", h.mailMessage, requireEditor)
	admin.GET("/campaigns/:slug/news", h.newsList)
	admin.GET("/campaigns/:slug/news/new", h.newsForm, requireEditor)
	admin.POST("/campaigns/:slug/news/preview", h.previewNews, requireEditor)
	admin.POST("/campaigns/:slug/news", h.sendNews, requireEditor)
	admin.GET("/campaigns/:slug/news/:id", h.newsPage)
	// Who is one person: the email identity rules, site-wide
	// (admin_email_rules.go).
	admin.GET("/email-rules", h.emailRulesPage)
	admin.POST("/email-rules", h.addEmailRule, requireEditor)
	admin.POST("/email-rules/:id/delete", h.deleteEmailRule, requireEditor)
	admin.GET("/users", h.listUsers, requireAdmin)
	admin.POST("/users", h.createUser, requireAdmin)
	admin.POST("/users/:id", h.updateUser, requireAdmin)

	return e
}

// ipExtractor decides which address a request comes from. With no trusted
// proxies it is the peer address, so a forged X-Forwarded-For changes
// nothing; behind trusted proxies it is the last untrusted hop.
func (h *Handler) ipExtractor() echo.IPExtractor {
	if len(h.config.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range h.config.TrustedProxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
