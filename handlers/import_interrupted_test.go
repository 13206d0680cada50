package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

// TestInterruptedImportPage: an import whose server stopped says so on
// its page and in the list, with what it stored and what to do, and no
// longer refreshes itself.
func TestInterruptedImportPage(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		u := a.user("organiser@example.org", models.RoleOrganiser)
		c, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		job, err := a.store.StartImportJob(ctx, models.UserActor(u), c.ID, testdb.Source(t, a.store, c.ID, "Test list"), "big.csv", 1000)
		if err != nil {
			t.Fatal(err)
		}
		a.store.UpdateImportJob(ctx, job.ID, models.ImportProgress{BytesRead: 500, RowsRead: 1200, Imported: 1000, Invalid: 2})
		if got, err := a.store.InterruptImportJobs(ctx, 0); err != nil || len(got) != 1 {
			t.Fatalf("InterruptImportJobs = %v, %v", got, err)
		}
		b := a.browser()
		b.login("organiser@example.org")
		r := b.get("/admin/campaigns/no-tech-for-ice/imports/" + itoa(job.ID))
		if r.status != http.StatusOK {
			t.Fatalf("import page: %d", r.status)
		}
		doc := r.doc(t)
		st := doc.Find(`[data-testid=import-status]`)
		if s, _ := st.Attr("data-status"); s != "interrupted" ||
			!strings.Contains(text(st), "Interrupted: the server stopped during this import; the 1,000 signatures stored before it stay stored. Upload the file again") {
			t.Errorf("status %q: %q", s, text(st))
		}
		if strings.Contains(r.body, `http-equiv="refresh"`) {
			t.Error("an interrupted import's page refreshes itself")
		}
		if !strings.Contains(text(doc.Find("main")), "invalid rows were not kept") {
			t.Errorf("the page does not say the invalid rows were not kept: %q", text(doc.Find("main")))
		}
		list := b.get(signaturesPath).doc(t).Find(`[data-testid=import]`)
		if !strings.Contains(text(list), "interrupted") {
			t.Errorf("the list of imports shows %q", text(list))
		}
	})
}
