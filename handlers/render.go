package handlers

import (
	"bytes"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// render renders a component into a buffer and only then writes it, so a
// failed render never leaves half a page, and the status is the caller's.
func render(c echo.Context, status int, component templ.Component) error {
	var buf bytes.Buffer
	if err := component.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// pageNotFound is the error a handler returns for a record that does not
// exist.
func pageNotFound(what string) error {
	return refuse(http.StatusNotFound, what)
}
