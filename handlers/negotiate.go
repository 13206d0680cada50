package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"campaigntrack/negotiate"
)

// negotiated runs the rest of the chain inside negotiate.Gzip, which
// compresses responses and answers 304s (see there). It is
// echo.WrapMiddleware but for one thing: a handler's error becomes its
// page here, inside the gzip writer, so an error page goes out through the
// same writer, before the stream is closed, not after it. The chain's
// error is then handled, so nil goes on to the request logger, which
// reads the status from the response.
func negotiated(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		outer := c.Response()
		negotiate.Gzip(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c.SetResponse(echo.NewResponse(w, c.Echo()))
			if err := next(c); err != nil {
				c.Error(err)
			}
		})).ServeHTTP(outer, c.Request())
		c.SetResponse(outer)
		return nil
	}
}
