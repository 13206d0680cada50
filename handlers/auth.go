package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// Session keys.
const (
	sessionUserID = "user_id"
	sessionAuthAt = "auth_at" // unix nanoseconds of sign-in
	sessionFlash  = "flash"
	sessionSaved  = "saved" // the list anchor of the record just saved (records.showSaved)
)

// Context keys for per-request values.
const (
	ctxUser = "user"
	ctxCSRF = "csrf"
)

// currentUser returns the signed-in user of the request, or nil.
func currentUser(c echo.Context) *models.User {
	u, _ := c.Get(ctxUser).(*models.User)
	return u
}

// csrfToken returns the token forms must send back as _csrf.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(ctxCSRF).(string)
	return t
}

// loadUser puts the signed-in user, if any, in the request context. A
// session of a disabled user, or one begun before the user's password
// changed, is ended here.
func (h *Handler) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id := h.sessions.GetInt64(ctx, sessionUserID)
		if id == 0 {
			return next(c)
		}
		u, err := h.store.UserByID(ctx, uint(id))
		if errors.Is(err, models.ErrNotFound) {
			h.sessions.Destroy(ctx)
			return next(c)
		}
		if err != nil {
			return err
		}
		authAt := time.Unix(0, h.sessions.GetInt64(ctx, sessionAuthAt))
		if u.Disabled || (u.SessionsNotBefore != nil && authAt.Before(*u.SessionsNotBefore)) {
			if err := h.sessions.Destroy(ctx); err != nil {
				return err
			}
			return next(c)
		}
		c.Set(ctxUser, u)
		return next(c)
	}
}

// wantsJSON reports whether the client asked for JSON rather than a page.
func wantsJSON(c echo.Context) bool {
	accept := c.Request().Header.Get(echo.HeaderAccept)
	return strings.Contains(accept, echo.MIMEApplicationJSON) && !strings.Contains(accept, echo.MIMETextHTML) ||
		strings.HasSuffix(c.Request().URL.Path, ".json")
}

// requireUser lets only signed-in users through: a page request is sent to
// the sign-in form and brought back afterwards, a JSON request gets 401.
func (h *Handler) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) != nil {
			c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
			return next(c)
		}
		if wantsJSON(c) || c.Request().Method != http.MethodGet {
			return refuse(http.StatusUnauthorized, "Sign in first.")
		}
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
	}
}

// requireEditor lets through admins and organisers: viewers read the
// admin area but change nothing.
func requireEditor(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u := currentUser(c); u == nil || !u.CanEdit() {
			return refuse(http.StatusForbidden, "Your role can read the admin area but not change it. Ask an admin for the organiser role.")
		}
		return next(c)
	}
}

// requireAdmin lets through admins only.
func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u := currentUser(c); u == nil || !u.IsAdmin() {
			return refuse(http.StatusForbidden, "Only admins manage users.")
		}
		return next(c)
	}
}

// safeNext keeps a post-sign-in destination inside the admin area, so the
// sign-in form cannot be used to send someone to another site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/admin") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/admin"
	}
	return u.RequestURI()
}

// loginForm shows the sign-in form.
func (h *Handler) loginForm(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return render(c, http.StatusOK, views.LoginPage(views.LoginView{CSRF: csrfToken(c), Next: safeNext(c.QueryParam("next"))}))
}

// login checks the credentials. Every failure reads the same, whatever
// was wrong; the tenth failure in a row for an account, or too many from
// one address, is refused without checking.
func (h *Handler) login(c echo.Context) error {
	ctx := c.Request().Context()
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	v := views.LoginView{CSRF: csrfToken(c), Email: email, Next: safeNext(c.FormValue("next")), Errors: models.FieldErrors{}}
	if email == "" {
		v.Errors.Add("email", locale.T(ctx, "admin_login.enter_email"))
	}
	if password == "" {
		v.Errors.Add("password", locale.T(ctx, "admin_login.enter_password"))
	}
	if len(v.Errors) > 0 {
		return render(c, http.StatusUnprocessableEntity, views.LoginPage(v))
	}
	// Per-address limits count the client's network (its /64 on IPv6).
	ip := clientNet(c.RealIP()).String()
	attempt, throttled, until, err := h.store.BeginLogin(ctx, email, ip)
	if err != nil {
		return err
	}
	if throttled {
		h.logs.refused.log(ctx, h.log, slog.LevelWarn, "sign-in throttled", slog.String("email", clip(models.NormaliseEmail(email))), slog.String("ip", ip))
		c.Response().Header().Set("Retry-After", retryAfter(until, h.now()))
		v.Message = locale.T(ctx, "admin_login.throttled", "Until", until.UTC().Format("15:04 MST"))
		return render(c, http.StatusTooManyRequests, views.LoginPage(v))
	}
	u, err := h.store.Authenticate(ctx, email, password)
	switch {
	case errors.Is(err, models.ErrBadCredentials):
		v.Message = locale.T(ctx, "admin_login.bad_credentials")
		return render(c, http.StatusUnauthorized, views.LoginPage(v))
	case errors.Is(err, models.ErrBusy):
		c.Response().Header().Set("Retry-After", "5")
		v.Message = locale.T(ctx, "admin_login.busy")
		return render(c, http.StatusServiceUnavailable, views.LoginPage(v))
	case err != nil:
		return err
	}
	if err := h.store.LoginSucceeded(ctx, attempt); err != nil {
		return err
	}
	// A new token at sign-in, so a token planted before cannot ride along,
	// and a CSRF token of the new session's own.
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Put(ctx, sessionUserID, int64(u.ID))
	h.sessions.Put(ctx, sessionAuthAt, h.now().UnixNano())
	h.sessions.Put(ctx, sessionCSRF, newNonce())
	h.log.Info("signed in", "user", u.Email, "ip", ip)
	return c.Redirect(http.StatusSeeOther, v.Next)
}

func retryAfter(until, now time.Time) string {
	secs := int(until.Sub(now).Seconds()) + 1
	if secs < 1 {
		secs = 1
	}
	return strconv.Itoa(secs)
}

// logout ends the session on the server, not only in the browser.
func (h *Handler) logout(c echo.Context) error {
	if err := h.sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/")
}

// flash keeps a one-line message for the next page the user sees.
func (h *Handler) flash(c echo.Context, msg string) {
	h.sessions.Put(c.Request().Context(), sessionFlash, msg)
}

func (h *Handler) popFlash(c echo.Context) string {
	return h.sessions.PopString(c.Request().Context(), sessionFlash)
}
