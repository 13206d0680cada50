package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// saveSession is scs's LoadAndSave for Echo (what echo.WrapMiddleware
// would make of it), with one difference. scs saves the session when the
// handler first writes its status; if that fails, it calls sessionError,
// which writes the error page, and then lets the handler's own status and
// page follow into the same response. Here the response scs writes to is a
// sessionGuard, which sessionError closes once its page is out, so the
// answer is that page alone.
func (h *Handler) saveSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		orig := c.Response()
		var err error
		h.sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c.SetRequest(r)
			c.SetResponse(echo.NewResponse(w, c.Echo()))
			err = next(c)
		})).ServeHTTP(&sessionGuard{ResponseWriter: orig}, c.Request())
		// The outer response is the one that knows what went out (the
		// access log reads its status), and the session has been saved:
		// an error page written now need not try to save it again.
		c.SetResponse(orig)
		return err
	}
}

// sessionGuard passes writes through until it is closed, then drops them.
type sessionGuard struct {
	http.ResponseWriter
	closed bool
}

func (g *sessionGuard) WriteHeader(code int) {
	if !g.closed {
		g.ResponseWriter.WriteHeader(code)
	}
}

func (g *sessionGuard) Write(b []byte) (int, error) {
	if g.closed {
		return len(b), nil // the handler's page, after the error page: dropped
	}
	return g.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (Flush).
func (g *sessionGuard) Unwrap() http.ResponseWriter { return g.ResponseWriter }
