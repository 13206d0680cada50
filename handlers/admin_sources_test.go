package handlers_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
)

const campaignAdmin = "/admin/campaigns/no-tech-for-ice"

// The organiser side of issue 14: the sources, the email identity rules,
// the count frozen at a delivery and the upload's choice of source.

// fieldError is the message beside a form's field, or "".
func fieldError(t *testing.T, r response, name string) string {
	t.Helper()
	return text(r.doc(t).Find(`[data-testid=field-` + name + `] [data-testid=field-error]`))
}

// follow opens the page a 303 leads to and returns its flash.
func (b *browser) follow(r response) string {
	b.t.Helper()
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("want a 303, got %d\n%s", r.status, r.body)
	}
	return text(b.get(r.header.Get("Location")).doc(b.t).Find(`[data-testid=flash]`))
}

func (a *app) campaign() *models.Campaign {
	a.t.Helper()
	cp, err := a.store.CampaignBySlug(context.Background(), "no-tech-for-ice")
	if err != nil {
		a.t.Fatal(err)
	}
	return cp
}

// importSigners stores signatures as imported from a source.
func (a *app) importSigners(sourceID uint, emails ...string) {
	a.t.Helper()
	cp := a.campaign()
	var sigs []*models.Signature
	for i, e := range emails {
		sig := &models.Signature{CampaignID: cp.ID, FirstName: "Signer", Email: e, Country: "US", Origin: "test",
			SignedAt: time.Date(2019, 7, 1+i, 12, 0, 0, 0, time.UTC)}
		sig.Normalise()
		sigs = append(sigs, sig)
	}
	if _, err := a.store.ImportSignatures(context.Background(), cp.ID, sourceID, sigs); err != nil {
		a.t.Fatal(err)
	}
}

func (a *app) sourceNamed(name string) *models.SignatureSource {
	a.t.Helper()
	src, err := a.store.SourceByName(context.Background(), a.campaign().ID, name)
	if err != nil {
		a.t.Fatalf("source %q: %v", name, err)
	}
	return src
}

func TestOrganiserManagesSources(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("organiser@example.org", models.RoleOrganiser)
		a.user("viewer@example.org", models.RoleViewer)
		b, viewer := a.browser(), a.browser()
		b.login("organiser@example.org")
		viewer.login("viewer@example.org")
		base := campaignAdmin + "/sources"
		cp := a.campaign()
		partners, _ := a.store.OrganisationsFor(ctx, cp.ID)
		if len(partners) == 0 {
			t.Fatal("the seed has no partners")
		}
		partner := partners[0]
		partnerID := strconv.FormatUint(uint64(partner.ID), 10)

		// The page lists the site's own form, and the tab is there.
		page := b.get(base)
		if page.status != http.StatusOK || page.doc(t).Find(`[data-testid=source-form]`).Length() != 1 {
			t.Fatalf("sources page: %d", page.status)
		}
		if got := text(page.doc(t).Find(`[data-testid=source] [data-testid=source-name]`).First()); !strings.Contains(got, models.WebSourceName) {
			t.Errorf("first source = %q, want the site's form", got)
		}
		if page.doc(t).Find(`nav.tabs a[href="`+base+`"][aria-current=page]`).Length() != 1 {
			t.Error("no current Sources tab")
		}
		if n := page.doc(t).Find(`select[name=partner_id] option`).Length(); n != len(partners)+1 {
			t.Errorf("the partner select has %d options, want %d partners and none", n, len(partners))
		}

		// Bad input: each wrong field named, what was typed kept.
		r := b.post(base, url.Values{"name": {"Partner list"}, "claimed": {"lots"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(fieldError(t, r, "claimed"), "not a whole number") {
			t.Fatalf("a claim that is not a number: %d %q", r.status, fieldError(t, r, "claimed"))
		}
		if v, _ := r.doc(t).Find(`input[name=name]`).Attr("value"); v != "Partner list" {
			t.Errorf("the form lost the name: %q", v)
		}
		r = b.post(base, url.Values{"name": {"Partner list"}, "claimed": {"5000"}})
		if r.status != http.StatusUnprocessableEntity || fieldError(t, r, "claim_source_name") == "" {
			t.Fatalf("a claim without its source: %d\n%s", r.status, r.body)
		}
		r = b.post(base, url.Values{"name": {""}, "partner_id": {"nope"}})
		if r.status != http.StatusUnprocessableEntity || fieldError(t, r, "name") == "" || fieldError(t, r, "partner_id") == "" {
			t.Fatalf("no name, a made-up partner: %d", r.status)
		}
		if r := b.post(base, url.Values{"name": {"X"}, "partner_id": {"999999"}}); r.status != http.StatusUnprocessableEntity || fieldError(t, r, "partner_id") == "" {
			t.Fatalf("another campaign's or no partner: %d", r.status)
		}

		// A good source, with its partner and claim.
		r = b.post(base, url.Values{"name": {"Mijente list"}, "partner_id": {partnerID}, "platform": {"Action Network"},
			"claimed": {"120,000"}, "claim_source_name": {"Mijente blog"}, "claim_source_url": {"https://mijente.net/"}, "notes": {"from the July export"}})
		if got := b.follow(r); got != "“Mijente list” added." {
			t.Errorf("flash = %q", got)
		}
		src := a.sourceNamed("Mijente list")
		if src.PartnerID == nil || *src.PartnerID != partner.ID || src.Claimed == nil || *src.Claimed != 120000 || src.Platform != "Action Network" {
			t.Fatalf("stored source = %+v", src)
		}
		row := b.get(base).doc(t).Find(`[data-testid=source][data-source-id="` + strconv.FormatUint(uint64(src.ID), 10) + `"]`)
		for id, want := range map[string]string{"source-partner": partner.Name, "source-platform": "Action Network", "source-received": "0"} {
			if got := text(row.Find(`[data-testid=` + id + `]`)); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
		if claim := text(row.Find(`[data-testid=source-claim]`)); !strings.Contains(claim, "120,000") || !strings.Contains(claim, "Mijente blog") {
			t.Errorf("claim = %q", claim)
		}
		if r := b.post(base, url.Values{"name": {"MIJENTE LIST"}}); r.status != http.StatusUnprocessableEntity || fieldError(t, r, "name") == "" {
			t.Errorf("a second source of the same name: %d", r.status)
		}

		// Edit: the form shows the source; a bad save is named; a good one stored.
		edit := base + "/" + strconv.FormatUint(uint64(src.ID), 10)
		r = b.get(edit)
		if v, _ := r.doc(t).Find(`input[name=claimed]`).Attr("value"); r.status != http.StatusOK || v != "120000" {
			t.Fatalf("edit form: %d, claimed %q", r.status, v)
		}
		if sel, _ := r.doc(t).Find(`select[name=partner_id] option[selected]`).Attr("value"); sel != partnerID {
			t.Errorf("edit form's partner = %q", sel)
		}
		if r := b.post(edit, url.Values{"name": {"Mijente list"}, "claim_source_url": {"javascript:alert(1)"}, "claimed": {"1"}}); r.status != http.StatusUnprocessableEntity || fieldError(t, r, "claim_source_url") == "" {
			t.Errorf("bad save: %d", r.status)
		}
		r = b.post(edit, url.Values{"name": {"Mijente national list"}, "partner_id": {""}, "platform": {"email list"}})
		if got := b.follow(r); got != "“Mijente national list” saved." {
			t.Errorf("flash = %q", got)
		}
		src = a.sourceNamed("Mijente national list")
		if src.PartnerID != nil || src.Claimed != nil || src.Platform != "email list" {
			t.Errorf("saved source = %+v", src)
		}
		if n := b.get(edit).doc(t).Find(`[data-testid=audit-entry]`).Length(); n != 2 {
			t.Errorf("the source's history has %d entries, want 2", n)
		}

		// A viewer reads the list, changes nothing.
		if r := viewer.get(base); r.status != http.StatusOK || r.doc(t).Find(`[data-testid=source-form]`).Length() != 0 {
			t.Errorf("viewer list: %d", r.status)
		}
		for _, path := range []string{base, edit, edit + "/delete"} {
			if r := viewer.post(path, url.Values{"name": {"Viewer's"}}); r.status != http.StatusForbidden {
				t.Errorf("viewer POST %s = %d, want 403", path, r.status)
			}
		}
		if r := viewer.get(edit); r.status != http.StatusForbidden {
			t.Errorf("viewer GET %s = %d, want 403", edit, r.status)
		}
		// A forged token changes nothing.
		if r := b.postRaw(base, url.Values{"name": {"Forged"}, "_csrf": {plantedNonce}}); r.status != http.StatusForbidden {
			t.Errorf("forged add = %d, want 403", r.status)
		}
		if _, err := a.store.SourceByName(ctx, cp.ID, "Forged"); err == nil {
			t.Error("a forged form added a source")
		}

		// Delete: an empty source goes; one with signatures stays, said why.
		if r := b.post(base, url.Values{"name": {"Paper drive"}}); r.status != http.StatusSeeOther {
			t.Fatalf("add paper drive: %d", r.status)
		}
		paper := a.sourceNamed("Paper drive")
		confirm := url.Values{"confirm": {"yes"}} // the confirmation page's form (confirm_test.go)
		r = b.post(base+"/"+strconv.FormatUint(uint64(paper.ID), 10)+"/delete", confirm)
		if r.header.Get("Location") != base || b.follow(r) != "Source removed." {
			t.Errorf("delete of an empty source: %d %q", r.status, r.header.Get("Location"))
		}
		if _, err := a.store.SourceByName(ctx, cp.ID, "Paper drive"); err == nil {
			t.Error("the empty source was not deleted")
		}
		a.importSigners(src.ID, "ana@example.org")
		r = b.post(edit+"/delete", confirm)
		if r.header.Get("Location") != edit || !strings.Contains(b.follow(r), "holds signatures") {
			t.Errorf("delete of a source with signatures: %d %q", r.status, r.header.Get("Location"))
		}
		a.sourceNamed("Mijente national list") // still there
		web, _ := a.store.WebSource(ctx, cp.ID)
		if r := b.post(base+"/"+strconv.FormatUint(uint64(web), 10)+"/delete", confirm); r.status != http.StatusSeeOther || !strings.Contains(b.follow(r), "Not removed") {
			t.Errorf("delete of the site's form: %d", r.status)
		}
		if r := b.get(base + "/" + strconv.FormatUint(uint64(web), 10)); r.doc(t).Find(`[data-testid=delete-source]`).Length() != 0 {
			t.Error("the site's form offers a delete button")
		}
		row = b.get(base).doc(t).Find(`[data-testid=source][data-source-id="` + strconv.FormatUint(uint64(src.ID), 10) + `"]`)
		if got := text(row.Find(`[data-testid=source-received]`)) + "/" + text(row.Find(`[data-testid=source-unique]`)); got != "1/1" {
			t.Errorf("received/unique after an import = %s, want 1/1", got)
		}
		if r := b.post(base+"/999999/delete", nil); r.status != http.StatusNotFound {
			t.Errorf("delete of no source = %d, want 404", r.status)
		}
	})
}

func TestEmailRulesMergeAndAreRefusedWhenWrong(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("organiser@example.org", models.RoleOrganiser)
		a.user("viewer@example.org", models.RoleViewer)
		b, viewer := a.browser(), a.browser()
		b.login("organiser@example.org")
		viewer.login("viewer@example.org")
		cp := a.campaign()
		web, _ := a.store.WebSource(ctx, cp.ID)
		a.importSigners(web, "a@yahoo.com", "a@ymail.com")
		if n, _ := a.store.SignatureCount(ctx, cp.ID); n != 2 {
			t.Fatalf("count before the rule = %d, want 2", n)
		}

		page := b.get("/admin/email-rules")
		doc := page.doc(t)
		if page.status != http.StatusOK || doc.Find(`[data-testid=builtin-rule]`).Length() != 2 || doc.Find(`[data-testid=email-rule-form]`).Length() != 1 {
			t.Fatalf("email rules page: %d\n%s", page.status, page.body)
		}
		if !strings.Contains(text(doc.Find(`[data-testid=identity-rule]`)), "counted once") && !strings.Contains(text(doc.Find(`[data-testid=identity-rule]`)), "One person, one count") {
			t.Error("the page does not explain the identity rule")
		}
		if b.get(campaignAdmin+"/signatures").doc(t).Find(`a[href="/admin/email-rules"]`).Length() == 0 {
			t.Error("no link to the rules from the signatures page")
		}

		// Refused: no domain; a letter as a tag separator.
		r := b.post("/admin/email-rules", url.Values{"domain": {""}, "alias_of": {"yahoo.com"}})
		if r.status != http.StatusUnprocessableEntity || fieldError(t, r, "domain") == "" {
			t.Errorf("empty domain: %d", r.status)
		}
		r = b.post("/admin/email-rules", url.Values{"domain": {"example.net"}, "tag_seps": {"a"}})
		if r.status != http.StatusUnprocessableEntity || fieldError(t, r, "tag_seps") == "" {
			t.Errorf("a letter tag separator: %d", r.status)
		}
		if v, _ := r.doc(t).Find(`input[name=domain]`).Attr("value"); v != "example.net" {
			t.Errorf("the refused form lost the domain: %q", v)
		}
		if r := viewer.post("/admin/email-rules", url.Values{"domain": {"ymail.com"}, "alias_of": {"yahoo.com"}}); r.status != http.StatusForbidden {
			t.Errorf("viewer adds a rule: %d, want 403", r.status)
		}
		if r := viewer.get("/admin/email-rules"); r.status != http.StatusOK || r.doc(t).Find(`[data-testid=email-rule-form]`).Length() != 0 {
			t.Errorf("viewer reads the rules: %d", r.status)
		}

		// ymail.com read as yahoo.com: the two signatures are one person.
		r = b.post("/admin/email-rules", url.Values{"domain": {"ymail.com"}, "alias_of": {"yahoo.com"}})
		flash := b.follow(r)
		if !strings.Contains(flash, "ymail.com") || !strings.Contains(flash, "1 was merged") {
			t.Errorf("flash = %q", flash)
		}
		if n, _ := a.store.SignatureCount(ctx, cp.ID); n != 1 {
			t.Errorf("count after the rule = %d, want 1", n)
		}
		rules := b.get("/admin/email-rules").doc(t).Find(`[data-testid=custom-rule]`)
		if rules.Length() != 1 || !strings.Contains(text(rules), "read as yahoo.com") {
			t.Fatalf("custom rules = %q", text(rules))
		}
		custom, _, _ := a.store.EmailRulesInForce(ctx)
		del := "/admin/email-rules/" + strconv.FormatUint(uint64(custom[0].ID), 10) + "/delete"
		if r := viewer.post(del, nil); r.status != http.StatusForbidden {
			t.Errorf("viewer removes a rule: %d", r.status)
		}
		// The first tap asks; only the confirmation removes it.
		if r := b.post(del, nil); r.status != http.StatusOK || r.doc(t).Find(`[data-testid=confirm-page]`).Length() != 1 {
			t.Errorf("removing a rule without confirming: %d", r.status)
		}
		if custom, _, _ := a.store.EmailRulesInForce(ctx); len(custom) != 1 {
			t.Errorf("an unconfirmed removal removed the rule")
		}
		if flash := b.follow(b.post(del, url.Values{"confirm": {"yes"}})); !strings.Contains(flash, "removed") {
			t.Errorf("flash after removal = %q", flash)
		}
		if custom, _, _ := a.store.EmailRulesInForce(ctx); len(custom) != 0 {
			t.Errorf("%d rules left", len(custom))
		}
		if r := b.post(del, nil); r.status != http.StatusNotFound {
			t.Errorf("removing it again = %d, want 404", r.status)
		}
	})
}

func TestDeliveryAdminPageShowsTheFrozenCount(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		cp := a.campaign()
		web, _ := a.store.WebSource(ctx, cp.ID)
		a.importSigners(web, "one@example.org", "two@example.org")
		ds, _ := a.store.DeliveriesFor(ctx, cp.ID)
		var d *models.Delivery
		for i := range ds {
			if ds[i].Status == models.DeliveryPlanned {
				d = &ds[i]
			}
		}
		if d == nil {
			t.Fatal("the seed has no planned delivery")
		}
		path := campaignAdmin + "/deliveries/" + strconv.FormatUint(uint64(d.ID), 10)

		// Not delivered: no count, and recording one is refused.
		if doc := b.get(path).doc(t); doc.Find(`[data-testid=admin-delivery-count]`).Length() != 0 || doc.Find(`[data-testid=count-not-yet]`).Length() != 1 {
			t.Error("a planned delivery shows a count")
		}
		r := b.post(path+"/count", nil)
		if r.header.Get("Location") != path || !strings.Contains(b.follow(r), "not recorded") {
			t.Errorf("recording the count of a planned delivery: %d", r.status)
		}

		r = b.post(path+"/deliver", url.Values{"delivered_at": {"2019-07-20T12:00"}, "outcome": {"Left the boxes at the front desk"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("mark delivered: %d\n%s", r.status, r.body)
		}
		doc := b.get(path).doc(t)
		count := doc.Find(`[data-testid=admin-delivery-count]`)
		if count.Length() != 1 || text(count.Find(`[data-testid=count-total]`)) != "2" || text(count.Find(`[data-testid=count-by]`)) != "organiser@example.org" {
			t.Fatalf("the frozen count = %q", text(count))
		}
		if rows := count.Find(`[data-testid=count-source]`); rows.Length() != 1 || !strings.Contains(text(rows), models.WebSourceName) {
			t.Errorf("per source = %q", text(rows))
		}
		if count.Find(`[data-testid=delivery-count-history]`).Length() != 0 {
			t.Error("a history before the count was recorded again")
		}

		// Recorded again, after a late import: the new count, the old one
		// in the history, and both in the audit log.
		a.importSigners(web, "three@example.org")
		r = b.post(path+"/count", nil)
		if flash := b.follow(r); !strings.Contains(flash, "3 people") {
			t.Errorf("flash = %q", flash)
		}
		count = b.get(path).doc(t).Find(`[data-testid=admin-delivery-count]`)
		if got := text(count.Find(`[data-testid=count-total]`)); got != "3" {
			t.Errorf("count after recording again = %q, want 3", got)
		}
		if rows := count.Find(`[data-testid=delivery-count-record]`); rows.Length() != 1 || !strings.Contains(text(rows), "2") {
			t.Errorf("history = %q", text(rows))
		}
		if h, _ := a.store.DeliveryCountHistory(ctx, cp.ID, d.ID); len(h) != 2 {
			t.Errorf("%d records, want 2", len(h))
		}
		entries, _ := a.store.AuditForCampaign(ctx, cp.ID, 50)
		var audited int
		for _, e := range entries {
			if e.RecordType == "delivery_count" && e.UserEmail == "organiser@example.org" {
				audited++
			}
		}
		if audited != 2 {
			t.Errorf("%d delivery_count audit entries by the organiser, want 2", audited)
		}
	})
}

// postUpload uploads a file with other form fields, as the import form
// sends them.
func (b *browser) postUpload(path string, fields url.Values, filename, content string) response {
	b.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", b.csrf())
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile("file", filename)
	fw.Write([]byte(content))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.a.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func TestUploadIsCreditedToTheChosenSource(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		cp := a.campaign()
		aclu := &models.SignatureSource{Name: "ACLU list", Platform: "email list"}
		if err := a.store.CreateSource(ctx, models.CommandLine, cp.ID, aclu); err != nil {
			t.Fatal(err)
		}
		acluID := strconv.FormatUint(uint64(aclu.ID), 10)

		doc := b.get(signaturesPath).doc(t)
		options := doc.Find(`select[name=source] option`)
		if options.Length() != 2 || options.First().AttrOr("value", "") != acluID || options.Last().AttrOr("value", "") != "new" {
			t.Fatalf("source options = %q", text(options))
		}
		if sel, _ := doc.Find(`select[name=source] option[selected]`).Attr("value"); sel != "new" {
			t.Errorf("the upload's source defaults to %q, want new", sel)
		}
		if doc.Find(`input[name=new_source]`).Length() != 1 {
			t.Error("no field for the new source's name")
		}

		// A source that is not the campaign's is named beside the field.
		for _, bad := range []string{"999999", "abc"} {
			r := b.postUpload(signaturesPath+"/import", url.Values{"source": {bad}}, "list.csv", uploadCSV)
			if r.status != http.StatusUnprocessableEntity || fieldError(t, r, "source") == "" {
				t.Errorf("source %q: %d", bad, r.status)
			}
		}

		r := b.postUpload(signaturesPath+"/import", url.Values{"source": {acluID}}, "aclu.csv", uploadCSV)
		if r.status != http.StatusSeeOther {
			t.Fatalf("upload: %d\n%s", r.status, r.body)
		}
		done := b.waitForImport(r.header.Get("Location")).doc(t)
		if got := text(done.Find(`[data-testid=import-source]`)); got != "ACLU list" {
			t.Errorf("the import's source = %q", got)
		}
		jobs, _ := a.store.ImportJobs(ctx, cp.ID, 5)
		if len(jobs) != 1 || jobs[0].SourceID == nil || *jobs[0].SourceID != aclu.ID || jobs[0].Imported != 3 {
			t.Fatalf("import jobs = %+v", jobs)
		}

		// A new source for a file that overlaps: the people already there are
		// credited to it too.
		overlap := "first_name,email\nAda,ada@example.org\nEve,eve@example.org\n"
		r = b.postUpload(signaturesPath+"/import", url.Values{"source": {"new"}, "new_source": {"Paper sheets, Seattle"}}, "sheets.csv", overlap)
		done = b.waitForImport(r.header.Get("Location")).doc(t)
		if got := text(done.Find(`[data-testid=import-source]`)); got != "Paper sheets, Seattle" {
			t.Errorf("the new source = %q", got)
		}
		if got := text(done.Find(`[data-testid=credited]`)); got != "1" || !strings.Contains(text(done.Find(`[data-testid=credited-text]`)), "1 already signed through another source") {
			t.Errorf("credited = %q, %q", got, text(done.Find(`[data-testid=credited-text]`)))
		}
		a.sourceNamed("Paper sheets, Seattle")

		page := b.get(signaturesPath).doc(t)
		if got := text(page.Find(`[data-testid=import-source]`).First()); got != "Paper sheets, Seattle" {
			t.Errorf("the imports list's source = %q", got)
		}
		figures := text(page.Find(`[data-testid=source-figures]`))
		if !strings.Contains(figures, "ACLU list") || !strings.Contains(figures, "Paper sheets, Seattle") {
			t.Errorf("per-source figures = %q", figures)
		}
	})
}
