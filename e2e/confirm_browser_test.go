package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// TestBrowserDeleteAsksFirst follows an organiser on a phone (the browser
// has a phone's viewport): the first tap on "Delete this action" only
// asks; Cancel goes back to the action, untouched; the confirmation's own
// button deletes it (issue 16).
func TestBrowserDeleteAsksFirst(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	base := startServerWithDB(t, dbWithOrganiser(t))
	signIn(t, ctx, base)

	actions := base + adminCampaignPath + "/actions"
	navigate(t, ctx, actions, http.StatusOK)
	before := count(t, ctx, "[data-testid=admin-action]")
	if before == 0 {
		t.Fatal("no actions in the demo campaign")
	}
	clickAndLoad(t, ctx, "[data-testid=admin-action] h3 a", http.StatusOK)
	record := location(t, ctx)
	const deleteButton = `form[action$="/delete"] button[type=submit]`

	// The first tap asks.
	clickAndLoad(t, ctx, deleteButton, http.StatusOK)
	if n := count(t, ctx, "[data-testid=confirm-page] form[data-testid=confirm-form]"); n != 1 {
		t.Fatalf("after the first tap: %d confirmation forms, want 1", n)
	}
	if q := text(t, ctx, "[data-testid=confirm-question]"); !strings.HasPrefix(q, "Delete the action “") {
		t.Errorf("question = %q", q)
	}
	assertNoHorizontalOverflow(t, ctx, "confirmation page")
	clickAndLoad(t, ctx, "[data-testid=confirm-cancel]", http.StatusOK)
	if got := location(t, ctx); got != record {
		t.Errorf("Cancel led to %s, want %s", got, record)
	}
	navigate(t, ctx, actions, http.StatusOK)
	if n := count(t, ctx, "[data-testid=admin-action]"); n != before {
		t.Fatalf("after the first tap and Cancel: %d actions, want %d", n, before)
	}

	// The second tap, on the confirmation, deletes.
	navigate(t, ctx, record, http.StatusOK)
	clickAndLoad(t, ctx, deleteButton, http.StatusOK)
	clickAndLoad(t, ctx, "[data-testid=confirm-yes]", http.StatusOK)
	if got := location(t, ctx); got != actions {
		t.Errorf("after deleting: at %s, want %s", got, actions)
	}
	if got := text(t, ctx, "[data-testid=flash]"); got != "Action removed." {
		t.Errorf("flash = %q", got)
	}
	if n := count(t, ctx, "[data-testid=admin-action]"); n != before-1 {
		t.Errorf("after the confirmed delete: %d actions, want %d", n, before-1)
	}
}
