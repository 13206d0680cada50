package e2e

import (
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"campaigntrack/mail/mailtest"
)

var mailLink = regexp.MustCompile(`https?://[^/\s]+(/campaigns/[a-z0-9-]+/(confirm|withdraw)/[0-9]+\.[A-Za-z0-9_-]+)`)

// TestBrowserSignConfirmWithdraw is a signer's whole way with mail on: in
// Chromium they sign, read the mail (a real SMTP server on loopback), open
// its link, press Confirm and see the count move; then withdraw.
func TestBrowserSignConfirmWithdraw(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	smtp := mailtest.Start(t)
	_, base := startServerProc(t, "campaigntrack (mail)", filepath.Join(t.TempDir(), "campaigntrack.db"), "--smtp-url", smtp.URL(), "--access-log=false")
	navigate(t, ctx, base+demoPath, http.StatusOK)
	fillSignForm(t, ctx, "rosa.mail@example.org")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("[data-testid=sign-form] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=sign-thanks]")),
	); err != nil {
		t.Fatalf("signing: %v", err)
	}
	if got := text(t, ctx, "[data-testid=sign-thanks]"); !strings.Contains(got, "Check your email") {
		t.Errorf("thanks = %q", got)
	}
	if got := text(t, ctx, "[data-testid=recorded-count]"); got != "0" {
		t.Errorf("count before confirming = %q, want 0", got)
	}
	m := smtp.Wait(t, 1, 30*time.Second)[0]
	links := map[string]string{}
	for _, l := range mailLink.FindAllStringSubmatch(m.Text, -1) {
		links[l[2]] = l[1]
	}
	if links["confirm"] == "" || links["withdraw"] == "" {
		t.Fatalf("the mail lacks its links:\n%s", m.Text)
	}

	navigate(t, ctx, base+links["confirm"], http.StatusOK)
	clickAndLoad(t, ctx, "[data-testid=signer-link-button]", http.StatusOK)
	if got := text(t, ctx, "[data-testid=signer-link-done]"); !strings.Contains(got, "confirmed") {
		t.Errorf("after confirming: %q", got)
	}
	if got := text(t, ctx, "[data-testid=recorded-count]"); got != "1" {
		t.Errorf("count after confirming = %q, want 1", got)
	}
	assertNoHorizontalOverflow(t, ctx, "the confirmation page")

	navigate(t, ctx, base+links["withdraw"], http.StatusOK)
	clickAndLoad(t, ctx, "[data-testid=signer-link-button]", http.StatusOK)
	if got := text(t, ctx, "[data-testid=signer-link-done]"); !strings.Contains(got, "deleted") {
		t.Errorf("after withdrawing: %q", got)
	}
	if n := signatureCount(t, base); n != 0 {
		t.Errorf("count after withdrawing = %d", n)
	}
	navigate(t, ctx, base+links["confirm"], http.StatusGone)
}
