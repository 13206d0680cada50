package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// fillSignForm types a signer's details into the campaign page's form.
func fillSignForm(t *testing.T, ctx context.Context, email string) {
	t.Helper()
	typeInto(t, ctx, "#first_name", "Rosa")
	typeInto(t, ctx, "#last_name", "Parks")
	typeInto(t, ctx, "#email", email)
	typeInto(t, ctx, "#city", "Seattle")
	typeInto(t, ctx, "#region", "WA")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#show_name"))); err != nil {
		t.Fatalf("ticking show_name: %v", err)
	}
}

// TestBrowserSignWithJavaScript: with htmx the form is sent in place, the
// thanks replaces it and the count on the same page goes up.
func TestBrowserSignWithJavaScript(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	base := startServer(t)
	navigate(t, ctx, base+demoPath, http.StatusOK)
	// Nothing recorded yet: no "0" line, only the place the count goes.
	if n := evaluate[int](t, ctx, `document.querySelectorAll("[data-testid=recorded-count]").length`); n != 0 {
		t.Fatalf("count before signing: %d count lines, want none", n)
	}
	if !evaluate[bool](t, ctx, `typeof htmx !== "undefined"`) {
		t.Fatal("htmx did not load on the campaign page")
	}
	fillSignForm(t, ctx, "rosa.js@example.org")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("[data-testid=sign-form] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=sign-thanks]")),
	); err != nil {
		t.Fatalf("signing with JavaScript: %v", err)
	}
	if loc := location(t, ctx); !strings.HasSuffix(loc, demoPath) {
		t.Errorf("signing with htmx navigated to %s; it should stay on the page", loc)
	}
	if got := text(t, ctx, "[data-testid=recorded-count]"); got != "1" {
		t.Errorf("count after signing = %q, want 1", got)
	}
	assertNoHorizontalOverflow(t, ctx, "campaign page after signing")
}

// TestBrowserSignWithoutJavaScript: the form posts, the browser is
// redirected to the thank-you page, which shows the new count; a second
// signature with the same email gets the same thanks and is counted once.
func TestBrowserSignWithoutJavaScript(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	base := startServer(t)
	disableScripts := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	if err := chromedp.Do(ctx, disableScripts); err != nil {
		t.Fatalf("disabling JavaScript: %v", err)
	}
	for i, want := range []string{"sign-thanks", "sign-thanks"} {
		navigate(t, ctx, base+demoPath, http.StatusOK)
		fillSignForm(t, ctx, "ROSA.nojs@example.org ")
		clickAndLoad(t, ctx, "[data-testid=sign-form] button[type=submit]", http.StatusOK)
		if loc := location(t, ctx); !strings.Contains(loc, "/campaigns/no-tech-for-ice/signed") {
			t.Fatalf("signature %d landed on %s", i+1, loc)
		}
		if got := count(t, ctx, "[data-testid="+want+"]"); got != 1 {
			t.Errorf("signature %d: no %s on the thank-you page", i+1, want)
		}
		if got := text(t, ctx, "[data-testid=recorded-count]"); got != "1" {
			t.Errorf("signature %d: the thank-you page shows the count %q, want 1", i+1, got)
		}
	}
	// A refused form comes back with the message beside the field.
	navigate(t, ctx, base+demoPath, http.StatusOK)
	typeInto(t, ctx, "#first_name", "=SUM(A1)")
	typeInto(t, ctx, "#email", "someone@example.org")
	clickAndLoad(t, ctx, "[data-testid=sign-form] button[type=submit]", http.StatusUnprocessableEntity)
	if got := text(t, ctx, "[data-testid=field-first_name] [data-testid=field-error]"); !strings.Contains(got, "cannot start with") {
		t.Errorf("formula name: message %q", got)
	}
}
