package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// notSaved is what an organiser is told when the database takes no
// writes (see models.IsUnwritable): the cause in words, that nothing
// changed, and what to do.
const notSaved = "Your change could not be saved: the database cannot take changes just now (its disk may be full, or it is read-only). Nothing was changed. Please try again in a few minutes; if this goes on, tell whoever runs the server."

// retryAfterSeconds is the Retry-After of every 503.
const retryAfterSeconds = "60"

// errorHandler is the one place errors become responses: it logs each
// error once (5xx as errors, 4xx as warnings, each within a budget of
// lines a second, values cut to length: a flood must not fill the disk),
// even when the response has already started, and renders an error page,
// or JSON under /api. A renamed campaign's old address is redirected.
func (h *Handler) errorHandler(err error, c echo.Context) {
	var moved *campaignMoved
	if errors.As(err, &moved) {
		h.redirectMoved(c, moved)
		return
	}
	status, message := classify(err)
	h.logError(c.Request(), c.Response().Header(), status, err)
	if c.Response().Committed {
		return // part of the answer has gone out: it cannot become an error page
	}
	h.writeError(c.Response(), c.Request(), status, message)
}

// refusal is a request the application refuses: the status, the words the
// visitor is shown, and the cause, which is logged and never shown. It is
// ours rather than echo.HTTPError so that handlers do not depend on how an
// Echo version builds its errors (v5 makes the message a string and drops
// SetInternal); only Echo's own refusals (no route, wrong method, a body
// over its limit) arrive as echo.HTTPError.
type refusal struct {
	code    int
	message string
	cause   error
}

// refuse is a refusal with status code and message.
func refuse(code int, message string) *refusal { return &refusal{code: code, message: message} }

// because records what caused the refusal, for the log.
func (r *refusal) because(err error) *refusal { r.cause = err; return r }

func (r *refusal) Error() string {
	s := "code=" + strconv.Itoa(r.code) + ", message=" + r.message
	if r.cause != nil {
		s += ", cause=" + r.cause.Error()
	}
	return s
}

func (r *refusal) Unwrap() error { return r.cause }

// classify picks the status and the words for an error.
func classify(err error) (status int, message string) {
	var r *refusal
	var he *echo.HTTPError
	switch {
	case errors.As(err, &r):
		return r.code, r.message
	case errors.As(err, &he):
		message, _ = he.Message.(string)
		return he.Code, message
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, ""
	case models.IsUnwritable(err):
		return http.StatusServiceUnavailable, notSaved
	}
	return http.StatusInternalServerError, ""
}

// sessionError answers a request whose session could not be loaded or
// saved (scs's ErrorFunc), with the same page as errorHandler: the
// session is saved on every admin request, so a database that takes no
// writes shows here first. Through saveSession, this page is the whole
// answer.
func (h *Handler) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	g, _ := w.(*sessionGuard)
	if g != nil && g.closed {
		return // answered already, on an earlier try of the same request
	}
	status, message := http.StatusServiceUnavailable, notSaved
	if !models.IsUnwritable(err) {
		message = "The page could not be shown because the database did not answer. Nothing was changed. Please try again in a moment."
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		status = http.StatusBadRequest // the client has gone; nobody reads this
	}
	h.logError(r, w.Header(), status, err)
	h.writeError(w, r, status, message)
	if g != nil {
		g.closed = true
	}
}

// logError logs a failed request once: 5xx as an error, 4xx as a
// warning, within the log budgets and with client values cut (logging.go).
func (h *Handler) logError(req *http.Request, header http.Header, status int, err error) {
	attrs := []slog.Attr{
		slog.Int("status", status),
		slog.String("method", clip(req.Method)),
		slog.String("uri", clip(req.RequestURI)),
		slog.String("request_id", header.Get(echo.HeaderXRequestID)),
		slog.String("error", clip(err.Error())),
	}
	if status >= 500 {
		h.logs.failed.log(req.Context(), h.log, slog.LevelError, "request failed", attrs...)
	} else {
		h.logs.refused.log(req.Context(), h.log, slog.LevelWarn, "request refused", attrs...)
	}
}

// writeError writes the error page (JSON under /api, nothing for HEAD).
// Every 503 says when to try again.
func (h *Handler) writeError(w http.ResponseWriter, req *http.Request, status int, message string) {
	view := errorView(req.Context(), status, message)
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	var body bytes.Buffer
	contentType := echo.MIMETextHTMLCharsetUTF8
	var err error
	switch {
	case strings.HasPrefix(req.URL.Path, "/api/"):
		contentType = echo.MIMEApplicationJSON
		err = json.NewEncoder(&body).Encode(map[string]string{"error": view.Message})
	case req.Method != http.MethodHead:
		err = views.ErrorPage(view).Render(req.Context(), &body)
	}
	if err != nil {
		h.log.Error("rendering the error page failed", slog.String("error", err.Error()))
		body.Reset()
	}
	w.Header().Set(echo.HeaderContentType, contentType)
	w.WriteHeader(status)
	w.Write(body.Bytes())
}

// errorView picks the words for an error page. The message of a 5xx is
// never shown: it may hold internals.
// Its fixed words are in the request's language; a message a handler
// raised is shown as it was written (the public ones are translated where
// they are raised).
func errorView(ctx context.Context, status int, message string) views.ErrorView {
	v := views.ErrorView{Status: status, Title: http.StatusText(status)}
	switch {
	case status == http.StatusNotFound:
		v.Title = locale.T(ctx, "error.not_found")
		v.Message = locale.T(ctx, "error.not_found_text")
		if message != "" && message != http.StatusText(status) {
			v.Message = message
		}
	case status == http.StatusServiceUnavailable && message != "" && message != http.StatusText(status):
		// A 503 the application raised itself says what happened in words
		// written for the visitor ("your signature could not be saved …");
		// the cause stays in the log.
		v.Title = locale.T(ctx, "error.not_saved")
		v.Message = message
	case status >= 500:
		v.Title = locale.T(ctx, "error.fault")
		v.Message = locale.T(ctx, "error.fault_text")
	default:
		if t, ok := locale.Lookup(ctx, "error.title."+strconv.Itoa(status)); ok {
			v.Title = t
		}
		v.Message = message
		if v.Message == "" {
			v.Message = v.Title
		}
	}
	if v.Title == "" {
		v.Title = locale.T(ctx, "error.status", "Status", status)
	}
	return v
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
