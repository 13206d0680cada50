package handlers

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

func TestClientNet(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ ip, want string }{
		{"192.0.2.7", "192.0.2.7/32"},
		{"::ffff:192.0.2.7", "192.0.2.7/32"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2::ffff", "2001:db8:1:2::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"not an address", "invalid Prefix"},
	} {
		if got := clientNet(c.ip).String(); got != c.want {
			t.Errorf("clientNet(%q) = %s, want %s", c.ip, got, c.want)
		}
	}
}

// The sign limiter's table never holds more than its cap, whatever
// number of clients a flood brings, and still limits a client it holds.
func TestSignLimiterIsBounded(t *testing.T) {
	sl := newSignLimiter(config.RateLimit{N: 2, Period: time.Minute}, 1000)
	now := time.Unix(1_700_000_000, 0)
	for i := range 50_000 {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		sl.allow(signKey{net: netip.PrefixFrom(a, 32), campaign: 1}, now)
		if n := sl.size(); n > 1000 {
			t.Fatalf("after %d clients the table holds %d buckets, cap 1000", i+1, n)
		}
	}
	k := signKey{net: netip.MustParsePrefix("192.0.2.1/32"), campaign: 1}
	if !sl.allow(k, now) || !sl.allow(k, now) || sl.allow(k, now) {
		t.Error("a client over its limit was let through")
	}
	var off *signLimiter = newSignLimiter(config.RateLimit{}, 10)
	if !off.allow(k, now) {
		t.Error("a limit that is off refused")
	}
}

// A flood of signatures to campaigns that do not exist creates no rate
// limit state at all: the key is made only for a campaign that exists.
func TestSignFloodToUnknownCampaignsLeavesNoState(t *testing.T) {
	store := testdb.Open(t, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	h := New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{SignRateLimit: config.RateLimit{N: 20, Period: time.Minute}})
	e := h.Router()
	rnd := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		slug := fmt.Sprintf("made-up-%d-%d", i, rnd.Int64())
		req, _ := http.NewRequest(http.MethodPost, "/campaigns/"+slug+"/sign", strings.NewReader("first_name=A&email=a%40example.org"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:5000", i>>16&255, i>>8&255, i&255)
		e.ServeHTTP(discardWriter{}, req)
	}
	if n := h.signLimit.size(); n != 0 {
		t.Errorf("2000 signatures to made-up campaigns left %d rate-limit buckets, want 0", n)
	}
}

type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}

// The listener holds one client network to its share of connections and
// closes the rest at once, while another client still gets in; trusted
// proxies are held only to the total.
func TestConnLimiterCapsEachClient(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []*net.IPNet
		want    int
	}{
		{"untrusted", nil, 4},
		{"trusted proxy", []*net.IPNet{{IP: net.IPv4(127, 0, 0, 0), Mask: net.CIDRMask(8, 32)}}, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			cl := newConnLimiter(ln, 64, 4, tc.trusted)
			defer cl.Close()
			accepted := make(chan net.Conn, 100)
			go func() {
				for {
					c, err := cl.Accept()
					if err != nil {
						return
					}
					accepted <- c
				}
			}()
			dial := func(from string) net.Conn {
				d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 2 * time.Second}
				c, err := d.Dial("tcp", ln.Addr().String())
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			var conns []net.Conn
			for range 10 {
				conns = append(conns, dial("127.0.0.2"))
			}
			defer func() {
				for _, c := range conns {
					c.Close()
				}
			}()
			other := dial("127.0.0.3")
			defer other.Close()
			got := 0
			deadline := time.After(3 * time.Second)
			for got < tc.want+1 {
				select {
				case c := <-accepted:
					defer c.Close()
					got++
				case <-deadline:
					t.Fatalf("accepted %d connections, want %d from the flooding client and 1 from another", got, tc.want)
				}
			}
			select {
			case <-accepted:
				t.Fatalf("more than %d connections from one client were accepted", tc.want)
			case <-time.After(200 * time.Millisecond):
			}
		})
	}
}

// The upload route may take as long as a large file on a slow link takes;
// every other route keeps the server's short read timeout.
func TestSlowUploadGetsItsOwnDeadline(t *testing.T) {
	ctx := context.Background()
	store := testdb.Open(t, testdb.SQLite)
	if _, err := seed.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateUser(ctx, models.CommandLine, "org@example.org", models.RoleOrganiser, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	h := New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{ReadTimeout: 400 * time.Millisecond, UploadTimeout: 20 * time.Second})
	srv := h.Server(h.Router())
	ln, err := h.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()

	// Sign in, quickly, and take the cookies and the admin area's token.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tokenOn := func(path string) string {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		doc, _ := goquery.NewDocumentFromReader(resp.Body)
		return doc.Find("input[name=_csrf]").First().AttrOr("value", "")
	}
	resp, err := client.PostForm(base+"/login", url.Values{"_csrf": {tokenOn("/login")}, "email": {"org@example.org"}, "password": {"a long enough password"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	var cookies []string
	for _, c := range jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}

	// slowPost sends a body in ten parts over 1.5 s, well past the read
	// timeout, and returns the status line, or the error that cut it off.
	slowPost := func(path, contentType, body string) (string, error) {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return "", err
		}
		defer c.Close()
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
			path, ln.Addr(), strings.Join(cookies, "; "), contentType, len(body))
		step := len(body)/10 + 1
		for i := 0; i < len(body); i += step {
			if _, err := io.WriteString(c, body[i:min(i+step, len(body))]); err != nil {
				return "", err
			}
			time.Sleep(150 * time.Millisecond)
		}
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		return bufio.NewReader(c).ReadString('\n')
	}

	var upload bytes.Buffer
	mw := multipart.NewWriter(&upload)
	mw.WriteField("_csrf", tokenOn("/admin/campaigns/no-tech-for-ice/signatures"))
	fw, _ := mw.CreateFormFile("file", "slow.csv")
	fmt.Fprint(fw, "first_name,email\n")
	for i := range 2000 {
		fmt.Fprintf(fw, "Slow,slow%d@example.org\n", i)
	}
	mw.Close()
	line, err := slowPost(strings.Replace(signatureUploadPath, ":slug", "no-tech-for-ice", 1), mw.FormDataContentType(), upload.String())
	if err != nil || !strings.Contains(line, " 303 ") {
		t.Errorf("slow upload: %q, %v; want 303 to the import's page, not a cut connection", line, err)
	}
	h.Close() // waits for the import

	// The same slow pace on the sign form is cut off by the read timeout.
	signToken := tokenOn("/campaigns/no-tech-for-ice")
	form := url.Values{"_csrf": {signToken}, "first_name": {"Slow"}, "email": {"slowsigner@example.org"}, "comment": {strings.Repeat("a", 3000)}}
	line, err = slowPost("/campaigns/no-tech-for-ice/sign", "application/x-www-form-urlencoded", form.Encode())
	if err == nil && strings.Contains(line, " 303 ") {
		t.Errorf("a slow sign form was read in full past the read timeout: %q", line)
	}
}
