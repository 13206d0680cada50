package handlers

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// requestLogger logs one line per request with its request id, within
// the access log's budget (logging.go). Errors are logged by the error
// handler, once, not here.
func (h *Handler) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus:    true,
		LogURI:       true,
		LogMethod:    true,
		LogLatency:   true,
		LogRequestID: true,
		LogRemoteIP:  true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			h.logs.access.log(c.Request().Context(), h.log, slog.LevelInfo, "request",
				slog.String("method", clip(v.Method)),
				slog.String("uri", clip(v.URI)),
				slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency.Round(time.Microsecond)),
				slog.String("ip", v.RemoteIP),
				slog.String("request_id", v.RequestID),
			)
			return nil
		},
	})
}

// securityHeaders sets the headers every response carries: pages may load
// only the app's own assets and may not be framed.
func (h *Handler) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	hsts := h.config.SecureCookies
	return func(c echo.Context) error {
		h := c.Response().Header()
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		return next(c)
	}
}

// ctxHead marks a HEAD request that is being routed as a GET.
const ctxHead = "head"

// headAsGet and headAgain let every GET route answer HEAD, as RFC 9110
// asks; Echo routes HEAD nowhere by itself (405). headAsGet, a Pre
// middleware, runs before routing: the request is routed as a GET.
// headAgain, the first middleware after routing, makes it a HEAD again
// before any handler sees it, because net/http holds the same request and
// sends no body only while its method is HEAD.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if r := c.Request(); r.Method == http.MethodHead {
			r.Method = http.MethodGet
			c.Set(ctxHead, true)
		}
		return next(c)
	}
}

func headAgain(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Get(ctxHead) == true {
			c.Request().Method = http.MethodHead
		}
		return next(c)
	}
}
