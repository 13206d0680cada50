package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// userAgent names the tool in the server's request log.
const userAgent = "campaigntrack-load/1"

// SignConfig is one sign scenario: Clients browsers signing back to back
// for Duration, at most Rate signatures a second between them (0: as fast
// as they can).
type SignConfig struct {
	URL      string // base URL of the server, e.g. http://127.0.0.1:8080
	Campaign string // campaign slug
	Clients  int
	Duration time.Duration
	Rate     float64       // total signatures per second; 0 for no cap
	Timeout  time.Duration // per request; 0 for 30s
}

// ReadConfig is one read scenario: Clients browsers fetching Path back to
// back for Duration.
type ReadConfig struct {
	URL      string
	Campaign string
	Path     string // "{slug}" is replaced by Campaign; "" for /campaigns/{slug}
	Clients  int
	Duration time.Duration
	Timeout  time.Duration
}

// NewTransport is the one transport every client of a run shares: enough
// idle connections per host that no client ever waits for one or opens a
// new one mid-run.
func NewTransport(conns int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conns + 16
	t.MaxIdleConnsPerHost = conns + 16
	t.MaxConnsPerHost = 0
	t.IdleConnTimeout = 90 * time.Second
	// Bigger reads than the 4 KB default: a campaign page then takes a
	// few read calls, not a dozen, and the tool leaves the CPU to the server.
	t.ReadBufferSize = 32 << 10
	return t
}

// newClient is one browser: its own cookie jar, the shared transport,
// and redirects answered to the caller rather than followed.
func newClient(tr http.RoundTripper, timeout time.Duration) *http.Client {
	jar, _ := cookiejar.New(nil) // never fails with nil options
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return &http.Client{
		Transport:     tr,
		Jar:           jar,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// stats is what one worker saw. Workers never share one; they are merged
// when the run is over.
type stats struct {
	requests  int64
	successes int64
	bytes     int64
	latencies []time.Duration // every request that got a response
	errors    map[string]int64
	samples   []string // the first few distinct transport errors
}

func newStats() *stats {
	return &stats{latencies: make([]time.Duration, 0, 4096), errors: make(map[string]int64)}
}

// drain reads r to the end into buf, which each worker owns and reuses,
// and returns how many bytes it read.
func drain(r io.Reader, buf []byte) (int64, error) {
	var n int64
	for {
		m, err := r.Read(buf)
		n += int64(m)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

func (s *stats) fail(kind string) { s.errors[kind]++ }

func (s *stats) transport(err error) {
	s.requests++
	kind := "transport: " + classify(err)
	s.errors[kind]++
	if len(s.samples) < 5 {
		msg := err.Error()
		for _, m := range s.samples {
			if m == msg {
				return
			}
		}
		s.samples = append(s.samples, msg)
	}
}

// classify names a transport error's kind, so the report can group them.
func classify(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no local ports"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "other"
}

// pacer spaces the starts of requests across all workers so they add up
// to at most rate a second. A worker that falls behind does not earn a
// burst: the next start is never earlier than now.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func newPacer(rate float64) *pacer {
	if rate <= 0 {
		return nil
	}
	iv := time.Duration(float64(time.Second) / rate)
	if iv <= 0 {
		iv = 1
	}
	return &pacer{interval: iv}
}

// wait blocks until the caller may start a request, and reports false if
// that moment is at or past the deadline, or the run was stopped.
func (p *pacer) wait(ctx context.Context, deadline time.Time, timer *time.Timer) bool {
	p.mu.Lock()
	now := time.Now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	if !at.Before(deadline) {
		p.mu.Unlock()
		return false
	}
	p.next = at.Add(p.interval)
	p.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer.Reset(d)
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// plan is one side of a run, set up and ready: a step per client, each
// doing one request and recording it.
type plan struct {
	side  string
	steps []func(st *stats)
	pace  *pacer
	setup time.Duration
	// readURL is the address a read plan fetches.
	readURL string

	stats   []*stats
	elapsed time.Duration
}

// execute runs the plans together for d, from the same start. Requests in
// flight at the deadline (or when ctx is cancelled) are finished, not cut
// off, so what the server committed and what the tool counted agree.
func execute(ctx context.Context, d time.Duration, plans ...*plan) (interrupted bool) {
	start := time.Now()
	deadline := start.Add(d)
	var all sync.WaitGroup
	for _, p := range plans {
		p.stats = make([]*stats, len(p.steps))
		var wg sync.WaitGroup
		for i, step := range p.steps {
			st := newStats()
			p.stats[i] = st
			wg.Add(1)
			go func() {
				defer wg.Done()
				timer := time.NewTimer(time.Hour)
				timer.Stop()
				for ctx.Err() == nil && time.Now().Before(deadline) {
					if p.pace != nil && !p.pace.wait(ctx, deadline, timer) {
						break
					}
					step(st)
				}
			}()
		}
		all.Add(1)
		go func() {
			defer all.Done()
			wg.Wait()
			p.elapsed = time.Since(start)
		}()
	}
	all.Wait()
	return ctx.Err() != nil
}

// target is the server under load.
type target struct {
	base     string // no trailing slash
	campaign string
}

func newTarget(rawURL, campaign string) (target, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return target{}, fmt.Errorf("-url %q: want http://host:port", rawURL)
	}
	if campaign == "" || strings.ContainsAny(campaign, "/?#% ") {
		return target{}, fmt.Errorf("-campaign %q: want a campaign slug such as no-tech-for-ice", campaign)
	}
	return target{base: strings.TrimRight(u.String(), "/"), campaign: campaign}, nil
}

func (t target) pageURL() string { return t.base + "/campaigns/" + t.campaign }
func (t target) signURL() string { return t.base + "/campaigns/" + t.campaign + "/sign" }
func (t target) apiURL() string  { return t.base + "/api/campaigns/" + t.campaign }

// signatureCount reads the server's kept count from the JSON API.
func (t target) signatureCount(ctx context.Context, tr http.RoundTripper) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.apiURL(), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "application/json")
	resp, err := newClient(tr, 30*time.Second).Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return 0, fmt.Errorf("GET %s: %s", t.apiURL(), resp.Status)
	}
	var v struct {
		Count *int64 `json:"signature_count"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return 0, fmt.Errorf("GET %s: %w", t.apiURL(), err)
	}
	if v.Count == nil {
		return 0, fmt.Errorf("GET %s: no signature_count in the answer", t.apiURL())
	}
	return *v.Count, nil
}

// The sign form and its CSRF field, as views/sign.templ and
// views/form.templ render them.
var (
	signFormRe = regexp.MustCompile(`data-testid="sign-form"`)
	csrfRe     = regexp.MustCompile(`<input[^>]*\bname="_csrf"[^>]*\bvalue="([^"]*)"`)
)

// csrfToken fetches the campaign page as a new visitor and returns the
// token from its sign form; the client's jar now holds the cookie.
func csrfToken(ctx context.Context, c *http.Client, t target) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.pageURL(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/html")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", t.pageURL(), err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", t.pageURL(), resp.Status)
	}
	loc := signFormRe.FindIndex(body)
	if loc == nil {
		return "", fmt.Errorf("GET %s: no sign form on the page (is the petition open?)", t.pageURL())
	}
	m := csrfRe.FindSubmatch(body[loc[1]:])
	if m == nil || len(m[1]) == 0 {
		return "", fmt.Errorf("GET %s: no _csrf field in the sign form", t.pageURL())
	}
	return html.UnescapeString(string(m[1])), nil
}

// newRunID is a short random tag that keeps one run's emails apart from
// every other run's.
func newRunID() string { return strconv.FormatUint(rand.Uint64()&0xffffffffff, 36) }

// prepareSign sets up the sign side: every client visits the page for its
// cookie and token, in parallel, before the clock starts.
func prepareSign(ctx context.Context, cfg SignConfig, t target, tr http.RoundTripper, runID string) (*plan, error) {
	p := &plan{side: "sign", steps: make([]func(*stats), cfg.Clients), pace: newPacer(cfg.Rate)}
	started := time.Now()
	errs := make([]error, cfg.Clients)
	var wg sync.WaitGroup
	for i := range cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(tr, cfg.Timeout)
			token, err := csrfToken(ctx, c, t)
			if err != nil {
				errs[i] = fmt.Errorf("client %d: %w", i, err)
				return
			}
			p.steps[i] = signer(c, t, token, runID, i)
		}()
	}
	wg.Wait()
	p.setup = time.Since(started)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("setting up the signers: %w", err)
	}
	return p, nil
}

// signer returns client id's step: one signature with a new email.
func signer(c *http.Client, t target, token, runID string, id int) func(*stats) {
	rng := rand.New(rand.NewPCG(rand.Uint64(), uint64(id)))
	signURL := t.signURL()
	wantPath := "/campaigns/" + t.campaign + "/signed"
	prefix := "load-" + runID + "-" + strconv.Itoa(id) + "-"
	form := url.Values{"_csrf": {token}, "country": {"US"}}
	email := make([]byte, 0, 64)
	n := 0
	buf := make([]byte, 4<<10)
	return func(st *stats) {
		n++
		pl := places[rng.IntN(len(places))]
		email = append(strconv.AppendInt(append(email[:0], prefix...), int64(n), 10), "@example.org"...)
		form.Set("first_name", firstNames[rng.IntN(len(firstNames))])
		form.Set("last_name", lastNames[rng.IntN(len(lastNames))])
		form.Set("email", string(email))
		form.Set("city", pl.city)
		form.Set("region", pl.state)
		form.Set("postal_code", pl.zip)
		setOn(form, "show_name", rng.IntN(10) < 7)
		setOn(form, "send_updates", rng.IntN(2) == 0)
		if rng.IntN(5) == 0 {
			form.Set("comment", comments[rng.IntN(len(comments))])
		} else {
			form.Del("comment")
		}
		req, err := http.NewRequest(http.MethodPost, signURL, strings.NewReader(form.Encode()))
		if err != nil {
			st.transport(err)
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("User-Agent", userAgent)
		req.Header.Set("Accept", "text/html")
		// Asked for as a browser asks. Set by hand, Go's transport hands
		// over the bytes as they came instead of inflating them here:
		// inflating is the browser's work, not the server's, and on the
		// two cores the tool shares with the server it would be measured
		// as the server's. The report's byte counts are bytes on the wire.
		req.Header.Set("Accept-Encoding", "gzip")
		begin := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			st.transport(err)
			return
		}
		nb, err := drain(resp.Body, buf)
		resp.Body.Close()
		st.requests++
		st.bytes += nb
		if err != nil {
			st.errors["transport: "+classify(err)+" (reading the body)"]++
			return
		}
		st.latencies = append(st.latencies, time.Since(begin))
		if resp.StatusCode != http.StatusSeeOther {
			st.fail(strconv.Itoa(resp.StatusCode))
			return
		}
		switch outcome, ok := signedOutcome(resp.Header.Get("Location"), wantPath); {
		case ok && outcome == "signed":
			st.successes++
		case ok && outcome == "already":
			st.fail("303 outcome=already")
		default:
			st.fail("303 unexpected Location")
		}
	}
}

func setOn(form url.Values, key string, on bool) {
	if on {
		form.Set(key, "on")
	} else {
		form.Del(key)
	}
}

// signedOutcome reads the outcome from the thank-you page's address.
func signedOutcome(location, wantPath string) (string, bool) {
	u, err := url.Parse(location)
	if err != nil || u.Path != wantPath {
		return "", false
	}
	return u.Query().Get("outcome"), true
}

// prepareRead sets up the read side; readers need nothing before they
// start.
func prepareRead(cfg ReadConfig, t target, tr http.RoundTripper) *plan {
	path := cfg.Path
	if path == "" {
		path = "/campaigns/{slug}"
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	pageURL := t.base + strings.ReplaceAll(path, "{slug}", t.campaign)
	p := &plan{side: "read", steps: make([]func(*stats), cfg.Clients), readURL: pageURL}
	for i := range cfg.Clients {
		p.steps[i] = reader(newClient(tr, cfg.Timeout), pageURL)
	}
	return p
}

// reader returns one client's step: one GET, body read to the end.
func reader(c *http.Client, pageURL string) func(*stats) {
	buf := make([]byte, 32<<10)
	return func(st *stats) {
		req, err := http.NewRequest(http.MethodGet, pageURL, nil)
		if err != nil {
			st.transport(err)
			return
		}
		req.Header.Set("User-Agent", userAgent)
		req.Header.Set("Accept", "text/html")
		// Asked for as a browser asks. Set by hand, Go's transport hands
		// over the bytes as they came instead of inflating them here:
		// inflating is the browser's work, not the server's, and on the
		// two cores the tool shares with the server it would be measured
		// as the server's. The report's byte counts are bytes on the wire.
		req.Header.Set("Accept-Encoding", "gzip")
		begin := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			st.transport(err)
			return
		}
		nb, err := drain(resp.Body, buf)
		resp.Body.Close()
		st.requests++
		st.bytes += nb
		if err != nil {
			st.errors["transport: "+classify(err)+" (reading the body)"]++
			return
		}
		st.latencies = append(st.latencies, time.Since(begin))
		if resp.StatusCode != http.StatusOK {
			st.fail(strconv.Itoa(resp.StatusCode))
			return
		}
		st.successes++
	}
}

// RunSign runs the sign scenario and checks the server's count.
func RunSign(ctx context.Context, cfg SignConfig, tr http.RoundTripper) (*Report, error) {
	t, err := newTarget(cfg.URL, cfg.Campaign)
	if err != nil {
		return nil, err
	}
	if cfg.Clients < 1 || cfg.Duration <= 0 || cfg.Rate < 0 {
		return nil, errors.New("want -c >= 1, -d > 0 and -rate >= 0")
	}
	if tr == nil {
		tr = NewTransport(cfg.Clients)
	}
	rep := newReport("sign", t, cfg.Duration)
	before, err := t.signatureCount(ctx, tr)
	if err != nil {
		return nil, fmt.Errorf("reading the count before the run: %w", err)
	}
	p, err := prepareSign(ctx, cfg, t, tr, newRunID())
	if err != nil {
		return nil, err
	}
	rep.Started = time.Now()
	rep.Interrupted = execute(ctx, cfg.Duration, p)
	res := summarise(p, cfg.Clients, cfg.Rate)
	res.Count = checkCount(t, tr, before, res.Successes)
	rep.Sign = res
	rep.finish()
	return rep, nil
}

// RunRead runs the read scenario.
func RunRead(ctx context.Context, cfg ReadConfig, tr http.RoundTripper) (*Report, error) {
	t, err := newTarget(cfg.URL, cfg.Campaign)
	if err != nil {
		return nil, err
	}
	if cfg.Clients < 1 || cfg.Duration <= 0 {
		return nil, errors.New("want -c >= 1 and -d > 0")
	}
	if tr == nil {
		tr = NewTransport(cfg.Clients)
	}
	rep := newReport("read", t, cfg.Duration)
	p := prepareRead(cfg, t, tr)
	rep.Started = time.Now()
	rep.Interrupted = execute(ctx, cfg.Duration, p)
	rep.Read = summarise(p, cfg.Clients, 0)
	rep.Read.Path = strings.TrimPrefix(p.readURL, t.base)
	rep.finish()
	return rep, nil
}

// RunMixed runs readers and signers together from the same start, over
// one transport, and reports each side on its own.
func RunMixed(ctx context.Context, read ReadConfig, sign SignConfig, tr http.RoundTripper) (*Report, error) {
	t, err := newTarget(sign.URL, sign.Campaign)
	if err != nil {
		return nil, err
	}
	if read.Clients < 1 || sign.Clients < 1 || sign.Duration <= 0 || sign.Rate < 0 {
		return nil, errors.New("want -read-c >= 1, -sign-c >= 1, -d > 0 and -sign-rate >= 0")
	}
	if tr == nil {
		tr = NewTransport(read.Clients + sign.Clients)
	}
	rep := newReport("mixed", t, sign.Duration)
	before, err := t.signatureCount(ctx, tr)
	if err != nil {
		return nil, fmt.Errorf("reading the count before the run: %w", err)
	}
	sp, err := prepareSign(ctx, sign, t, tr, newRunID())
	if err != nil {
		return nil, err
	}
	rp := prepareRead(read, t, tr)
	rep.Started = time.Now()
	rep.Interrupted = execute(ctx, sign.Duration, sp, rp)
	rep.Sign = summarise(sp, sign.Clients, sign.Rate)
	rep.Sign.Count = checkCount(t, tr, before, rep.Sign.Successes)
	rep.Read = summarise(rp, read.Clients, 0)
	rep.Read.Path = strings.TrimPrefix(rp.readURL, t.base)
	rep.finish()
	return rep, nil
}

// checkCount reads the count after the run and compares the difference
// with the signatures the tool was thanked for. The after read is not
// tied to the run's context: an interrupted run still gets its check.
func checkCount(t target, tr http.RoundTripper, before, successes int64) *CountCheck {
	cc := &CountCheck{Before: before}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	after, err := t.signatureCount(ctx, tr)
	if err != nil {
		cc.Error = "reading the count after the run: " + err.Error()
		return cc
	}
	cc.After = after
	cc.Delta = after - before
	cc.OK = cc.Delta == successes
	return cc
}
