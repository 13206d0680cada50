package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"campaigntrack/mail/mailtest"
)

// spanishMailLink is a link a Spanish signer's mail carries: to the
// Spanish pages, under /es.
var spanishMailLink = regexp.MustCompile(`https?://[^/\s]+(/es/campaigns/[a-z0-9-]+/(confirm|withdraw)/[0-9]+\.[A-Za-z0-9_-]+)`)

// TestBrowserSignInSpanish: a signer on the Spanish page, with JavaScript
// on and then off, is told in Spanish what is wrong with a field, signs,
// and gets the confirmation mail in Spanish, with links to the Spanish
// pages, where confirming says so in Spanish.
func TestBrowserSignInSpanish(t *testing.T) {
	t.Parallel()
	for _, js := range []bool{true, false} {
		name := "JavaScript on"
		if !js {
			name = "JavaScript off"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := newBrowser(t)
			if !js {
				disable := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
					return err
				})
				if err := chromedp.Do(ctx, disable); err != nil {
					t.Fatalf("disabling JavaScript: %v", err)
				}
			}
			smtp := mailtest.Start(t)
			_, base := startServerProc(t, "campaigntrack (Spanish)", filepath.Join(t.TempDir(), "campaigntrack.db"), "--smtp-url", smtp.URL(), "--access-log=false")
			navigate(t, ctx, base+"/es"+demoPath, http.StatusOK)
			if lang := evaluate[string](t, ctx, `document.documentElement.lang`); lang != "es" {
				t.Fatalf("lang %q", lang)
			}
			if js {
				waitFor(t, ctx, `typeof htmx !== "undefined" && document.readyState === "complete"`, "htmx")
			}
			// A wrong email: the message is in Spanish.
			fillSignForm(t, ctx, "no es un correo")
			submit := "[data-testid=sign-form] button[type=submit]"
			if js {
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(submit))); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, `!!document.querySelector("#sign [data-testid=error-summary]")`, "the error summary")
			} else {
				clickAndLoad(t, ctx, submit, http.StatusUnprocessableEntity)
			}
			msg := text(t, ctx, "[data-testid=field-email] [data-testid=field-error]")
			if msg == "" || !looksSpanish(msg) {
				t.Errorf("the wrong email's message is not Spanish: %q", msg)
			}
			if lang := evaluate[string](t, ctx, `document.documentElement.lang`); lang != "es" {
				t.Errorf("after the refused form: lang %q", lang)
			}
			// Then right.
			typeInto(t, ctx, "#email", "rosa.es@example.org")
			if js {
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(submit)), chromedp.WaitVisible(chromedp.CSS("[data-testid=sign-thanks]"))); err != nil {
					t.Fatalf("signing: %v", err)
				}
			} else {
				clickAndLoad(t, ctx, submit, http.StatusOK)
				if loc := location(t, ctx); !strings.Contains(loc, "/es/campaigns/no-tech-for-ice/signed") {
					t.Errorf("signed, landed on %s", loc)
				}
			}
			if got := text(t, ctx, "[data-testid=sign-thanks]"); !looksSpanish(got) {
				t.Errorf("the thanks is not Spanish: %q", got)
			}
			m := smtp.Wait(t, 1, 30*time.Second)[0]
			if !looksSpanish(m.Text) {
				t.Errorf("the confirmation mail is not Spanish:\n%s", m.Text)
			}
			links := map[string]string{}
			for _, l := range spanishMailLink.FindAllStringSubmatch(m.Text, -1) {
				links[l[2]] = l[1]
			}
			if links["confirm"] == "" || links["withdraw"] == "" {
				t.Fatalf("the mail lacks its Spanish links:\n%s", m.Text)
			}
			navigate(t, ctx, base+links["confirm"], http.StatusOK)
			clickAndLoad(t, ctx, "[data-testid=signer-link-button]", http.StatusOK)
			if got := text(t, ctx, "[data-testid=signer-link-done]"); !looksSpanish(got) {
				t.Errorf("after confirming: %q", got)
			}
		})
	}
}

// looksSpanish: a text holding a word or letter that this site's English
// never uses and its Spanish always does somewhere.
func looksSpanish(s string) bool {
	s = strings.ToLower(s)
	for _, w := range []string{"firma", "correo", "gracias", "ción", "ñ", "válid", "dirección"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
