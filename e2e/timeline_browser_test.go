package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserTimelineFiltersWithoutJavaScript follows a journalist with
// scripts off: the timeline's filter form narrows it to the company's
// responses, then to one city, by plain GET requests.
func TestBrowserTimelineFiltersWithoutJavaScript(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	base := startServer(t)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})); err != nil {
		t.Fatalf("disabling JavaScript: %v", err)
	}

	navigate(t, ctx, base+demoPath+"/timeline", http.StatusOK)
	assertNoHorizontalOverflow(t, ctx, "timeline")
	all := count(t, ctx, "[data-testid=timeline-entry]")
	if all < 10 {
		t.Fatalf("the timeline has %d entries", all)
	}
	if n := count(t, ctx, `head link[rel=alternate][type="application/atom+xml"]`); n != 1 {
		t.Errorf("%d feed links in the head, want 1", n)
	}

	const form = "form[data-testid=timeline-filter]"
	setValue(t, ctx, form+" #timeline-kind", "response")
	clickAndLoad(t, ctx, form+" button[type=submit]", http.StatusOK)
	if got := location(t, ctx); !strings.Contains(got, "kind=response") {
		t.Errorf("after filtering: at %s", got)
	}
	if n, r := count(t, ctx, "[data-testid=timeline-entry]"), count(t, ctx, "[data-testid=timeline-entry][data-kind=response]"); n != 4 || r != 4 {
		t.Errorf("responses only: %d entries, %d of them responses; want the 4 responses", n, r)
	}
	for _, src := range texts(t, ctx, "[data-testid=timeline-entry]") {
		if !strings.Contains(src, "Source") {
			t.Errorf("an entry without its source: %q", src)
		}
	}

	setValue(t, ctx, form+" #timeline-kind", "")
	setValue(t, ctx, form+" #timeline-city", "Seattle")
	clickAndLoad(t, ctx, form+" button[type=submit]", http.StatusOK)
	entries := texts(t, ctx, "[data-testid=timeline-entry]")
	if len(entries) == 0 || len(entries) >= all {
		t.Fatalf("Seattle only: %d entries of %d", len(entries), all)
	}
	for _, e := range entries {
		if !strings.Contains(e, "Seattle") {
			t.Errorf("an entry that is not Seattle's: %q", e)
		}
	}
}
