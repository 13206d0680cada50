package handlers_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCoalitionFormsRefuseBadInputWithoutA500 sends the sources, email
// rules, delivery count and upload routes values no form offers: every
// answer is below 500, and bad values of a form are a 422 or a refusal
// naming what was wrong.
func TestCoalitionFormsRefuseBadInputWithoutA500(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		org := a.organiser()
		const base = "/admin/campaigns/no-tech-for-ice"
		long := strings.Repeat("x", 20_000)
		for _, form := range []url.Values{
			{"name": {""}},
			{"name": {long}},
			{"name": {"=HYPERLINK(\"x\")"}},
			{"name": {"a\x00b"}},
			{"name": {"Ok"}, "claimed": {"abc"}},
			{"name": {"Ok"}, "claimed": {"-5"}},
			{"name": {"Ok"}, "claimed": {"1e9999"}},
			{"name": {"Ok"}, "claimed": {"99999999999999999999999"}},
			{"name": {"Ok"}, "claimed": {"120000"}}, // no claim source
			{"name": {"Ok"}, "claim_source_url": {"javascript:alert(1)"}, "claimed": {"5"}},
			{"name": {"Ok"}, "partner_id": {"abc"}},
			{"name": {"Ok"}, "partner_id": {"999999"}},
			{"name": {"Ok"}, "partner_id": {"-1"}},
			{"name": {"Ok"}, "platform": {long}},
		} {
			r := org.post(base+"/sources", form)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("add source %v: %d, want 422", form, r.status)
			}
		}
		for _, path := range []string{"/sources/abc", "/sources/0", "/sources/99999999999999999999", "/sources/999999", "/sources/1/delete", "/sources/abc/delete",
			"/deliveries/abc/count", "/deliveries/999999/count", "/deliveries/0/count"} {
			if r := org.post(base+path, url.Values{"name": {"x"}}); r.status >= 500 {
				t.Errorf("POST %s: %d", path, r.status)
			}
			if r := org.get(base + path); r.status >= 500 {
				t.Errorf("GET %s: %d", path, r.status)
			}
		}
		for _, form := range []url.Values{
			{"domain": {""}, "ignore_dots": {"on"}},
			{"domain": {"*"}, "ignore_dots": {"on"}},
			{"domain": {long}, "ignore_dots": {"on"}},
			{"domain": {"example.org"}},
			{"domain": {"example.org"}, "tag_seps": {"a"}},
			{"domain": {"example.org"}, "tag_seps": {long}},
			{"domain": {"example.org"}, "alias_of": {"example.org"}},
			{"domain": {"exa\x00mple.org"}, "ignore_dots": {"on"}},
		} {
			if r := org.post("/admin/email-rules", form); r.status != http.StatusUnprocessableEntity {
				t.Errorf("add rule %v: %d, want 422", form, r.status)
			}
		}
		for _, path := range []string{"/admin/email-rules/abc/delete", "/admin/email-rules/999999/delete", "/admin/email-rules/-1/delete"} {
			if r := org.post(path, url.Values{}); r.status >= 500 {
				t.Errorf("POST %s: %d", path, r.status)
			}
		}
		// Uploads into sources that are not there, or new ones with bad names.
		for _, fields := range []map[string]string{
			{"source": "abc"}, {"source": "999999"}, {"source": "-1"},
			{"source": "new", "new_source": long}, {"source": "new", "new_source": "=cmd|' /C calc'!A0"},
			{"source": "new", "new_source": "a\x01b"},
		} {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			w.WriteField("_csrf", org.csrf())
			for k, v := range fields {
				w.WriteField(k, v)
			}
			fw, _ := w.CreateFormFile("file", "list.csv")
			fw.Write([]byte("email,first_name\nada@example.org,Ada\n"))
			w.Close()
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+signaturesPath+"/import", &buf)
			req.Header.Set("Content-Type", w.FormDataContentType())
			if r := org.do(req); r.status != http.StatusUnprocessableEntity {
				t.Errorf("upload %v: %d, want 422\n%.300s", fields, r.status, r.body)
			}
		}
		if n := a.count(); n != 0 {
			t.Errorf("refused uploads stored %d signatures", n)
		}
		for _, path := range []string{"/api/campaigns/no-such/deliveries", "/campaigns/no-such/count", "/api/campaigns/no-tech-for-ice/deliveries?x=%zz"} {
			if r := org.get(path); r.status >= 500 {
				t.Errorf("GET %s: %d", path, r.status)
			}
		}
	})
}
