package views

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"campaigntrack/models"
)

func renderString(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Issue 16's copy bugs: no space before the comma after a speaker's name,
// and right-to-left names isolated with <bdi> so they do not run into the
// role or the city after them.
func TestNamesAreIsolatedAndCommasFollowThem(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{renderString(t, speakerLine(models.Response{Speaker: "Jane Doe", SpeakerRole: "spokesperson"})), `<bdi>Jane Doe</bdi><span class="muted">, <bdi>spokesperson</bdi></span>`},
		{renderString(t, speakerLine(models.Response{Speaker: "Jane Doe"})), `<bdi>Jane Doe</bdi>`},
		{renderString(t, speakerLine(models.Response{SpeakerRole: "Amazon Web Services"})), `<span class="muted"><bdi>Amazon Web Services</bdi></span>`},
		{renderString(t, signerItem(models.PublicSigner{FirstName: "مريم", City: "Seattle"})), `<bdi>مريم</bdi>, <bdi>Seattle</bdi>`},
		{renderString(t, signerItem(models.PublicSigner{FirstName: "Ana"})), `<bdi>Ana</bdi>`},
	} {
		if got := strings.TrimSpace(c.got); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}
