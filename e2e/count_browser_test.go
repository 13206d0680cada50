package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCoalitionCountFrozenAtDelivery follows an organiser through
// the coalition's count: they add a partner's source with its claim,
// upload the partner's file into it (some signers written as another
// platform writes them), mark San Francisco's delivery delivered, and the
// public deliveries page shows the count it carried, by source; the
// count page shows the source's figures beside its claim.
func TestBrowserCoalitionCountFrozenAtDelivery(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	base := startServerWithDB(t, dbWithOrganiser(t))
	signIn(t, ctx, base)

	// A source for Mijente's list, with the count Mijente claims.
	navigate(t, ctx, base+adminCampaignPath+"/sources", http.StatusOK)
	assertNoHorizontalOverflow(t, ctx, "sources")
	const form = "form[data-testid=source-form]"
	typeInto(t, ctx, form+" #name", "Mijente list")
	typeInto(t, ctx, form+" #platform", "Action Network")
	typeInto(t, ctx, form+" #claimed", "120,000")
	typeInto(t, ctx, form+" #claim_source_name", "Mijente press release")
	clickAndLoad(t, ctx, form+" button[type=submit]", http.StatusOK)
	if got := texts(t, ctx, "[data-testid=source-name]"); !contains(got, "Mijente list") {
		t.Fatalf("sources after adding: %q", got)
	}

	// The partner's file: 30 signers, two of them twice (another case, a
	// +tag, Gmail's dots), uploaded into that source.
	var csv strings.Builder
	csv.WriteString("first_name,last_name,email,city,state\n")
	for i := range 30 {
		fmt.Fprintf(&csv, "Signer,%d,signer.%d@gmail.com,Seattle,WA\n", i, i)
	}
	csv.WriteString("Signer,0,SIGNER0+mijente@googlemail.com,Seattle,WA\nSigner,1,Signer.1@Gmail.com,Seattle,WA\n")
	file := filepath.Join(t.TempDir(), "mijente.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, base+adminCampaignPath+"/signatures", http.StatusOK)
	const upload = "form[data-testid=import-form]"
	evaluate[bool](t, ctx, `(() => { const s = document.querySelector('`+upload+` #source');
		const o = [...s.options].find(o => o.textContent.trim() === 'Mijente list'); s.value = o.value; return true })()`)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(upload+" #file"), []string{file})); err != nil {
		t.Fatal(err)
	}
	clickAndLoad(t, ctx, upload+" button[type=submit]", http.StatusOK)
	deadline := time.Now().Add(30 * time.Second)
	for text(t, ctx, "[data-testid=import-status]") == "" || !strings.Contains(outerHTML(t, ctx, "[data-testid=import-status]"), `data-status="done"`) {
		if time.Now().After(deadline) {
			t.Fatalf("the import did not finish: %s", outerHTML(t, ctx, "[data-testid=import-status]"))
		}
		time.Sleep(200 * time.Millisecond)
	}
	if got := text(t, ctx, "[data-testid=imported]"); got != "30" {
		t.Errorf("imported %q, want 30 (two rows were people already in the file)", got)
	}
	if got := text(t, ctx, "[data-testid=import-source]"); got != "Mijente list" {
		t.Errorf("the import's source is %q", got)
	}

	// San Francisco's delivery, marked delivered.
	navigate(t, ctx, base+adminCampaignPath+"/deliveries", http.StatusOK)
	clickAndLoad(t, ctx, "[data-testid=mark-delivered]", http.StatusOK)
	const deliver = "form[data-testid=deliver-form]"
	setText(t, ctx, deliver+" #outcome", "Handed the box to reception")
	clickAndLoad(t, ctx, deliver+" button[type=submit]", http.StatusOK)

	// The count it carried, on the public page, by source.
	navigate(t, ctx, base+demoPath+"/deliveries", http.StatusOK)
	assertNoHorizontalOverflow(t, ctx, "public deliveries")
	carried := texts(t, ctx, "[data-testid=delivery-count]")
	if len(carried) != 1 || !strings.HasPrefix(carried[0], "Carried 30 signatures") {
		t.Fatalf("frozen counts on the public page: %q, want one, of 30", carried)
	}
	if got := outerHTML(t, ctx, "[data-testid=delivery-count-sources]"); !strings.Contains(got, "Mijente list") {
		t.Errorf("the breakdown does not name the source: %s", got)
	}

	// The count page: the source's figures beside its claim; no signer.
	navigate(t, ctx, base+demoPath+"/count", http.StatusOK)
	assertNoHorizontalOverflow(t, ctx, "count page")
	page := text(t, ctx, "main")
	for _, want := range []string{"Mijente list", "120,000", "Mijente press release"} {
		if !strings.Contains(page, want) {
			t.Errorf("the count page lacks %q", want)
		}
	}
	if strings.Contains(strings.ToLower(page), "signer.") || strings.Contains(strings.ToLower(page), "signer0") {
		t.Error("the count page shows a signer's address")
	}
}
