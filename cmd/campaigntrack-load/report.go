package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Report is what one run found, printed as text and, with -json, as one
// JSON object.
type Report struct {
	Tool        string      `json:"tool"`
	Scenario    string      `json:"scenario"`
	GoVersion   string      `json:"go_version"`
	GOMAXPROCS  int         `json:"gomaxprocs"`
	NumCPU      int         `json:"num_cpu"`
	OSArch      string      `json:"os_arch"`
	CommandLine string      `json:"command_line"`
	URL         string      `json:"url"`
	Campaign    string      `json:"campaign"`
	Duration    string      `json:"duration"`
	Started     time.Time   `json:"started"`
	Interrupted bool        `json:"interrupted"`
	Sign        *SideResult `json:"sign,omitempty"`
	Read        *SideResult `json:"read,omitempty"`
	// Attack is an attack run's result (campaigntrack-load attack).
	Attack   *AttackResult `json:"attack,omitempty"`
	OK       bool          `json:"ok"`
	Problems []string      `json:"problems"`
}

// SideResult is one side (sign or read) of a run.
type SideResult struct {
	Clients int `json:"clients"`
	// Path is what the readers fetched.
	Path string `json:"path,omitempty"`
	// RateCap is the signers' cap in signatures a second; 0 is none.
	RateCap float64 `json:"rate_cap_per_s"`
	// SetupSeconds is the time the signers took to fetch their pages and
	// tokens, before the clock started; not in any other figure.
	SetupSeconds float64 `json:"setup_s,omitempty"`
	// ElapsedSeconds runs from the start to the end of the last request,
	// including those in flight at the deadline.
	ElapsedSeconds float64 `json:"elapsed_s"`
	Requests       int64   `json:"requests"`
	Successes      int64   `json:"successes"`
	Errors         int64   `json:"errors"`
	// ErrorsByKind counts errors by HTTP status code ("422", "303
	// unexpected Location", ...) and by transport error ("transport: timeout").
	ErrorsByKind          map[string]int64 `json:"errors_by_kind"`
	TransportErrorSamples []string         `json:"transport_error_samples,omitempty"`
	Throughput            float64          `json:"throughput_per_s"`
	RequestRate           float64          `json:"requests_per_s"`
	BytesRead             int64            `json:"bytes_read"`
	Latency               Latency          `json:"latency_ms"`
	Count                 *CountCheck      `json:"signature_count,omitempty"`
	// ByURL splits the requests by server, when -url named several.
	ByURL []URLResult `json:"by_url,omitempty"`
	// Ack is what the -ack file holds, when one was asked for.
	Ack *AckResult `json:"ack,omitempty"`
}

// URLResult is one server's share of a side's requests.
type URLResult struct {
	URL       string `json:"url"`
	Clients   int    `json:"clients"`
	Requests  int64  `json:"requests"`
	Successes int64  `json:"successes"`
	Errors    int64  `json:"errors"`
}

// AckResult is the -ack file: Lines acknowledged signatures were written
// to File, and Error says why it is incomplete, if it is.
type AckResult struct {
	File  string `json:"file"`
	Lines int64  `json:"lines"`
	Error string `json:"error,omitempty"`
}

// Latency is the spread of the time from sending a request to having read
// its whole answer, over every request that got an answer, in ms.
type Latency struct {
	Samples int     `json:"samples"`
	P50     float64 `json:"p50"`
	P90     float64 `json:"p90"`
	P99     float64 `json:"p99"`
	Max     float64 `json:"max"`
}

// CountCheck compares the server's kept count before and after a run
// with the signatures the server said it took.
type CountCheck struct {
	Before int64  `json:"before"`
	After  int64  `json:"after"`
	Delta  int64  `json:"delta"`
	OK     bool   `json:"ok"`
	Error  string `json:"error,omitempty"`
}

func newReport(scenario string, ts []target, d time.Duration) *Report {
	return &Report{
		Tool: "campaigntrack-load", Scenario: scenario,
		GoVersion: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0), NumCPU: runtime.NumCPU(),
		OSArch:      runtime.GOOS + "/" + runtime.GOARCH,
		CommandLine: commandLine(os.Args),
		URL:         strings.Join(bases(ts), ","), Campaign: ts[0].campaign, Duration: d.String(),
		Problems: []string{},
	}
}

// summarise merges a plan's per-worker stats.
func summarise(p *plan, clients int, rate float64) *SideResult {
	r := &SideResult{Clients: clients, RateCap: rate, ErrorsByKind: map[string]int64{},
		SetupSeconds: round(p.setup.Seconds(), 3), ElapsedSeconds: round(p.elapsed.Seconds(), 3)}
	n := 0
	for _, st := range p.stats {
		n += len(st.latencies)
	}
	all := make([]time.Duration, 0, n)
	if len(p.bases) > 1 {
		r.ByURL = make([]URLResult, len(p.bases))
		for i, b := range p.bases {
			r.ByURL[i].URL = b
		}
	}
	for i, st := range p.stats {
		if r.ByURL != nil {
			u := &r.ByURL[i%len(r.ByURL)]
			u.Clients++
			u.Requests += st.requests
			u.Successes += st.successes
			for _, v := range st.errors {
				u.Errors += v
			}
		}
		r.Requests += st.requests
		r.Successes += st.successes
		r.BytesRead += st.bytes
		all = append(all, st.latencies...)
		for k, v := range st.errors {
			r.ErrorsByKind[k] += v
			r.Errors += v
		}
		for _, m := range st.samples {
			if len(r.TransportErrorSamples) < 5 && !slices.Contains(r.TransportErrorSamples, m) {
				r.TransportErrorSamples = append(r.TransportErrorSamples, m)
			}
		}
	}
	if s := p.elapsed.Seconds(); s > 0 {
		r.Throughput = round(float64(r.Successes)/s, 1)
		r.RequestRate = round(float64(r.Requests)/s, 1)
	}
	r.Latency = latencies(all)
	return r
}

// latencies sorts d and reads its percentiles by nearest rank.
func latencies(d []time.Duration) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	slices.Sort(d)
	at := func(p float64) float64 {
		i := int(math.Ceil(p/100*float64(len(d)))) - 1
		return ms(d[max(0, min(i, len(d)-1))])
	}
	return Latency{Samples: len(d), P50: at(50), P90: at(90), P99: at(99), Max: ms(d[len(d)-1])}
}

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 3) }

func round(f float64, places int) float64 {
	p := math.Pow10(places)
	return math.Round(f*p) / p
}

// AckFailed reports whether the -ack file could not be written in full.
func (r *Report) AckFailed() bool {
	return r.Sign != nil && r.Sign.Ack != nil && r.Sign.Ack.Error != ""
}

// finish decides whether the run passed.
func (r *Report) finish() {
	if r.Interrupted {
		r.Problems = append(r.Problems, "the run was interrupted before its duration was up")
	}
	for _, s := range []struct {
		name string
		res  *SideResult
	}{{"sign", r.Sign}, {"read", r.Read}} {
		if s.res == nil {
			continue
		}
		if s.res.Requests == 0 {
			r.Problems = append(r.Problems, s.name+": no request completed")
		}
		if s.res.Errors > 0 {
			r.Problems = append(r.Problems, fmt.Sprintf("%s: %d errors in %d requests", s.name, s.res.Errors, s.res.Requests))
		}
		if a := s.res.Ack; a != nil && a.Error != "" {
			r.Problems = append(r.Problems, s.name+": "+a.Error+"; the file does not list every acknowledged signature")
		}
		if c := s.res.Count; c != nil {
			switch {
			case c.Error != "":
				r.Problems = append(r.Problems, s.name+": "+c.Error)
			case !c.OK:
				r.Problems = append(r.Problems, fmt.Sprintf("%s: signature_count moved by %d but the server took %d signatures", s.name, c.Delta, s.res.Successes))
			}
		}
	}
	if r.Attack != nil {
		r.Problems = append(r.Problems, r.Attack.problems()...)
	}
	r.OK = len(r.Problems) == 0
}

// WriteText prints the report for people.
func (r *Report) WriteText(w io.Writer) {
	if r.Campaign != "" {
		fmt.Fprintf(w, "campaigntrack-load %s: %s, campaign %s\n", r.Scenario, r.URL, r.Campaign)
	} else {
		fmt.Fprintf(w, "campaigntrack-load %s: %s\n", r.Scenario, r.URL)
	}
	fmt.Fprintf(w, "go:       %s %s, GOMAXPROCS %d, %d CPUs\n", r.GoVersion, r.OSArch, r.GOMAXPROCS, r.NumCPU)
	fmt.Fprintf(w, "command:  %s\n", r.CommandLine)
	if r.Duration != "" {
		fmt.Fprintf(w, "started:  %s, duration %s (no warm-up)\n", r.Started.Format(time.RFC3339), r.Duration)
	} else {
		fmt.Fprintf(w, "started:  %s\n", r.Started.Format(time.RFC3339))
	}
	if r.Sign != nil {
		writeSide(w, "sign", r.Sign)
	}
	if r.Read != nil {
		writeSide(w, "read", r.Read)
	}
	if r.Attack != nil {
		writeAttack(w, r.Attack)
	}
	fmt.Fprintln(w)
	if r.OK {
		fmt.Fprintln(w, "result:   OK")
		return
	}
	fmt.Fprintln(w, "result:   FAILED")
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  - %s\n", p)
	}
}

func writeSide(w io.Writer, name string, s *SideResult) {
	fmt.Fprintln(w)
	switch name {
	case "sign":
		limit := "no rate cap"
		if s.RateCap > 0 {
			limit = fmt.Sprintf("capped at %g signatures/s", s.RateCap)
		}
		fmt.Fprintf(w, "sign: %d clients, %s; setup (one page and token per client, not timed below) %.2fs\n", s.Clients, limit, s.SetupSeconds)
	default:
		fmt.Fprintf(w, "read: %d clients, GET %s\n", s.Clients, s.Path)
	}
	fmt.Fprintf(w, "  elapsed          %.2fs\n", s.ElapsedSeconds)
	fmt.Fprintf(w, "  requests         %d\n", s.Requests)
	fmt.Fprintf(w, "  successes        %d\n", s.Successes)
	for _, u := range s.ByURL {
		fmt.Fprintf(w, "    %-28s %d (%s, %d requests, %d errors)\n", u.URL, u.Successes, plural(u.Clients, "client"), u.Requests, u.Errors)
	}
	fmt.Fprintf(w, "  errors           %d\n", s.Errors)
	for _, k := range slices.Sorted(maps.Keys(s.ErrorsByKind)) {
		fmt.Fprintf(w, "    %-28s %d\n", k, s.ErrorsByKind[k])
	}
	for _, m := range s.TransportErrorSamples {
		fmt.Fprintf(w, "    e.g. %s\n", m)
	}
	fmt.Fprintf(w, "  throughput       %.1f successes/s (%.1f requests/s)\n", s.Throughput, s.RequestRate)
	if s.Requests > 0 {
		fmt.Fprintf(w, "  bytes read       %s (%s a response)\n", size(float64(s.BytesRead)), size(float64(s.BytesRead)/float64(s.Requests)))
	}
	l := s.Latency
	fmt.Fprintf(w, "  latency          p50 %.2fms  p90 %.2fms  p99 %.2fms  max %.2fms  (%d responses)\n", l.P50, l.P90, l.P99, l.Max, l.Samples)
	if a := s.Ack; a != nil {
		if a.Error != "" {
			fmt.Fprintf(w, "  acknowledged     %d written to %s, then: %s\n", a.Lines, a.File, a.Error)
		} else {
			fmt.Fprintf(w, "  acknowledged     %d written to %s\n", a.Lines, a.File)
		}
	}
	if c := s.Count; c != nil {
		if c.Error != "" {
			fmt.Fprintf(w, "  signature_count  before %d, after: %s\n", c.Before, c.Error)
		} else {
			verdict := "OK"
			if !c.OK {
				verdict = "MISMATCH"
			}
			fmt.Fprintf(w, "  signature_count  before %d, after %d: %+d vs %d successes: %s\n", c.Before, c.After, c.Delta, s.Successes, verdict)
		}
	}
}

// WriteJSON prints the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

var plainArg = regexp.MustCompile(`^[A-Za-z0-9_./:=@,+%{}-]+$`)

// commandLine is args as one could paste it into a shell.
func commandLine(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if i == 0 {
			a = strings.TrimSuffix(a[strings.LastIndex(a, "/")+1:], ".exe")
		}
		if plainArg.MatchString(a) {
			out[i] = a
		} else {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}

// plural is n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// size is a byte count for people.
func size(b float64) string {
	switch {
	case b >= 1e9:
		return fmt.Sprintf("%.2f GB", b/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.1f MB", b/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.1f KB", b/1e3)
	}
	return fmt.Sprintf("%.0f B", b)
}
