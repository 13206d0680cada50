package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
)

// langCookie remembers a visitor's choice of language, made with the
// switch every public page carries (?lang=), for their next visit to "/".
const langCookie = "lang"

// language reads the request's language before routing (an Echo Pre
// middleware):
//   - "/es/..." is Spanish: the prefix is taken off, so the route is the
//     English one, and the language goes in the request's context, where
//     every view and redirect reads it. Only the public pages have a
//     Spanish address; "/es/admin", "/es/api" and the like are 404, as is
//     a prefix that is not a language of ours ("/fr/..." matches no route).
//   - "?lang=xx" on a GET is the switch: it stores the choice in a cookie
//     and sends the visitor to the same address without it, once.
//   - "/" for a visitor who chose Spanish goes to "/es"; "/es" never
//     redirects, so there is no loop. A visitor with no choice yet whose
//     browser prefers Spanish is shown the English page with an offer of
//     the Spanish one, never redirected: the same address serves everyone
//     (and search engines) the same language.
func (h *Handler) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		lang, rest, prefixed := locale.Split(r.URL.Path)
		req := locale.Request{Lang: lang, Path: rest, Base: h.config.PublicURL().String()}
		if prefixed {
			if !hasLanguages(rest) {
				c.SetRequest(r.WithContext(locale.With(r.Context(), req)))
				return echo.ErrNotFound
			}
			r.URL.Path = rest
			if r.URL.RawPath != "" {
				_, r.URL.RawPath, _ = locale.Split(r.URL.RawPath)
			}
		}
		if s := r.URL.Query().Get("lang"); s != "" && hasLanguages(rest) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			c.SetRequest(r.WithContext(locale.With(r.Context(), req)))
			return h.switchLanguage(c, rest, s)
		}
		if !prefixed && hasLanguages(rest) {
			c.Response().Header().Add(echo.HeaderVary, "Cookie")
			chosen, ok := h.chosenLanguage(r)
			if rest == "/" && ok && chosen != locale.English {
				c.Response().Header().Set("Cache-Control", "no-cache")
				return c.Redirect(http.StatusFound, chosen.In("/"))
			}
			if !ok {
				c.Response().Header().Add(echo.HeaderVary, "Accept-Language")
				if pref, named := locale.Preferred(r.Header.Get("Accept-Language")); named && pref != locale.English {
					req.Offer = pref
				}
			}
		}
		c.SetRequest(r.WithContext(locale.With(r.Context(), req)))
		return next(c)
	}
}

// hasLanguages says whether a path (without prefix) is a public page that
// is written in every language: the home page and a campaign's pages.
func hasLanguages(path string) bool {
	return path == "/" || strings.HasPrefix(path, "/campaigns/")
}

// chosenLanguage is the language a visitor chose with the switch.
func (h *Handler) chosenLanguage(r *http.Request) (locale.Lang, bool) {
	ck, err := r.Cookie(langCookie)
	if err != nil {
		return "", false
	}
	return locale.Parse(ck.Value)
}

// switchLanguage stores the language chosen with ?lang= (an unknown one
// is ignored) and sends the visitor to the page in that language, without
// the parameter. path is a public page's path without prefix, so the
// redirect stays on this site.
func (h *Handler) switchLanguage(c echo.Context, path, s string) error {
	to := locale.Of(c.Request().Context())
	if l, ok := locale.Parse(s); ok {
		to = l
		c.SetCookie(&http.Cookie{
			Name: langCookie, Value: string(l), Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, Secure: h.config.SecureCookies, SameSite: http.SameSiteLaxMode,
		})
	}
	q := c.Request().URL.Query()
	q.Del("lang")
	u := url.URL{Path: to.In(path), RawQuery: q.Encode()}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Redirect(http.StatusSeeOther, u.String())
}
