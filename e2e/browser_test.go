package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

const (
	// testTimeout bounds each browser test, browser start included. It is
	// a guard against a hang, not a performance budget: no test asserts how
	// long anything took.
	testTimeout = 60 * time.Second
	// startTimeout bounds the wait for the server's /healthz.
	startTimeout = 30 * time.Second
	// stopTimeout is how long the server gets to exit after SIGTERM.
	stopTimeout = 15 * time.Second

	// A phone-sized window (an iPhone 12-15 in portrait).
	phoneWidth, phoneHeight = 390, 844

	chromiumPath  = "/usr/bin/chromium"
	requireEnv    = "CAMPAIGNTRACK_REQUIRE_BROWSER"
	demoSlug      = "no-tech-for-ice"
	demoPath      = "/campaigns/" + demoSlug
	headlineCount = "270,000"
	deliveryText  = "5 of 9 cities delivered"
)

// The browser tests call t.Parallel: each has its own server and its own
// Chromium. The crash, attack, file-mode and two-instance tests stay
// serial: they measure a process's memory, files and timing, or set the
// umask, and other tests beside them would change what they measure.

// binPath is the campaigntrack binary that TestMain builds.
var binPath string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

var (
	repoRoot    string
	sourcesSeen sync.Once
)

// statSources stats every file the binary is built from.
func statSources(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "e2e") {
				return filepath.SkipDir
			}
			return nil
		}
		_, err = os.Stat(path)
		return err
	})
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "campaigntrack-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: making a temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	// go test runs a package's tests in the package directory, so the
	// module root is one level up.
	root, err := filepath.Abs("..")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: finding the repository root:", err)
		return 1
	}
	repoRoot = root
	binPath = filepath.Join(dir, "campaigntrack")
	build := exec.Command("go", "build", "-o", binPath, "./cmd/campaigntrack")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/campaigntrack in %s: %v\n%s", root, err, out)
		return 1
	}
	return m.Run()
}

// lockedBuffer is a bytes.Buffer that a process's output and the test can
// use at the same time.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Printf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(&b.buf, format, args...)
	if !strings.HasSuffix(format, "\n") {
		b.buf.WriteByte('\n')
	}
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatalf("freeing port %s: %v", addr, err)
	}
	return addr
}

// startServer runs the campaigntrack binary on a free port with a new SQLite
// database (so the demo campaign is loaded); see startServerWithDB.
func startServer(t *testing.T) string {
	t.Helper()
	return startServerWithDB(t, filepath.Join(t.TempDir(), "campaigntrack.db"))
}

// startServerWithDB runs the campaigntrack binary on a free port with the
// database the test prepared (a new file gets the demo campaign), waits
// until /healthz answers 200, and returns the base URL. On cleanup it sends
// SIGTERM and waits for the process; if the test failed, it logs the
// server's output.
func startServerWithDB(t *testing.T, db string) string {
	t.Helper()
	// go test caches a passing result unless a file a test looked at
	// changed, and it cannot see what TestMain's go build read. Looking at
	// every source file here (inside a test, where go test records it)
	// ties the cached result to the sources.
	sourcesSeen.Do(func() {
		if err := statSources(repoRoot); err != nil {
			t.Fatalf("reading the sources: %v", err)
		}
	})
	addr := freeAddr(t)

	var output lockedBuffer
	cmd := exec.Command(binPath, "serve", "--db", db, "--addr", addr)
	cmd.Env = serverEnv()
	cmd.Stdout = &output
	cmd.Stderr = &output
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", binPath, err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()

	t.Cleanup(func() {
		select {
		case <-exited:
			t.Errorf("campaigntrack exited before the test ended: %v", waitErr)
		default:
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Errorf("sending SIGTERM to campaigntrack: %v", err)
			}
			select {
			case <-exited:
				if waitErr != nil {
					t.Errorf("campaigntrack did not exit cleanly after SIGTERM: %v", waitErr)
				}
			case <-time.After(stopTimeout):
				t.Errorf("campaigntrack still running %s after SIGTERM; killing it", stopTimeout)
				_ = cmd.Process.Kill()
				<-exited
			}
		}
		if t.Failed() {
			t.Logf("campaigntrack output:\n%s", output.String())
		}
	})

	base := "http://" + addr
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startTimeout)
	var lastErr error
	for {
		select {
		case <-exited:
			t.Fatalf("campaigntrack exited before it was ready: %v", waitErr)
		default:
		}
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
			err = fmt.Errorf("GET /healthz: status %d", resp.StatusCode)
		}
		lastErr = err
		if time.Now().After(deadline) {
			t.Fatalf("campaigntrack not ready on %s within %s: %v", addr, startTimeout, lastErr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// serverEnv is the test's environment without CAMPAIGNTRACK_* settings, so a
// developer's shell cannot change the database, seed or address under test.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CAMPAIGNTRACK_") {
			env = append(env, kv)
		}
	}
	return env
}

// findChromium returns the path of the browser, or skips the test when there
// is none, unless CAMPAIGNTRACK_REQUIRE_BROWSER=1 asks for a failure.
func findChromium(t *testing.T) string {
	t.Helper()
	if fi, err := os.Stat(chromiumPath); err == nil && !fi.IsDir() {
		return chromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	msg := fmt.Sprintf("Chromium not found at %s or as \"chromium\" on PATH; install it (apt-get install chromium) to run the browser tests", chromiumPath)
	if os.Getenv(requireEnv) == "1" {
		t.Fatalf("%s (%s=1, so this is a failure)", msg, requireEnv)
	}
	t.Skipf("%s; set %s=1 to make this a failure", msg, requireEnv)
	return ""
}

// chromiumVersion runs "chromium --version", so that a broken install fails
// with its own message rather than as a browser that never starts.
func chromiumVersion(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", path, err)
	}
	// Debian's wrapper script can print shell noise first: keep the last line.
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// newBrowser starts a headless Chromium with a fresh profile, opens a tab
// with a phone-sized mobile viewport, and returns the tab's context. The
// context ends after testTimeout; the browser is closed on cleanup.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	execPath := findChromium(t)
	t.Logf("browser: %s (%s)", chromiumVersion(t, execPath), execPath)

	var browserLog lockedBuffer
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// /dev/shm is small in many containers.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(phoneWidth, phoneHeight),
		chromedp.CombinedOutput(&browserLog),
	}

	timeoutCtx, cancelTimeout := context.WithTimeout(context.Background(), testTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(timeoutCtx, opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx,
		chromedp.WithErrorf(func(format string, args ...any) { browserLog.Printf("chromedp error: "+format, args...) }),
	)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit
		cancelTimeout()
		if t.Failed() {
			if s := browserLog.String(); s != "" {
				t.Logf("browser output:\n%s", s)
			}
		}
	})

	// The first action starts the browser and opens the tab.
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulatePortrait),
	); err != nil {
		t.Fatalf("starting %s: %v", execPath, err)
	}
	return ctx
}

// navigate loads url and checks the HTTP status of the document.
func navigate(t *testing.T, ctx context.Context, url string, wantStatus int64) {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("navigating to %s: %v", url, err)
	}
	if resp.Status != wantStatus {
		t.Fatalf("GET %s: status %d, want %d", url, resp.Status, wantStatus)
	}
}

// clickAndLoad clicks the element and waits for the page it leads to, which
// must answer with wantStatus.
func clickAndLoad(t *testing.T, ctx context.Context, sel string, wantStatus int64) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
	if resp.Status != wantStatus {
		t.Fatalf("after clicking %s: %s answered %d, want %d", sel, resp.URL, resp.Status, wantStatus)
	}
}

// location returns the address of the current page.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("reading the location: %v", err)
	}
	return loc
}

// text returns the rendered text of the first element that matches the CSS
// selector, with runs of white space made one space. It works with the
// page's scripts disabled.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("reading the text of %s: %v", sel, err)
	}
	return normalize(s)
}

// outerHTML returns the markup of the first element that matches sel.
func outerHTML(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("reading the HTML of %s: %v", sel, err)
	}
	return s
}

func normalize(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// evaluate runs a JavaScript expression in the page and decodes its value.
func evaluate[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// jsString makes s a JavaScript string literal.
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// texts returns the text of every element that matches the CSS selector,
// without waiting for any to appear.
func texts(t *testing.T, ctx context.Context, sel string) []string {
	t.Helper()
	got := evaluate[[]string](t, ctx, fmt.Sprintf(
		`Array.from(document.querySelectorAll(%s), e => e.innerText.replace(/\s+/g, " ").trim())`,
		jsString(sel)))
	if got == nil {
		got = []string{}
	}
	return got
}

// anyContains returns the first string of list that contains sub.
func anyContains(list []string, sub string) (string, bool) {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return s, true
		}
	}
	return "", false
}

// assertNoHorizontalOverflow checks that the page fits the phone's width.
func assertNoHorizontalOverflow(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	type widths struct {
		Scroll int `json:"scroll"`
		Client int `json:"client"`
	}
	// Without the stylesheet the measure would say nothing about the layout.
	if !evaluate[bool](t, ctx, `Array.from(document.styleSheets).some(s => s.href && s.cssRules.length > 0)`) {
		t.Errorf("%s: the stylesheet did not load", page)
	}
	w := evaluate[widths](t, ctx, `({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})`)
	if w.Client <= 0 {
		t.Errorf("%s: documentElement.clientWidth = %d; the page did not lay out", page, w.Client)
	}
	if w.Scroll > w.Client {
		wide := evaluate[[]string](t, ctx, `Array.from(document.querySelectorAll("body *"))
			.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
			.slice(0, 5)
			.map(e => e.outerHTML.slice(0, 160))`)
		t.Errorf("%s scrolls sideways in a %dpx-wide window: scrollWidth %d > clientWidth %d; elements past the right edge:\n%s",
			page, phoneWidth, w.Scroll, w.Client, strings.Join(wide, "\n"))
	}
}

// TestBrowserHomeToCampaign follows the way a supporter on a phone reads
// the tracker: the list of campaigns, then the demo campaign's page.
func TestBrowserHomeToCampaign(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t) // first, so a missing browser skips before the server starts
	base := startServer(t)

	navigate(t, ctx, base+"/", http.StatusOK)
	card := `li[data-testid=campaign-card]:has(a[href="` + demoPath + `"])`
	link := card + ` a[href="` + demoPath + `"]`
	if n := evaluate[int](t, ctx, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(card))); n != 1 {
		t.Fatalf("home page: %d campaign cards link to %s, want 1; cards: %q",
			n, demoPath, texts(t, ctx, "li[data-testid=campaign-card]"))
	}
	if got := text(t, ctx, card+" [data-testid=headline-count]"); !strings.Contains(got, headlineCount) {
		t.Errorf("home page: headline count %q does not contain %q", got, headlineCount)
	}
	if got := text(t, ctx, card+" [data-testid=delivery-progress]"); got != deliveryText {
		t.Errorf("home page: delivery progress %q, want %q", got, deliveryText)
	}
	assertNoHorizontalOverflow(t, ctx, "home page")

	linkText := text(t, ctx, link)
	if linkText == "" {
		t.Fatalf("home page: the link to %s has no text", demoPath)
	}
	clickAndLoad(t, ctx, link, http.StatusOK)
	if got, want := location(t, ctx), base+demoPath; got != want {
		t.Fatalf("after clicking the campaign link: at %s, want %s", got, want)
	}

	if got := text(t, ctx, "h1[data-testid=campaign-title]"); got != linkText {
		t.Errorf("campaign page: title %q, want the link's text %q", got, linkText)
	}

	deliveries := texts(t, ctx, "table[data-testid=deliveries] tr[data-testid=delivery]")
	if _, ok := anyContains(deliveries, "Seattle"); !ok {
		t.Errorf("campaign page: no delivery row mentions Seattle; rows: %q", deliveries)
	}

	responses := texts(t, ctx, "ul[data-testid=responses] > li[data-testid=response]")
	if len(responses) < 4 {
		t.Errorf("campaign page: %d responses, want at least 4: %q", len(responses), responses)
	}
	if r, ok := anyContains(responses, "responsibly and lawfully"); !ok {
		t.Errorf("campaign page: no response quotes %q; responses: %q", "responsibly and lawfully", responses)
	} else if !strings.Contains(r, "AWS spokesperson") {
		t.Errorf("campaign page: the %q response is not attributed to the AWS spokesperson: %q", "responsibly and lawfully", r)
	}
	noReplies := texts(t, ctx, "ul[data-testid=responses] > li[data-testid=response] [data-testid=no-reply]")
	if len(noReplies) == 0 {
		t.Errorf("campaign page: no response is shown as a no-reply")
	}
	for _, s := range noReplies {
		if s != "No reply." {
			t.Errorf("campaign page: no-reply text %q, want %q", s, "No reply.")
		}
	}

	claims := texts(t, ctx, "table[data-testid=claims] tr[data-testid=claim]")
	if len(claims) != 6 {
		t.Errorf("campaign page: %d rows in the claims table, want 6: %q", len(claims), claims)
	}

	for _, sel := range []string{"ul[data-testid=actions]", "ul[data-testid=coalition]"} {
		if n := evaluate[int](t, ctx, fmt.Sprintf(`document.querySelectorAll(%s + " > li").length`, jsString(sel))); n == 0 {
			t.Errorf("campaign page: %s is missing or empty", sel)
		}
	}

	assertNoHorizontalOverflow(t, ctx, "campaign page")
}

// TestBrowserNoJavaScript checks that the pages are complete when the
// browser runs no script: everything is rendered on the server.
func TestBrowserNoJavaScript(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t) // first, so a missing browser skips before the server starts
	base := startServer(t)

	disableScripts := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	if err := chromedp.Do(ctx, disableScripts); err != nil {
		t.Fatalf("disabling JavaScript: %v", err)
	}

	// Make sure the switch works: this page's script must not run.
	probe := `data:text/html,<!doctype html><p id="probe">no script</p><script>document.getElementById("probe").textContent = "script ran"</script>`
	if err := chromedp.Do(ctx, chromedp.Navigate(probe)); err != nil {
		t.Fatalf("loading the probe page: %v", err)
	}
	if got := text(t, ctx, "#probe"); got != "no script" {
		t.Fatalf("scripts still run after Emulation.setScriptExecutionDisabled: probe reads %q", got)
	}

	navigate(t, ctx, base+"/", http.StatusOK)
	if got := text(t, ctx, "li[data-testid=campaign-card] [data-testid=headline-count]"); !strings.Contains(got, headlineCount) {
		t.Errorf("home page without JavaScript: headline count %q does not contain %q", got, headlineCount)
	}

	navigate(t, ctx, base+demoPath, http.StatusOK)
	if got := text(t, ctx, "table[data-testid=deliveries]"); !strings.Contains(got, "Seattle") {
		t.Errorf("campaign page without JavaScript: the deliveries table does not mention Seattle: %q", got)
	}
	if got := outerHTML(t, ctx, "table[data-testid=claims]"); !strings.Contains(got, headlineCount) {
		t.Errorf("campaign page without JavaScript: the claims table does not show %q:\n%s", headlineCount, got)
	}
	if got := text(t, ctx, "h1[data-testid=campaign-title]"); got == "" {
		t.Errorf("campaign page without JavaScript: the title is empty")
	}
}

// TestBrowserNotFound checks the page for an unknown campaign and its way
// back to the list.
func TestBrowserNotFound(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t) // first, so a missing browser skips before the server starts
	base := startServer(t)

	navigate(t, ctx, base+"/campaigns/does-not-exist", http.StatusNotFound)
	if got := text(t, ctx, "[data-testid=error]"); !strings.Contains(got, "Page not found") {
		t.Errorf("not-found page: error text %q does not contain %q", got, "Page not found")
	}

	back := `[data-testid=error] a[href="/"]`
	if got := text(t, ctx, back); got != "Back to the campaigns" {
		t.Errorf("not-found page: the link to / reads %q, want %q", got, "Back to the campaigns")
	}
	clickAndLoad(t, ctx, back, http.StatusOK)
	if got, want := location(t, ctx), base+"/"; got != want {
		t.Fatalf("after clicking %q: at %s, want %s", "Back to the campaigns", got, want)
	}
	if n := evaluate[int](t, ctx, `document.querySelectorAll("li[data-testid=campaign-card]").length`); n == 0 {
		t.Errorf("after going back to the list: no campaign cards")
	}
}

// landmarks is what TestBrowserLandmarks reads from a page.
type landmarks struct {
	Lang          string   `json:"lang"`
	Mains         int      `json:"mains"`
	MainID        string   `json:"mainID"`
	H1s           []string `json:"h1s"`
	FirstLink     string   `json:"firstLink"`
	SkipLinks     []string `json:"skipLinks"`
	ImgsNoAlt     []string `json:"imgsNoAlt"`
	Unlabelled    []string `json:"unlabelled"`
	FormControls  int      `json:"formControls"`
	SkipTargetTag string   `json:"skipTargetTag"`
}

const landmarksJS = `(() => {
	const snippet = e => e.outerHTML.slice(0, 160);
	const main = document.querySelector("main");
	const firstLink = document.querySelector("body a[href]");
	const target = document.getElementById("main");
	const controls = Array.from(document.querySelectorAll(
		'input:not([type=hidden]), select, textarea, progress, meter'));
	const labelled = e =>
		(e.labels && e.labels.length > 0) ||
		(e.getAttribute("aria-label") || "").trim() !== "" ||
		(e.getAttribute("aria-labelledby") || "").trim().split(/\s+/)
			.some(id => id && (document.getElementById(id)?.textContent || "").trim() !== "") ||
		(e.getAttribute("title") || "").trim() !== "";
	return {
		lang: document.documentElement.getAttribute("lang") || "",
		mains: document.querySelectorAll("main, [role=main]").length,
		mainID: main ? main.id : "",
		h1s: Array.from(document.querySelectorAll("h1"), h => h.textContent.replace(/\s+/g, " ").trim()),
		firstLink: firstLink ? firstLink.getAttribute("href") : "",
		skipLinks: Array.from(document.querySelectorAll('a[href="#main"]'), a => a.textContent.trim()),
		imgsNoAlt: Array.from(document.querySelectorAll("img:not([alt])"), snippet),
		unlabelled: controls.filter(e => !labelled(e)).map(snippet),
		formControls: controls.length,
		skipTargetTag: target ? target.tagName.toLowerCase() : "",
	};
})()`

// TestBrowserLandmarks checks the structure that screen readers and
// keyboard users rely on, on each kind of page.
func TestBrowserLandmarks(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t) // first, so a missing browser skips before the server starts
	base := startServer(t)

	pages := []struct {
		name, path string
		status     int64
	}{
		{"home page", "/", http.StatusOK},
		{"campaign page", demoPath, http.StatusOK},
		{"not-found page", "/campaigns/does-not-exist", http.StatusNotFound},
	}
	for _, p := range pages {
		navigate(t, ctx, base+p.path, p.status)
		l := evaluate[landmarks](t, ctx, landmarksJS)
		t.Logf("%s: lang=%q, main#%s, h1=%q, %d form control(s)", p.name, l.Lang, l.MainID, l.H1s, l.FormControls)

		if strings.TrimSpace(l.Lang) == "" {
			t.Errorf("%s: <html> has no lang", p.name)
		}
		if l.Mains != 1 {
			t.Errorf("%s: %d main landmarks, want 1", p.name, l.Mains)
		}
		if len(l.H1s) != 1 {
			t.Errorf("%s: %d h1 elements (%q), want 1", p.name, len(l.H1s), l.H1s)
		} else if l.H1s[0] == "" {
			t.Errorf("%s: the h1 is empty", p.name)
		}
		if len(l.SkipLinks) == 0 {
			t.Errorf("%s: no skip link with href #main", p.name)
		} else if l.FirstLink != "#main" {
			t.Errorf("%s: the first link goes to %q; the skip link to #main should come first", p.name, l.FirstLink)
		}
		if l.MainID != "main" || l.SkipTargetTag != "main" {
			t.Errorf("%s: the skip link's target #main is a <%s>, and the main landmark's id is %q; want the main element with id main",
				p.name, l.SkipTargetTag, l.MainID)
		}
		for _, img := range l.ImgsNoAlt {
			t.Errorf("%s: image without alt: %s", p.name, img)
		}
		for _, c := range l.Unlabelled {
			t.Errorf("%s: form control without a label: %s", p.name, c)
		}
	}
}
