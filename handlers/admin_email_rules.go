package handlers

import (
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// The email identity rules decide when two signatures are one person
// (models/identity.go). They are site-wide: one page, outside any
// campaign; organisers and admins change them, everyone signed in reads
// them.

const emailRulesPath = "/admin/email-rules"

// emailRulesPage lists the built-in and organisers' rules with the form to
// add one.
func (h *Handler) emailRulesPage(c echo.Context) error {
	return h.renderEmailRules(c, views.EmailRuleForm{}, nil)
}

func (h *Handler) renderEmailRules(c echo.Context, form views.EmailRuleForm, errs models.FieldErrors) error {
	custom, builtIn, err := h.store.EmailRulesInForce(c.Request().Context())
	if err != nil {
		return err
	}
	return renderForm(c, errs, views.EmailRulesPage(views.EmailRulesView{
		Frame: h.frame(c, locale.T(ctxOf(c), "admin_rules.heading"), nil, ""), Custom: custom, BuiltIn: builtIn, Form: form, Errors: errs,
	}))
}

// addEmailRule stores a rule (replacing the domain's rule, if any); the
// Store re-identifies and merges the signatures it touches, and the flash
// says how many.
func (h *Handler) addEmailRule(c echo.Context) error {
	form := views.EmailRuleForm{
		Domain: field(c, "domain"), AliasOf: field(c, "alias_of"), TagSeps: field(c, "tag_seps"),
		IgnoreDots: c.FormValue("ignore_dots") == "on",
	}
	change, err := h.store.AddEmailRule(c.Request().Context(), actor(c), models.EmailRule{
		Domain: form.Domain, AliasOf: form.AliasOf, IgnoreDots: form.IgnoreDots, TagSeps: form.TagSeps,
	})
	if errs, ok := formErrors(err); ok {
		return h.renderEmailRules(c, form, errs)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, emailRulesPath, locale.T(ctxOf(c), "admin_rules.flash_added", "Domain", change.Rule.Domain, "Changed", changedText(c, change), "Merged", mergedText(c, change)))
}

// deleteEmailRule removes an organisers' rule; the signatures it touched
// get their identity without it.
func (h *Handler) deleteEmailRule(c echo.Context) error {
	id, err := recordID(c)
	if err != nil {
		return err
	}
	if !confirmed(c) {
		custom, _, err := h.store.EmailRulesInForce(c.Request().Context())
		if err != nil {
			return err
		}
		for _, r := range custom {
			if r.ID == id {
				return h.askToConfirm(c, nil, confirmation{
					question: locale.T(ctxOf(c), "admin_rules.confirm_remove", "Domain", r.Domain),
					warning:  locale.T(ctxOf(c), "admin_rules.confirm_remove_warning"),
					action:   c.Request().URL.Path, button: locale.T(ctxOf(c), "admin_rules.confirm_remove_button"), danger: true, back: emailRulesPath,
				})
			}
		}
		return recordErr(models.ErrNotFound)
	}
	change, err := h.store.DeleteEmailRule(c.Request().Context(), actor(c), id)
	if err != nil {
		return recordErr(err)
	}
	return h.redirectWithFlash(c, emailRulesPath, locale.T(ctxOf(c), "admin_rules.flash_removed", "Domain", change.Rule.Domain, "Changed", changedText(c, change), "Merged", mergedText(c, change)))
}

// changedText and mergedText say what a rule change did to the
// signatures, each by its own count: "3 signatures changed identity", "1
// was merged into an earlier signature of the same person".
func changedText(c echo.Context, rc models.RuleChange) string {
	return locale.N(ctxOf(c), "admin_rules.changed", int64(rc.Changed))
}

func mergedText(c echo.Context, rc models.RuleChange) string {
	return locale.N(ctxOf(c), "admin_rules.merged", int64(rc.Merged))
}
