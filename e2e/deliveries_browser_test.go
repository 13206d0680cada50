package e2e

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"
)

// signIn signs the organiser in through the sign-in form.
func signIn(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	navigate(t, ctx, base+"/login", http.StatusOK)
	const loginForm = "form[data-testid=login-form]"
	typeInto(t, ctx, loginForm+" #email", organiserEmail)
	typeInto(t, ctx, loginForm+" #password", organiserPassword)
	clickAndLoad(t, ctx, loginForm+` button[type=submit]`, http.StatusOK)
	if got, want := location(t, ctx), base+"/admin"; got != want {
		t.Fatalf("after signing in: at %s, want %s", got, want)
	}
}

// TestBrowserOrganiserMarksADeliveryDelivered follows an organiser in the
// street with a phone: San Francisco's delivery is still planned in the
// demo; they mark it delivered with what happened, and the public page,
// its map and the CSV show it.
func TestBrowserOrganiserMarksADeliveryDelivered(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	base := startServerWithDB(t, dbWithOrganiser(t))
	signIn(t, ctx, base)

	navigate(t, ctx, base+adminCampaignPath+"/deliveries", http.StatusOK)
	assertNoHorizontalOverflow(t, ctx, "admin deliveries")
	if got := text(t, ctx, "[data-testid=delivery-progress]"); !strings.HasPrefix(got, "5 of 9 cities delivered") {
		t.Errorf("admin progress = %q", got)
	}
	if n := count(t, ctx, "[data-testid=mark-delivered]"); n != 1 {
		t.Fatalf("%d 'Mark delivered' buttons, want 1 (San Francisco)", n)
	}
	clickAndLoad(t, ctx, "[data-testid=mark-delivered]", http.StatusOK)
	assertNoHorizontalOverflow(t, ctx, "mark delivered form")
	const form = "form[data-testid=deliver-form]"
	if d, c := value(t, ctx, form+" input[type=date]#delivered_at"), value(t, ctx, form+" input[type=time]#delivered_at_time"); len(d) != len("2006-01-02") || len(c) != len("15:04") {
		t.Errorf("the date and time pickers are not filled in with now: %q %q", d, c)
	}
	// Submitting without an outcome is refused, beside the field.
	setText(t, ctx, form+" #outcome", "")
	clickAndLoad(t, ctx, form+" button[type=submit]", http.StatusUnprocessableEntity)
	if n := count(t, ctx, "[data-testid=field-outcome] [data-testid=field-error]"); n != 1 {
		t.Fatalf("no outcome: %d errors beside the outcome, want 1", n)
	}
	setValue(t, ctx, form+" #delivered_at", "2019-07-15")
	setValue(t, ctx, form+" #delivered_at_time", "13:30")
	setText(t, ctx, form+" #outcome", "Left the printouts at the main reception desk")
	typeInto(t, ctx, form+" #recipient", "Reception")
	clickAndLoad(t, ctx, form+" button[type=submit]", http.StatusOK)
	if got := text(t, ctx, "[data-testid=flash]"); got != "The delivery in San Francisco is marked delivered." {
		t.Errorf("flash = %q", got)
	}
	if n := count(t, ctx, "[data-testid=mark-delivered]"); n != 0 {
		t.Errorf("still %d 'Mark delivered' buttons", n)
	}

	// The public page: progress, the marker's colour, the outcome.
	navigate(t, ctx, base+demoPath+"/deliveries", http.StatusOK)
	assertNoHorizontalOverflow(t, ctx, "public deliveries")
	if got := text(t, ctx, "[data-testid=delivery-progress]"); got != "6 of 9 cities delivered" {
		t.Errorf("public progress = %q", got)
	}
	if n := count(t, ctx, "[data-testid=delivery-map] [data-testid=map-marker][data-status=delivered]"); n != 6 {
		t.Errorf("%d delivered markers on the map, want 6", n)
	}
	if got := texts(t, ctx, "[data-testid=outcome]"); !contains(got, "Left the printouts at the main reception desk") {
		t.Errorf("the outcome is not on the public page: %q", got)
	}
	// On the phone each marker is a tap target of at least 24 px, and no
	// two of them overlap (New York and Elizabeth are 10 miles apart).
	if bad := evaluate[string](t, ctx, `(() => {
		const rs = [...document.querySelectorAll('[data-testid=delivery-map] [data-testid=map-marker]')].map(c => c.getBoundingClientRect());
		if (rs.length === 0) return 'no marker';
		for (const [i, r] of rs.entries()) {
			if (r.width < 24 || r.height < 24) return 'marker ' + (i+1) + ' is ' + r.width + 'x' + r.height + ' px';
			for (const [j, o] of rs.entries()) {
				// Circles: apart when their centres are two radii apart.
				const d = Math.hypot((r.left + r.right - o.left - o.right) / 2, (r.top + r.bottom - o.top - o.bottom) / 2);
				if (j > i && d < (r.width + o.width) / 2) return 'markers ' + (i+1) + ' and ' + (j+1) + ' overlap (' + d.toFixed(1) + ' px apart)';
			}
		}
		return '';
	})()`); bad != "" {
		t.Errorf("map at phone width: %s", bad)
	}
	// The map's base layer loaded (an <image> inside the SVG).
	if ok := evaluate[bool](t, ctx, `(() => { const i = document.querySelector('[data-testid=delivery-map] image'); return !!i && i.getBBox().width > 0 })()`); !ok {
		t.Error("the map has no base layer")
	}

	// The CSV, as a journalist downloads it.
	resp, err := http.Get(base + demoPath + "/deliveries.csv?city=San%20Francisco")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("CSV for San Francisco: %v, %d rows\n%s", err, len(rows), body)
	}
	row := strings.Join(rows[1], "|")
	for _, want := range []string{"|delivered|", "2019-07-15T13:30:00-07:00", "Left the printouts at the main reception desk", "Reception"} {
		if !strings.Contains(row, want) {
			t.Errorf("the CSV row lacks %q: %s", want, row)
		}
	}
}

func contains(list []string, s string) bool {
	_, ok := anyContains(list, s)
	return ok
}

// setText sets a textarea's text through the DOM: chromedp's SetValue and
// Clear do not work on a textarea's text node.
func setText(t *testing.T, ctx context.Context, sel, v string) {
	t.Helper()
	evaluate[bool](t, ctx, "(() => { const e = document.querySelector("+jsString(sel)+"); e.value = "+jsString(v)+"; return true })()")
}
