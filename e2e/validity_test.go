package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The two third-party checkers of issue 16, run over every page a person
// can reach: axe-core (accessibility, in the real browser, on the page as
// rendered) and the Nu Html Checker (validity, on the HTML as served).
// .ci/run installs both from npm into $HOME/.cache/campaigntrack-npm and
// sets CAMPAIGNTRACK_REQUIRE_VALIDATORS, so there they fail rather than
// skip; elsewhere the tests skip, saying how to get them.

// validatorPath finds an npm package's file: the environment variable if
// set, else the cache .ci/run installs into.
func validatorPath(t *testing.T, env, rel string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		home, _ := os.UserHomeDir()
		p = filepath.Join(home, ".cache", "campaigntrack-npm", "node_modules", rel)
	}
	if _, err := os.Stat(p); err != nil {
		msg := "no " + p + " (" + env + "): install it with `npm install --prefix $HOME/.cache/campaigntrack-npm axe-core@4.14.1 vnu-jar@26.9.27`, as .ci/run does"
		if os.Getenv("CAMPAIGNTRACK_REQUIRE_VALIDATORS") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// checkedPage is a page the crawl reached, with its HTML as served.
type checkedPage struct {
	name string // the address, or what was done to reach the state
	html string
}

// samePage makes a crawled address a route: numbers become N, so each
// kind of page is checked once, not each record.
var digits = regexp.MustCompile(`[0-9]+`)

// crawl follows the links of the pages under prefix, breadth first from
// start, one page per route, and calls visit on each, loaded in ctx.
func crawl(t *testing.T, ctx context.Context, base, start string, keep func(path string) bool, visit func(path string)) {
	t.Helper()
	seen := map[string]bool{}
	queue := []string{start}
	for len(queue) > 0 && len(seen) < 80 {
		p := queue[0]
		queue = queue[1:]
		route := digits.ReplaceAllString(p, "N")
		if seen[route] {
			continue
		}
		seen[route] = true
		navigate(t, ctx, base+p, http.StatusOK)
		visit(p)
		links := evaluate[[]string](t, ctx, `[...document.querySelectorAll('a[href]')].map(a => new URL(a.getAttribute('href'), location.href).href)`)
		for _, l := range links {
			u, err := url.Parse(l)
			if err != nil || u.Host != strings.TrimPrefix(base, "http://") || u.RawQuery != "" {
				continue
			}
			if keep(u.Path) && !seen[digits.ReplaceAllString(u.Path, "N")] {
				queue = append(queue, u.Path)
			}
		}
	}
}

// downloadOrAction is a link that is not a page: a file, a feed, an
// image, the JSON API, signing out.
var downloadOrAction = regexp.MustCompile(`\.(csv|xlsx|atom|png|svg|zip|pdf)$|^/api/|^/assets/|/logout$|/packet$`)

// servedHTML is the page at p as the server sends it, with the tab's
// cookies.
func servedHTML(t *testing.T, ctx context.Context, p string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+jsString(p)+`, {credentials: 'same-origin'}).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetching %s: %v", p, err)
	}
	return s
}

// axeViolation is what axe-core reports of one rule.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// runAxe runs axe-core on the page the tab shows and reports each
// violation as a test error.
func runAxe(t *testing.T, ctx context.Context, axeJS, page string) {
	t.Helper()
	if !evaluate[bool](t, ctx, `typeof window.axe === 'object'`) {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeJS+";true")); err != nil {
			t.Fatalf("%s: loading axe-core: %v", page, err)
		}
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: running axe-core: %v", page, err)
	}
	for _, v := range vs {
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				where = append(where, "…")
				break
			}
			where = append(where, strings.TrimSpace(n.HTML))
		}
		t.Errorf("axe-core on %s: %s (%s), %d element(s): %s", page, v.ID, v.Help, len(v.Nodes), strings.Join(where, " | "))
	}
}

// runNu runs the Nu Html Checker once over the pages and reports every
// error (warnings are logged).
func runNu(t *testing.T, jar string, pages []checkedPage) {
	t.Helper()
	dir := t.TempDir()
	names := map[string]string{}
	var files []string
	for i, p := range pages {
		f := filepath.Join(dir, strconv.Itoa(i)+".html")
		if err := os.WriteFile(f, []byte(p.html), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		names["file:"+f] = p.name
	}
	out, err := exec.Command("java", append([]string{"-jar", jar, "--format", "json", "--stdout", "--exit-zero-always"}, files...)...).Output()
	if err != nil {
		t.Fatalf("running the Nu Html Checker: %v\n%s", err, out)
	}
	var report struct {
		Messages []struct {
			Type, SubType, URL, Message, Extract string
			LastLine                             int
		} `json:"messages"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("the Nu Html Checker's report: %v\n%s", err, out)
	}
	warnings := 0
	for _, m := range report.Messages {
		name := names[m.URL]
		if name == "" {
			name = m.URL
		}
		if m.Type == "error" || m.SubType == "fatal" {
			t.Errorf("Nu Html Checker on %s, line %d: %s (%q)", name, m.LastLine, m.Message, strings.TrimSpace(m.Extract))
		} else {
			warnings++
			t.Logf("Nu Html Checker on %s, line %d: %s %s", name, m.LastLine, m.Type, m.Message)
		}
	}
	t.Logf("Nu Html Checker: %d pages, %d messages, %d of them warnings or notes", len(pages), len(report.Messages), warnings)
}

// TestCheckersOnEveryPage crawls every public page and, signed in, every
// admin page (one of each route), and runs axe-core and the Nu Html
// Checker on each; plus the sign form after a refused submit, the 404
// page and a delete's confirmation.
func TestCheckersOnEveryPage(t *testing.T) {
	axeJS, err := os.ReadFile(validatorPath(t, "CAMPAIGNTRACK_AXE_JS", "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	jar := validatorPath(t, "CAMPAIGNTRACK_VNU_JAR", "vnu-jar/build/dist/vnu.jar")
	if _, err := exec.LookPath("java"); err != nil {
		t.Fatal("the Nu Html Checker needs java (Debian: default-jre-headless)")
	}
	t.Parallel()
	ctx := newBrowser(t)
	// An admin sees every admin page an organiser sees, and the users.
	db := dbWithOrganiser(t)
	const adminEmail = "admin.checkers@example.org"
	runCLI(t, organiserPassword+"\n", "users", "add", "--db", db, "--email", adminEmail, "--role", "admin")
	base := startServerWithDB(t, db)
	var pages []checkedPage
	check := func(name, html string) {
		runAxe(t, ctx, string(axeJS), name)
		pages = append(pages, checkedPage{name: name, html: html})
	}

	// The public side, from the home page.
	crawl(t, ctx, base, "/", func(p string) bool {
		return !strings.HasPrefix(p, "/admin") && !strings.HasPrefix(p, "/login") && !downloadOrAction.MatchString(p)
	}, func(p string) { check(p, servedHTML(t, ctx, p)) })

	// The same in Spanish, from its home page: every page there has lang="es".
	crawl(t, ctx, base, "/es"+demoPath, func(p string) bool {
		return (p == "/es" || strings.HasPrefix(p, "/es/")) && !downloadOrAction.MatchString(p)
	}, func(p string) {
		if lang := evaluate[string](t, ctx, `document.documentElement.lang`); lang != "es" {
			t.Errorf("%s: lang %q", p, lang)
		}
		check(p, servedHTML(t, ctx, p))
	})

	// A page that is not there, in each language.
	for _, prefix := range []string{"", "/es"} {
		navigate(t, ctx, base+prefix+"/campaigns/no-such-campaign", http.StatusNotFound)
		check(prefix+" the 404 page", "<!DOCTYPE html>"+evaluate[string](t, ctx, `document.documentElement.outerHTML`))
	}

	// The sign form after a refused submit, updated in place by htmx, in
	// each language.
	for _, prefix := range []string{"", "/es"} {
		navigate(t, ctx, base+prefix+demoPath, http.StatusOK)
		waitFor(t, ctx, `typeof htmx !== "undefined" && document.readyState === "complete"`, "htmx")
		fillSignForm(t, ctx, "not an email")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("[data-testid=sign-form] button[type=submit]"))); err != nil {
			t.Fatalf("signing with a wrong email: %v", err)
		}
		waitFor(t, ctx, `!!document.querySelector("#sign [data-testid=error-summary]")`, "the error summary")
		check(prefix+" the sign form after a refused submit", "<!DOCTYPE html>"+evaluate[string](t, ctx, `document.documentElement.outerHTML`))
	}

	// The thank-you page, and a packet check for a code that finds none.
	for _, p := range []struct {
		path   string
		status int64
	}{{demoPath + "/signed", http.StatusOK}, {demoPath + "/packets/NO-SUCH-CODE", http.StatusNotFound},
		{"/es" + demoPath + "/signed", http.StatusOK}, {"/es" + demoPath + "/packets/NO-SUCH-CODE", http.StatusNotFound}} {
		navigate(t, ctx, base+p.path, p.status)
		check(p.path, "<!DOCTYPE html>"+evaluate[string](t, ctx, `document.documentElement.outerHTML`))
	}

	// The login page, then every admin page, as an admin.
	navigate(t, ctx, base+"/login", http.StatusOK)
	check("/login", servedHTML(t, ctx, "/login"))
	const loginForm = "form[data-testid=login-form]"
	typeInto(t, ctx, loginForm+" #email", adminEmail)
	typeInto(t, ctx, loginForm+" #password", organiserPassword)
	clickAndLoad(t, ctx, loginForm+` button[type=submit]`, http.StatusOK)
	crawl(t, ctx, base, "/admin", func(p string) bool {
		return strings.HasPrefix(p, "/admin") && !downloadOrAction.MatchString(p)
	}, func(p string) { check(p, servedHTML(t, ctx, p)) })
	for _, p := range []string{"/admin/users", "/admin/mail/messages"} {
		navigate(t, ctx, base+p, http.StatusOK)
		check(p, servedHTML(t, ctx, p))
	}

	// A delete's confirmation (reached by a POST).
	navigate(t, ctx, base+adminCampaignPath+"/actions", http.StatusOK)
	clickAndLoad(t, ctx, "[data-testid=admin-action] h3 a", http.StatusOK)
	clickAndLoad(t, ctx, `form[action$="/delete"] button[type=submit]`, http.StatusOK)
	check("a delete's confirmation", "<!DOCTYPE html>"+evaluate[string](t, ctx, `document.documentElement.outerHTML`))

	names := make([]string, len(pages))
	for i, p := range pages {
		names[i] = p.name
	}
	sort.Strings(names)
	t.Logf("checked %d pages: %s", len(pages), strings.Join(names, ", "))
	if len(pages) < 45 {
		t.Errorf("only %d pages reached", len(pages))
	}
	runNu(t, jar, pages)
}
