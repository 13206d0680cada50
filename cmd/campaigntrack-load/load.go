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
	// URL is the base URL of the server, e.g. http://127.0.0.1:8080, or
	// several, comma-separated: instances of one database, client i
	// signing at the (i mod n)th.
	URL      string
	Campaign string // campaign slug
	Clients  int
	Duration time.Duration
	Rate     float64       // total signatures per second; 0 for no cap
	Timeout  time.Duration // per request; 0 for 30s
	// AckFile, when set, is created (or emptied) and gets the email of
	// every signature the server acknowledged, one a line (see ackLog).
	AckFile string
}

// ReadConfig is one read scenario: Clients browsers fetching Path back to
// back for Duration.
type ReadConfig struct {
	URL      string // one base URL or several, comma-separated, as in SignConfig
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
	latencies []time.Duration  // every request that got a response
	errors    map[string]int64 // an attack, which expects refusals, counts every answer here
	samples   []string         // the first few distinct transport errors
	// backoff asks the worker to pause before its next request: the last
	// one failed in transport (see execute).
	backoff bool
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

// answered reads an answer to its end and records it (a request, its
// bytes, its latency from begin); false when reading the body failed,
// which is recorded as a transport error.
func (s *stats) answered(resp *http.Response, buf []byte, begin time.Time) bool {
	nb, err := drain(resp.Body, buf)
	resp.Body.Close()
	s.requests++
	s.bytes += nb
	if err != nil {
		s.errors["transport: "+classify(err)+" (reading the body)"]++
		s.backoff = true
		return false
	}
	s.latencies = append(s.latencies, time.Since(begin))
	return true
}

func (s *stats) transport(err error) {
	s.requests++
	s.backoff = true
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
	// readPath is what a read plan fetches, on every server.
	readPath string
	// bases are the servers' base URLs; client i sends to bases[i%n].
	bases []string

	stats   []*stats
	elapsed time.Duration
}

// transportBackoff is how long a client waits after a request that failed
// in transport (connection refused or reset, say) before its next one. A
// server that went away mid-run is then asked a hundred times a second per
// client, not in a busy loop that would take the CPU from the servers
// still running (and the tool's report would count millions of errors).
const transportBackoff = 10 * time.Millisecond

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
					if st.backoff {
						st.backoff = false
						timer.Reset(min(transportBackoff, time.Until(deadline)))
						select {
						case <-timer.C:
						case <-ctx.Done():
							timer.Stop()
						}
					}
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

// usageError is a mistake in the command line or configuration: the run
// never started (exit status 2).
type usageError struct{ error }

func newTarget(rawURL, campaign string) (target, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return target{}, usageError{fmt.Errorf("-url %q: want http://host:port", rawURL)}
	}
	if campaign == "" || strings.ContainsAny(campaign, "/?#% ") {
		return target{}, usageError{fmt.Errorf("-campaign %q: want a campaign slug such as no-tech-for-ice", campaign)}
	}
	return target{base: strings.TrimRight(u.String(), "/"), campaign: campaign}, nil
}

// newTargets reads -url: one base URL or several, comma-separated, each
// once.
func newTargets(rawURLs, campaign string) ([]target, error) {
	var ts []target
	seen := map[string]bool{}
	for _, raw := range strings.Split(rawURLs, ",") {
		t, err := newTarget(strings.TrimSpace(raw), campaign)
		if err != nil {
			return nil, err
		}
		if seen[t.base] {
			return nil, usageError{fmt.Errorf("-url: %s is listed twice", t.base)}
		}
		seen[t.base] = true
		ts = append(ts, t)
	}
	return ts, nil
}

// signatureCounts reads the kept count from every target. Several targets
// must be instances of one database, so they must agree: a disagreement
// is an error, since no count check could mean anything then.
func signatureCounts(ctx context.Context, ts []target, tr http.RoundTripper) (int64, error) {
	counts := make([]string, len(ts))
	var first int64
	agree := true
	for i, t := range ts {
		n, err := t.signatureCount(ctx, tr)
		if err != nil {
			return 0, err
		}
		if i == 0 {
			first = n
		} else if n != first {
			agree = false
		}
		counts[i] = fmt.Sprintf("%s: %d", t.base, n)
	}
	if !agree {
		return 0, fmt.Errorf("the servers disagree on signature_count (%s): -url must name instances of one database", strings.Join(counts, ", "))
	}
	return first, nil
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
	// With confirmation on, a new signature waits in signatures_pending
	// until its signer follows the mailed link: the signatures the server
	// took are the count and the pending ones together.
	var v struct {
		Count   *int64 `json:"signature_count"`
		Pending int64  `json:"signatures_pending"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return 0, fmt.Errorf("GET %s: %w", t.apiURL(), err)
	}
	if v.Count == nil {
		return 0, fmt.Errorf("GET %s: no signature_count in the answer", t.apiURL())
	}
	return *v.Count + v.Pending, nil
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

// prepareSign sets up the sign side: every client visits its server's
// page for its cookie and token, in parallel, before the clock starts.
// Client i signs at ts[i mod len(ts)], for the whole run.
func prepareSign(ctx context.Context, cfg SignConfig, ts []target, tr http.RoundTripper, runID string, ack *ackLog) (*plan, error) {
	p := &plan{side: "sign", steps: make([]func(*stats), cfg.Clients), pace: newPacer(cfg.Rate), bases: bases(ts)}
	var err error
	p.setup, err = setUpClients(cfg.Clients, func(i int) error {
		t := ts[i%len(ts)]
		c := newClient(tr, cfg.Timeout)
		token, err := csrfToken(ctx, c, t)
		if err != nil {
			return err
		}
		p.steps[i] = signer(c, t, token, runID, i, ack)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("setting up the signers: %w", err)
	}
	return p, nil
}

// setUpClients runs setUp for clients 0..n-1 at once, before the clock
// starts, and reports how long it took and every client's failure.
func setUpClients(n int, setUp func(i int) error) (time.Duration, error) {
	started := time.Now()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := setUp(i); err != nil {
				errs[i] = fmt.Errorf("client %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	return time.Since(started), errors.Join(errs...)
}

func bases(ts []target) []string {
	b := make([]string, len(ts))
	for i, t := range ts {
		b[i] = t.base
	}
	return b
}

// signer returns client id's step: one signature with a new email. A
// signature the server acknowledged goes into ack (nil for none) once its
// whole answer has been read.
func signer(c *http.Client, t target, token, runID string, id int, ack *ackLog) func(*stats) {
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
		if !st.answered(resp, buf, begin) {
			return
		}
		if resp.StatusCode != http.StatusSeeOther {
			st.fail(strconv.Itoa(resp.StatusCode))
			return
		}
		// A new signature and a repeat get the same answer (so no one can
		// learn whether an address had signed): the emails are unique, so
		// every thank-you is counted, and the count check after the run
		// catches any that was not a new signature.
		if !isThankYou(resp.Header.Get("Location"), wantPath) {
			st.fail("303 unexpected Location")
			return
		}
		st.successes++
		ack.record(email)
	}
}

func setOn(form url.Values, key string, on bool) {
	if on {
		form.Set(key, "on")
	} else {
		form.Del(key)
	}
}

// isThankYou reports whether location is the thank-you page.
func isThankYou(location, wantPath string) bool {
	u, err := url.Parse(location)
	return err == nil && u.Path == wantPath
}

// prepareRead sets up the read side; readers need nothing before they
// start. Client i reads from ts[i mod len(ts)].
func prepareRead(cfg ReadConfig, ts []target, tr http.RoundTripper) *plan {
	path := cfg.Path
	if path == "" {
		path = "/campaigns/{slug}"
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	path = strings.ReplaceAll(path, "{slug}", ts[0].campaign)
	p := &plan{side: "read", steps: make([]func(*stats), cfg.Clients), readPath: path, bases: bases(ts)}
	for i := range cfg.Clients {
		p.steps[i] = reader(newClient(tr, cfg.Timeout), ts[i%len(ts)].base+path)
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
		if !st.answered(resp, buf, begin) {
			return
		}
		if resp.StatusCode != http.StatusOK {
			st.fail(strconv.Itoa(resp.StatusCode))
			return
		}
		st.successes++
	}
}

// RunSign runs the sign scenario and checks the server's count.
func RunSign(ctx context.Context, cfg SignConfig, tr http.RoundTripper) (*Report, error) {
	ts, err := newTargets(cfg.URL, cfg.Campaign)
	if err != nil {
		return nil, err
	}
	if cfg.Clients < 1 || cfg.Duration <= 0 || cfg.Rate < 0 {
		return nil, usageError{errors.New("want -c >= 1, -d > 0 and -rate >= 0")}
	}
	if tr == nil {
		tr = NewTransport(cfg.Clients)
	}
	rep := newReport("sign", ts, cfg.Duration)
	before, err := signatureCounts(ctx, ts, tr)
	if err != nil {
		return nil, fmt.Errorf("reading the count before the run: %w", err)
	}
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	ack, err := openAck(cfg.AckFile, stop)
	if err != nil {
		return nil, err
	}
	p, err := prepareSign(ctx, cfg, ts, tr, newRunID(), ack)
	if err != nil {
		ack.discard()
		return nil, err
	}
	rep.Started = time.Now()
	rep.Interrupted = execute(ctx, cfg.Duration, p)
	res := summarise(p, cfg.Clients, cfg.Rate)
	res.Ack = closeAck(ack, cfg.AckFile)
	res.Count = checkCount(ts, tr, before, res.Successes)
	rep.Sign = res
	rep.finish()
	return rep, nil
}

// openAck creates the -ack file, if one is asked for (nil otherwise). A
// failure to write it calls stop, which ends the run: signing on with an
// incomplete record would make the record worthless.
func openAck(path string, stop context.CancelCauseFunc) (*ackLog, error) {
	if path == "" {
		return nil, nil
	}
	ack, err := createAckLog(path, func(err error) { stop(fmt.Errorf("writing -ack %s: %w", path, err)) })
	if err != nil {
		return nil, fmt.Errorf("-ack: %w", err)
	}
	return ack, nil
}

// closeAck writes out and closes the -ack file, and says what it holds.
func closeAck(ack *ackLog, path string) *AckResult {
	if ack == nil {
		return nil
	}
	lines, err := ack.Close()
	res := &AckResult{File: path, Lines: lines}
	if err != nil {
		res.Error = fmt.Sprintf("writing -ack %s: %v", path, err)
	}
	return res
}

// RunRead runs the read scenario.
func RunRead(ctx context.Context, cfg ReadConfig, tr http.RoundTripper) (*Report, error) {
	ts, err := newTargets(cfg.URL, cfg.Campaign)
	if err != nil {
		return nil, err
	}
	if cfg.Clients < 1 || cfg.Duration <= 0 {
		return nil, usageError{errors.New("want -c >= 1 and -d > 0")}
	}
	if tr == nil {
		tr = NewTransport(cfg.Clients)
	}
	rep := newReport("read", ts, cfg.Duration)
	p := prepareRead(cfg, ts, tr)
	rep.Started = time.Now()
	rep.Interrupted = execute(ctx, cfg.Duration, p)
	rep.Read = summarise(p, cfg.Clients, 0)
	rep.Read.Path = p.readPath
	rep.finish()
	return rep, nil
}

// RunMixed runs readers and signers together from the same start, over
// one transport, and reports each side on its own. Both sides use the
// signers' URLs and campaign.
func RunMixed(ctx context.Context, read ReadConfig, sign SignConfig, tr http.RoundTripper) (*Report, error) {
	ts, err := newTargets(sign.URL, sign.Campaign)
	if err != nil {
		return nil, err
	}
	if read.Clients < 1 || sign.Clients < 1 || sign.Duration <= 0 || sign.Rate < 0 {
		return nil, usageError{errors.New("want -read-c >= 1, -sign-c >= 1, -d > 0 and -sign-rate >= 0")}
	}
	if tr == nil {
		tr = NewTransport(read.Clients + sign.Clients)
	}
	rep := newReport("mixed", ts, sign.Duration)
	before, err := signatureCounts(ctx, ts, tr)
	if err != nil {
		return nil, fmt.Errorf("reading the count before the run: %w", err)
	}
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	ack, err := openAck(sign.AckFile, stop)
	if err != nil {
		return nil, err
	}
	sp, err := prepareSign(ctx, sign, ts, tr, newRunID(), ack)
	if err != nil {
		ack.discard()
		return nil, err
	}
	rp := prepareRead(read, ts, tr)
	rep.Started = time.Now()
	rep.Interrupted = execute(ctx, sign.Duration, sp, rp)
	rep.Sign = summarise(sp, sign.Clients, sign.Rate)
	rep.Sign.Ack = closeAck(ack, sign.AckFile)
	rep.Sign.Count = checkCount(ts, tr, before, rep.Sign.Successes)
	rep.Read = summarise(rp, read.Clients, 0)
	rep.Read.Path = rp.readPath
	rep.finish()
	return rep, nil
}

// checkCount reads the count after the run and compares the difference
// with the signatures the tool was thanked for. The after read is not
// tied to the run's context: an interrupted run still gets its check.
// With several servers, each is asked, and they must agree.
func checkCount(ts []target, tr http.RoundTripper, before, successes int64) *CountCheck {
	cc := &CountCheck{Before: before}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	after, err := signatureCounts(ctx, ts, tr)
	if err != nil {
		cc.Error = "reading the count after the run: " + err.Error()
		return cc
	}
	cc.After = after
	cc.Delta = after - before
	cc.OK = cc.Delta == successes
	return cc
}
