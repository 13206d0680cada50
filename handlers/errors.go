package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"campaigntrack/models"
	"campaigntrack/views"
)

// errorHandler is the one place errors become responses: it logs each
// error once (5xx as errors, 4xx as warnings, each within a budget of
// lines a second, values cut to length: a flood must not fill the disk),
// even when the response has already started, and renders an error page,
// or JSON under /api.
func (h *Handler) errorHandler(err error, c echo.Context) {
	var moved *campaignMoved
	if errors.As(err, &moved) {
		h.redirectMoved(c, moved)
		return
	}
	status := http.StatusInternalServerError
	message := ""
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status = he.Code
		if m, ok := he.Message.(string); ok {
			message = m
		}
	case errors.Is(err, models.ErrNotFound):
		status = http.StatusNotFound
	}
	req := c.Request()
	attrs := []slog.Attr{
		slog.Int("status", status),
		slog.String("method", clip(req.Method)),
		slog.String("uri", clip(req.RequestURI)),
		slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
		slog.String("error", clip(err.Error())),
	}
	if status >= 500 {
		h.logs.failed.log(req.Context(), h.log, slog.LevelError, "request failed", attrs...)
	} else {
		h.logs.refused.log(req.Context(), h.log, slog.LevelWarn, "request refused", attrs...)
	}
	if c.Response().Committed {
		return // part of the answer has gone out: it cannot become an error page
	}

	view := errorView(status, message)
	if strings.HasPrefix(req.URL.Path, "/api/") {
		err = c.JSON(status, map[string]string{"error": view.Message})
	} else {
		// A HEAD too: net/http sends the headers a GET gets, and no body.
		err = render(c, status, views.ErrorPage(view))
	}
	if err != nil {
		h.log.Error("rendering the error page failed", slog.String("error", err.Error()))
	}
}

// redirectMoved sends a request for a renamed campaign's old address on.
// It is not logged: it is no fault, and the access log has it. Browsers
// keep a 301 for ever unless told otherwise; no-cache makes them ask again,
// or a campaign renamed back (a to b, then b to a) would loop in every
// browser that had followed a to b.
func (h *Handler) redirectMoved(c echo.Context, m *campaignMoved) {
	if c.Response().Committed {
		return
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	if err := c.Redirect(m.code, m.location); err != nil {
		h.log.Error("redirecting a renamed campaign failed", slog.String("error", err.Error()))
	}
}

// errorView picks the words for an error page. The message of a 5xx is
// never shown: it may hold internals.
func errorView(status int, message string) views.ErrorView {
	v := views.ErrorView{Status: status, Title: http.StatusText(status)}
	switch {
	case status == http.StatusNotFound:
		v.Title = "Page not found"
		v.Message = "There is no page at this address. It may have moved, or the link may be mistyped."
		if message != "" && message != http.StatusText(status) {
			v.Message = message
		}
	case status == http.StatusServiceUnavailable && message != "" && message != http.StatusText(status):
		// A 503 the application raised itself says what happened in words
		// written for the visitor ("your signature could not be saved …");
		// the cause stays in the log.
		v.Title = "Not saved: please try again"
		v.Message = message
	case status >= 500:
		v.Title = "Something went wrong"
		v.Message = "The page could not be shown because of a fault on our side. Please try again in a moment."
	default:
		v.Message = message
		if v.Message == "" {
			v.Message = http.StatusText(status)
		}
	}
	if v.Title == "" {
		v.Title = "Error"
	}
	return v
}
