package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
)

// Cross-site request forgery. Two guards stand before every state change:
//
//  1. The browser says where the request came from. Go's
//     http.CrossOriginProtection refuses a POST whose Sec-Fetch-Site is
//     anything but same-origin (so a sibling subdomain, same-site, is
//     refused) or, from browsers without that header, whose Origin is not
//     this site. The configured base URL counts as this site, for proxies
//     that rewrite Host.
//  2. A token that a page of this site put in the form (_csrf) or htmx put
//     in the X-CSRF-Token header; never read from the query string.
//     - In the organiser area the token lives in the signed-in session on
//       the server (synchroniser token): a cookie someone planted, or an
//       empty one, matches nothing.
//     - The public forms (sign, sign-in) have no session. Their token is
//       an HMAC, under a key kept in the database, of a random nonce in
//       the campaigntrack_csrf cookie: a token cannot be made for a
//       cookie without the key, and an empty cookie has no token.
//
// Echo's CSRF middleware (a plain double-submit cookie that also reads
// the query string) was replaced because a same-site attacker can plant
// that cookie.

const (
	csrfCookie  = "campaigntrack_csrf"
	sessionCSRF = "csrf"
	csrfField   = "_csrf"
	csrfHeader  = "X-CSRF-Token"
)

// csrfRefused refuses a form that has expired or came from elsewhere, in
// the request's language (the sign form is public).
func csrfRefused(ctx context.Context, err error) error {
	return refuse(http.StatusForbidden, locale.T(ctx, "error.csrf")).because(err)
}

// newCrossOrigin builds the browser-side check.
func (h *Handler) newCrossOrigin() *http.CrossOriginProtection {
	p := http.NewCrossOriginProtection()
	u := h.config.PublicURL()
	_ = p.AddTrustedOrigin(u.Scheme + "://" + u.Host) // a parsed base URL is always a valid origin
	return p
}

// submittedToken is the token a form or htmx sent back: the form body or
// the header, never the query string.
func submittedToken(c echo.Context) string {
	if t := c.Request().Header.Get(csrfHeader); t != "" {
		return t
	}
	return c.Request().PostFormValue(csrfField)
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sessionCSRF guards the organiser area with the token kept in the
// session. It runs after the session is loaded; with no one signed in
// there is nothing to protect (routes that need a user check that first),
// and no session is created for a visitor.
func (h *Handler) sessionCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) == nil {
			return next(c)
		}
		ctx := c.Request().Context()
		token := h.sessions.GetString(ctx, sessionCSRF)
		if !isSafeMethod(c.Request().Method) {
			if err := h.crossOrigin.Check(c.Request()); err != nil {
				return csrfRefused(c.Request().Context(), err)
			}
			if token == "" || !hmac.Equal([]byte(submittedToken(c)), []byte(token)) {
				return csrfRefused(c.Request().Context(), errTokenMismatch)
			}
		}
		if token == "" { // a session made before tokens lived in it
			token = newNonce()
			h.sessions.Put(ctx, sessionCSRF, token)
		}
		c.Set(ctxCSRF, token)
		return next(c)
	}
}

// publicCSRF guards the public forms with a token tied to the visitor's
// nonce cookie, setting the cookie on a first visit.
func (h *Handler) publicCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key, err := h.csrfKey(c.Request().Context())
		if err != nil {
			return err
		}
		nonce := ""
		if ck, err := c.Cookie(csrfCookie); err == nil && validNonce(ck.Value) {
			nonce = ck.Value
		}
		if !isSafeMethod(c.Request().Method) {
			if err := h.crossOrigin.Check(c.Request()); err != nil {
				return csrfRefused(c.Request().Context(), err)
			}
			if nonce == "" || !hmac.Equal([]byte(submittedToken(c)), []byte(nonceToken(key, nonce))) {
				return csrfRefused(c.Request().Context(), errTokenMismatch)
			}
		}
		if nonce == "" {
			nonce = newNonce()
			c.SetCookie(&http.Cookie{
				Name: csrfCookie, Value: nonce, Path: "/", HttpOnly: true, Secure: h.config.SecureCookies,
				SameSite: http.SameSiteLaxMode, MaxAge: int(SessionLifetime.Seconds()),
			})
		}
		c.Set(ctxCSRF, nonceToken(key, nonce))
		return next(c)
	}
}

type csrfError string

func (e csrfError) Error() string { return string(e) }

const errTokenMismatch = csrfError("the CSRF token is missing or does not match")

// csrfKey is the database's key for public form tokens, read on first
// use and then kept.
func (h *Handler) csrfKey(ctx context.Context) ([]byte, error) {
	return h.formKey.get(func() ([]byte, error) { return h.store.Secret(ctx, "csrf") })
}

// nonceLen is the length of a nonce: 32 random bytes in unpadded base64url.
const nonceLen = 43

func newNonce() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on Linux
	return base64.RawURLEncoding.EncodeToString(b)
}

func validNonce(s string) bool {
	if len(s) != nonceLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// nonceToken is the form token for a nonce.
func nonceToken(key []byte, nonce string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("campaigntrack public form\x00"))
	m.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
