package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// activeTestID is the data-testid of the focused element, or of the
// nearest element around it that has one ("body" when focus is lost).
const activeTestID = `(() => {
	const a = document.activeElement;
	if (!a || a === document.body) return "body";
	const t = a.closest("[data-testid]");
	return t ? t.getAttribute("data-testid") : a.tagName.toLowerCase();
})()`

// focusedTestID is activeTestID once it is want, or what it is after two
// seconds: htmx moves focus when the swap settles, a moment after the new
// content is visible.
func focusedTestID(t *testing.T, ctx context.Context, want string) string {
	t.Helper()
	var got string
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if got = evaluate[string](t, ctx, activeTestID); got == want || time.Now().After(deadline) {
			return got
		}
	}
}

// waitFor polls a JavaScript condition for up to 20 seconds, in whatever
// document the tab holds then (a chromedp wait on a selector can hang when
// the document it started in is navigated away).
func waitFor(t *testing.T, ctx context.Context, cond, what string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !evaluate[bool](t, ctx, cond); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: not there after 20 s", what)
		}
	}
}

// TestBrowserFocusAfterInPlaceSign (issue 16): on a phone, with htmx, a
// signature refused for a wrong field puts focus on the error summary, and
// the corrected signature puts it on the thanks; focus is never left on
// the page's body after the form is swapped.
func TestBrowserFocusAfterInPlaceSign(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	base := startServer(t)
	navigate(t, ctx, base+demoPath, http.StatusOK)
	waitFor(t, ctx, `typeof htmx !== "undefined" && document.readyState === "complete"`, "htmx")
	fillSignForm(t, ctx, "not an email")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("[data-testid=sign-form] button[type=submit]"))); err != nil {
		t.Fatalf("signing with a wrong email: %v", err)
	}
	waitFor(t, ctx, `!!document.querySelector("#sign [data-testid=error-summary]")`, "the error summary")
	if got := focusedTestID(t, ctx, "error-summary"); got != "error-summary" {
		t.Errorf("after a refused in-place signature focus is on %q, want the error summary", got)
	}
	if got := evaluate[string](t, ctx, `document.querySelector("#email").getAttribute("aria-invalid")`); got != "true" {
		t.Errorf("the wrong email field has aria-invalid=%q", got)
	}

	evaluate[string](t, ctx, `document.querySelector("#email").value = ""`)
	typeInto(t, ctx, "#email", "rosa.focus@example.org")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("[data-testid=sign-form] button[type=submit]"))); err != nil {
		t.Fatalf("signing again: %v", err)
	}
	waitFor(t, ctx, `!!document.querySelector("[data-testid=sign-thanks]")`, "the thanks")
	if loc := location(t, ctx); !strings.HasSuffix(loc, demoPath) {
		t.Errorf("signing in place navigated to %s; it should stay on the page", loc)
	}
	if got := focusedTestID(t, ctx, "sign-thanks-heading"); got != "sign-thanks-heading" {
		t.Errorf("after an in-place signature focus is on %q, want the thanks heading", got)
	}
	assertNoHorizontalOverflow(t, ctx, "campaign page after signing in place")
}

// TestBrowserFocusAfterRefusedSignWithoutJavaScript: without JavaScript the
// refused form comes back as a page whose error summary has the focus.
func TestBrowserFocusAfterRefusedSignWithoutJavaScript(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	base := startServer(t)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})); err != nil {
		t.Fatalf("disabling JavaScript: %v", err)
	}
	navigate(t, ctx, base+demoPath, http.StatusOK)
	fillSignForm(t, ctx, "not an email")
	clickAndLoad(t, ctx, "[data-testid=sign-form] button[type=submit]", http.StatusUnprocessableEntity)
	if got := count(t, ctx, "[data-testid=error-summary]"); got != 1 {
		t.Fatalf("%d error summaries on the refused form's page", got)
	}
	if got := evaluate[string](t, ctx, activeTestID); got != "error-summary" {
		t.Errorf("without JavaScript, the refused form's page has focus on %q, want the error summary", got)
	}
}
