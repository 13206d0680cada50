package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	organiserEmail    = "organiser@example.org"
	organiserPassword = "a long enough password"
	// cliTimeout bounds each run of a campaigntrack subcommand that
	// prepares the database. A guard against a hang, not a budget.
	cliTimeout = 30 * time.Second

	adminCampaignPath = "/admin/campaigns/" + demoSlug
	claimsPath        = adminCampaignPath + "/claims"
	auditPath         = adminCampaignPath + "/audit"
)

// runCLI runs the built binary with args, stdin as its standard input, and
// fails the test if it does not succeed.
func runCLI(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Env = serverEnv()
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("campaigntrack %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// dbWithOrganiser makes a new SQLite database holding only an organiser
// account, and returns its path. The server loads the demo campaign into it
// on its first start, as it does into an empty database.
func dbWithOrganiser(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "campaigntrack.db")
	out := runCLI(t, organiserPassword+"\n", "users", "add", "--db", db, "--email", organiserEmail, "--role", "organiser")
	t.Logf("users add: %s", strings.TrimSpace(out))
	return db
}

// typeInto empties a text control and types s into it, as a person would.
func typeInto(t *testing.T, ctx context.Context, sel, s string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Clear(chromedp.CSS(sel)),
		chromedp.SendKeys(chromedp.CSS(sel), s),
	); err != nil {
		t.Fatalf("typing %q into %s: %v", s, sel, err)
	}
}

// setValue sets a control's value directly: for selects and date inputs,
// where typing depends on the browser's locale and widgets.
func setValue(t *testing.T, ctx context.Context, sel, v string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), v)); err != nil {
		t.Fatalf("setting %s to %q: %v", sel, v, err)
	}
}

// value reads a form control's current value.
func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("reading the value of %s: %v", sel, err)
	}
	return v
}

// count returns how many elements match the CSS selector, without waiting.
func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	return evaluate[int](t, ctx, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel)))
}

// TestBrowserOrganiserAddsClaim follows an organiser on a phone: signing
// in (after one wrong password), adding a signature claim (after one
// refused, empty form), seeing it on the public page and in the audit log,
// and signing out.
func TestBrowserOrganiserAddsClaim(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t) // first, so a missing browser skips before the server starts
	base := startServerWithDB(t, dbWithOrganiser(t))

	// A wrong password is refused with a message, on the sign-in form.
	navigate(t, ctx, base+"/login", http.StatusOK)
	const loginForm = "form[data-testid=login-form]"
	if n := count(t, ctx, loginForm); n != 1 {
		t.Fatalf("sign-in page: %d forms %s, want 1", n, loginForm)
	}
	typeInto(t, ctx, loginForm+" #email", organiserEmail)
	typeInto(t, ctx, loginForm+" #password", "not the right password")
	clickAndLoad(t, ctx, loginForm+` button[type=submit]`, http.StatusUnauthorized)
	if got, want := location(t, ctx), base+"/login"; got != want {
		t.Errorf("after a wrong password: at %s, want %s", got, want)
	}
	if n := count(t, ctx, "[data-testid=login-message]"); n != 1 {
		t.Fatalf("after a wrong password: %d [data-testid=login-message], want 1; page reads: %q", n, text(t, ctx, "main"))
	}
	if got := text(t, ctx, "[data-testid=login-message]"); got == "" {
		t.Errorf("after a wrong password: the login message is empty")
	}
	if n := count(t, ctx, "[data-testid=signed-in-as]"); n != 0 {
		t.Errorf("after a wrong password: the page shows someone signed in: %q", text(t, ctx, "[data-testid=signed-in-as]"))
	}

	// The right password leads to the admin home.
	if got := text(t, ctx, loginForm+" button[type=submit]"); got != "Sign in" {
		t.Errorf("sign-in page: the submit button reads %q, want %q", got, "Sign in")
	}
	typeInto(t, ctx, loginForm+" #email", organiserEmail)
	typeInto(t, ctx, loginForm+" #password", organiserPassword)
	clickAndLoad(t, ctx, loginForm+` button[type=submit]`, http.StatusOK)
	if got, want := location(t, ctx), base+"/admin"; got != want {
		t.Fatalf("after signing in: at %s, want %s", got, want)
	}
	wantWho := organiserEmail + " (organiser)"
	if got := text(t, ctx, "[data-testid=signed-in-as]"); got != wantWho {
		t.Errorf("admin home: signed in as %q, want %q", got, wantWho)
	}

	// The claims page.
	navigate(t, ctx, base+claimsPath, http.StatusOK)
	const claimForm = "form[data-testid=claim-form]"
	if n := count(t, ctx, claimForm); n != 1 {
		t.Fatalf("claims page: %d forms %s, want 1", n, claimForm)
	}
	assertNoHorizontalOverflow(t, ctx, "claims page")
	submit := claimForm + " button[type=submit]"
	if got := text(t, ctx, submit); got != "Add claim" {
		t.Errorf("claims page: the submit button reads %q, want %q", got, "Add claim")
	}

	// An empty form is refused, with a summary and an error by each
	// required field.
	clickAndLoad(t, ctx, submit, http.StatusUnprocessableEntity)
	if n := count(t, ctx, "[data-testid=error-summary]"); n != 1 {
		t.Errorf("empty claim form: %d error summaries, want 1", n)
	} else if got := text(t, ctx, "[data-testid=error-summary]"); got == "" {
		t.Errorf("empty claim form: the error summary is empty")
	}
	for _, field := range []string{"count", "claimed_by"} {
		sel := "[data-testid=field-" + field + "] [data-testid=field-error]"
		if n := count(t, ctx, sel); n != 1 {
			t.Errorf("empty claim form: %d errors for %s (%s), want 1", n, field, sel)
		} else if got := text(t, ctx, sel); got == "" {
			t.Errorf("empty claim form: the error for %s is empty", field)
		}
	}
	if n := count(t, ctx, "[data-testid=flash]"); n != 0 {
		t.Errorf("empty claim form: a flash message %q after a refused form", text(t, ctx, "[data-testid=flash]"))
	}
	if n := count(t, ctx, claimForm); n != 1 {
		t.Fatalf("empty claim form: %d forms %s on the refused page, want 1", n, claimForm)
	}
	assertNoHorizontalOverflow(t, ctx, "claims page with errors")

	// A good claim is added.
	typeInto(t, ctx, claimForm+" #count", "300000")
	setValue(t, ctx, claimForm+" #qualifier", "more than")
	typeInto(t, ctx, claimForm+" #claimed_by", "Mijente")
	setValue(t, ctx, claimForm+" #claimed_on", "2019-08-01")
	typeInto(t, ctx, claimForm+" #source_name", "Mijente blog")
	typeInto(t, ctx, claimForm+" #source_url", "https://mijente.net/")
	for sel, want := range map[string]string{
		claimForm + " #count":       "300000",
		claimForm + " #qualifier":   "more than",
		claimForm + " #claimed_on":  "2019-08-01",
		claimForm + " #claimed_by":  "Mijente",
		claimForm + " #source_name": "Mijente blog",
		claimForm + " #source_url":  "https://mijente.net/",
	} {
		if got := value(t, ctx, sel); got != want {
			t.Fatalf("claim form: %s holds %q after filling it in, want %q", sel, got, want)
		}
	}
	clickAndLoad(t, ctx, submit, http.StatusOK)
	if got, want := location(t, ctx), base+claimsPath+"#claim-"; !strings.HasPrefix(got, want) {
		t.Errorf("after adding a claim: at %s, want %s and the claim's anchor (the list opens at the record saved)", got, want)
	}
	if n := count(t, ctx, "[data-testid=flash]"); n != 1 {
		t.Fatalf("after adding a claim: %d flash messages, want 1; errors on the page: %q",
			n, texts(t, ctx, "[data-testid=error-summary], [data-testid=field-error]"))
	}
	if got := text(t, ctx, "[data-testid=flash]"); got != "Claim added." {
		t.Errorf("after adding a claim: flash %q, want %q", got, "Claim added.")
	}
	if n := count(t, ctx, "[data-testid=error-summary]"); n != 0 {
		t.Errorf("after adding a claim: an error summary %q", text(t, ctx, "[data-testid=error-summary]"))
	}
	assertNoHorizontalOverflow(t, ctx, "claims page after adding a claim")

	// The public page shows it.
	navigate(t, ctx, base+demoPath, http.StatusOK)
	// Its source is a numbered note: the row cites it, the note names it.
	rows := texts(t, ctx, "table[data-testid=claims] tr[data-testid=claim]")
	if _, ok := anyContains(rows, "more than 300,000"); !ok {
		t.Errorf("campaign page: no claim row reads %q; rows: %q", "more than 300,000", rows)
	}
	cited := evaluate[string](t, ctx, `(() => {
		const row = [...document.querySelectorAll('table[data-testid=claims] tr[data-testid=claim]')].find(r => r.textContent.includes('300,000'));
		const ref = row && row.querySelector('[data-testid=source-ref]');
		const note = ref && document.querySelector(ref.getAttribute('href'));
		return note ? note.textContent : '';
	})()`)
	if !strings.Contains(cited, "Mijente blog") {
		t.Errorf("campaign page: the new claim's source note reads %q, want it to name %q", cited, "Mijente blog")
	}

	// The audit log records who added it, newest first.
	navigate(t, ctx, base+auditPath, http.StatusOK)
	entries := texts(t, ctx, "[data-testid=audit-entry]")
	if len(entries) == 0 {
		t.Errorf("audit page: no entries")
	} else if first := entries[0]; !strings.Contains(first, organiserEmail) || !strings.Contains(first, "created") {
		t.Errorf("audit page: the newest entry %q does not say %s created something; entries: %q", first, organiserEmail, entries)
	}

	// Signing out ends the session: /admin leads to the sign-in form again.
	signOut := `form[action="/logout"] button[type=submit]`
	if got := text(t, ctx, signOut); got != "Sign out" {
		t.Errorf("admin header: the sign-out button reads %q, want %q", got, "Sign out")
	}
	clickAndLoad(t, ctx, signOut, http.StatusOK)
	if n := count(t, ctx, "[data-testid=signed-in-as]"); n != 0 {
		t.Errorf("after signing out: still shown as signed in: %q", text(t, ctx, "[data-testid=signed-in-as]"))
	}
	navigate(t, ctx, base+"/admin", http.StatusOK)
	wantLogin := base + "/login?next=" + url.QueryEscape("/admin")
	if got := location(t, ctx); got != wantLogin {
		t.Errorf("after signing out: /admin led to %s, want %s", got, wantLogin)
	}
	if n := count(t, ctx, loginForm); n != 1 {
		t.Errorf("after signing out: /admin did not show the sign-in form")
	}
}
