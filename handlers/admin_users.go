package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

func (h *Handler) usersPage(c echo.Context, form views.UserForm, errs models.FieldErrors) error {
	users, err := h.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	return renderForm(c, errs, views.UsersPage(views.UsersView{
		Frame: h.frame(c, locale.T(ctxOf(c), "admin.nav.users"), nil, ""), Users: users, Form: form, Errors: errs,
	}))
}

// listUsers shows every account to an admin.
func (h *Handler) listUsers(c echo.Context) error {
	return h.usersPage(c, views.UserForm{Role: models.RoleOrganiser}, nil)
}

// createUser adds an account.
func (h *Handler) createUser(c echo.Context) error {
	form := views.UserForm{Email: field(c, "email"), Role: field(c, "role")}
	_, err := h.store.CreateUser(c.Request().Context(), actor(c), form.Email, form.Role, c.FormValue("password"))
	if errors.Is(err, models.ErrEmailTaken) {
		err = models.FieldErrors{"email": err.Error()}
	}
	if errs, ok := formErrors(err); ok {
		return h.usersPage(c, form, errs)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/admin/users", locale.T(ctxOf(c), "admin_users.flash_created", "Email", models.NormaliseEmail(form.Email)))
}

// updateUser changes an account's role and whether it is disabled.
func (h *Handler) updateUser(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := recordID(c)
	if err != nil {
		return err
	}
	u, err := h.store.UserByID(ctx, id)
	if err != nil {
		return recordErr(err)
	}
	disabled := c.FormValue("disabled-"+strconv.FormatUint(uint64(id), 10)) == "on"
	if role := field(c, "role"); role != u.Role {
		err = h.store.SetRole(ctx, actor(c), id, role)
	}
	if err == nil && disabled != u.Disabled {
		err = h.store.SetDisabled(ctx, actor(c), id, disabled)
	}
	if errs, ok := formErrors(err); ok {
		return h.usersPage(c, views.UserForm{Role: models.RoleOrganiser}, errs)
	}
	if errors.Is(err, models.ErrLastAdmin) {
		return refuse(http.StatusConflict, err.Error())
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/admin/users", locale.T(ctxOf(c), "admin_users.flash_saved", "Email", u.Email))
}
