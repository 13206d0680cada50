package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"campaigntrack/assets"
)

// Router builds the Echo instance with every route the application serves.
// This is the one place routes are listed.
func (h *Handler) Router() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = h.errorHandler
	// No proxy is trusted until one is configured: the client address is
	// the peer address, so a forged X-Forwarded-For changes nothing.
	e.IPExtractor = echo.ExtractIPDirect()

	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(middleware.RequestID())
	e.Use(h.requestLogger())
	e.Use(middleware.Recover())
	e.Use(securityHeaders)
	e.Use(middleware.BodyLimit("1M"))

	// Public pages.
	e.GET("/", h.home)
	e.GET("/campaigns/:slug", h.campaignPage)
	e.GET("/healthz", h.healthz)
	e.GET(assets.Prefix+"*", echo.WrapHandler(assets.Handler()))

	// Public JSON.
	api := e.Group("/api")
	api.GET("/campaigns/:slug", h.campaignJSON)

	return e
}
