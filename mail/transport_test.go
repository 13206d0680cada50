package mail

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"campaigntrack/mail/mailtest"
)

func transport(t testing.TB, url string, tc *tls.Config) *Transport {
	t.Helper()
	cfg, err := ParseSMTPURL(url)
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTransport(cfg, 5*time.Second, tc)
	t.Cleanup(func() { _ = tr.Close() })
	return tr
}

func message(i int) Message {
	return Message{
		From:    Address{Name: "Stop the Raids", Email: "news@campaign.example"},
		To:      Address{Name: "Ana", Email: fmt.Sprintf("ana%d@example.org", i)},
		Subject: fmt.Sprintf("Message %d", i),
		Text:    "Hello Ana,\n\nThank you.\n",
		HTML:    "<!DOCTYPE html><html lang=\"en\"><body><p>Hello Ana,</p><p>Thank you.</p></body></html>",
	}
}

func send(t *testing.T, tr *Transport, m Message) {
	t.Helper()
	if err := tr.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
}

func TestTransportReusesOneConnection(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, srv.URL(), nil)
	for i := range 50 {
		send(t, tr, message(i))
	}
	got := srv.Wait(t, 50, 5*time.Second)
	if n := srv.Connections(); n != 1 {
		t.Errorf("50 messages took %d connections, want 1", n)
	}
	for i, r := range got {
		want := fmt.Sprintf("ana%d@example.org", i)
		if len(r.To) != 1 || r.To[0] != want || r.From != "news@campaign.example" {
			t.Errorf("message %d went from %q to %q; want news@campaign.example to %s", i, r.From, r.To, want)
		}
		if r.Text != "Hello Ana,\r\n\r\nThank you.\r\n" && r.Text != "Hello Ana,\n\nThank you.\n" {
			t.Errorf("message %d text = %q", i, r.Text)
		}
		if !strings.Contains(r.HTML, "<p>Thank you.</p>") {
			t.Errorf("message %d HTML = %q", i, r.HTML)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
			t.Errorf("message %d Content-Type = %q, want multipart/alternative", i, ct)
		}
		if ua := r.Header.Get("User-Agent") + r.Header.Get("X-Mailer"); ua != "" {
			t.Errorf("message %d names its mailer: %q", i, ua)
		}
	}
}

func TestTransportTLS(t *testing.T) {
	for _, implicit := range []bool{true, false} {
		t.Run(map[bool]string{true: "smtps", false: "STARTTLS"}[implicit], func(t *testing.T) {
			srv, tc := mailtest.StartTLS(t, implicit)
			url := strings.Replace(srv.URL(), "://", "://ana:hunter-two@", 1)
			tr := transport(t, url, tc)
			send(t, tr, message(1))
			send(t, tr, message(2))
			got := srv.Wait(t, 2, 5*time.Second)
			for _, r := range got {
				if !r.TLS || r.User != "ana" {
					t.Errorf("message to %v: TLS %v, AUTH user %q; want TLS and ana", r.To, r.TLS, r.User)
				}
			}
			if n := srv.Connections(); n != 1 {
				t.Errorf("2 messages took %d connections, want 1", n)
			}
		})
	}
}

func TestTransportUntrustedCertificate(t *testing.T) {
	srv, _ := mailtest.StartTLS(t, true)
	tr := transport(t, srv.URL(), nil) // the system roots do not know the test certificate
	err := tr.Send(context.Background(), message(1))
	if err == nil || !Temporary(err) {
		t.Fatalf("Send to an untrusted certificate = %v; want a temporary error", err)
	}
}

// TestTransportNoPasswordInClear: with a user set and no TLS on offer,
// go-mail finds no mechanism it may use, and the password stays home.
func TestTransportNoPasswordInClear(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, strings.Replace(srv.URL(), "://", "://ana:hunter-two@", 1), nil)
	err := tr.Send(context.Background(), message(1))
	if err == nil || !Temporary(err) {
		t.Fatalf("Send = %v; want a temporary error", err)
	}
	if strings.Contains(err.Error(), "hunter-two") {
		t.Errorf("error shows the password: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages arrived", n)
	}
}

func TestTransportRefusals(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, srv.URL(), nil)
	cases := []struct {
		code      int
		temporary bool
	}{{451, true}, {452, true}, {550, false}, {553, false}}
	for _, c := range cases {
		srv.Refuse(c.code, "Mailbox ana1@example.org not available")
		err := tr.Send(context.Background(), message(1))
		if err == nil {
			t.Fatalf("%d: Send succeeded", c.code)
		}
		if Temporary(err) != c.temporary || Code(err) != c.code {
			t.Errorf("%d: Temporary = %v, Code = %d; want %v, %d (%v)", c.code, Temporary(err), Code(err), c.temporary, c.code, err)
		}
		if strings.Contains(strings.ToLower(err.Error()), "ana1@example.org") {
			t.Errorf("%d: error names the recipient: %v", c.code, err)
		}
		if strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("%d: error is not one line: %q", c.code, err)
		}
	}
	srv.Refuse(0, "")
	send(t, tr, message(2))
	srv.Wait(t, 1, 5*time.Second)
}

func TestTransportServerDown(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, srv.URL(), nil)
	send(t, tr, message(1))
	srv.Stop()
	err := tr.Send(context.Background(), message(2))
	if err == nil || !Temporary(err) {
		t.Fatalf("Send to a stopped server = %v; want a temporary error", err)
	}
	// A second failure while down: the dial itself is refused.
	if err := tr.Send(context.Background(), message(2)); err == nil || !Temporary(err) {
		t.Fatalf("second Send to a stopped server = %v; want a temporary error", err)
	}
	srv.Restart(t)
	send(t, tr, message(3))
	got := srv.Wait(t, 2, 5*time.Second)
	if got[1].To[0] != "ana3@example.org" {
		t.Errorf("after the restart, a message went to %v", got[1].To)
	}
}

// TestTransportRedialsAfterIdleDrop: a server that closed the kept
// connection while it was idle costs a dial, not a failed message.
func TestTransportRedialsAfterIdleDrop(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, srv.URL(), nil)
	send(t, tr, message(1))
	srv.Wait(t, 1, 5*time.Second)
	srv.DropConnections()
	time.Sleep(20 * time.Millisecond) // let the close reach the client's socket
	send(t, tr, message(2))
	srv.Wait(t, 2, 5*time.Second)
	if n := srv.Connections(); n != 2 {
		t.Errorf("connections = %d, want 2", n)
	}
}

func TestTransportCancelledContext(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, srv.URL(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := tr.Send(ctx, message(1))
	if !errors.Is(err, context.Canceled) || !Temporary(err) {
		t.Fatalf("Send with a cancelled context = %v; want a temporary context.Canceled", err)
	}
}

func TestTransportRefusesBadAddressBeforeDialling(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, srv.URL(), nil)
	for _, to := range []string{"ana@example.org\r\nRCPT TO:<evil@x.example>", "ana@example.org\nBcc: evil@x.example",
		"ana @example.org", "<ana@example.org>", "ana@example.org>, evil@x.example"} {
		m := message(1)
		m.To.Email = to
		err := tr.Send(context.Background(), m)
		if err == nil || Temporary(err) {
			t.Errorf("Send to %q = %v; want a permanent error", to, err)
		}
	}
	if n := srv.Connections(); n != 0 {
		t.Errorf("refused messages opened %d connections", n)
	}
}

// TestTransportHeaderInjection: what a signer or organiser typed never
// becomes a header or a recipient.
func TestTransportHeaderInjection(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, srv.URL(), nil)
	m := message(1)
	m.Subject = "Hi\r\nBcc: evil@x.example"
	m.To.Name = "Ana\r\nBcc: evil@x.example"
	m.From.Name = "Stop\nBcc: evil@x.example"
	m.Headers = map[string]string{"X-Campaign": "raids\r\nBcc: evil@x.example\r\n\r\nbody"}
	send(t, tr, m)
	m = message(2)
	m.Subject = "Привет\r\nBcc: evil@x.example" // non-ASCII takes go-mail's encoding path
	m.To.Name = "Zoë\r\nBcc: evil@x.example"
	send(t, tr, m)
	for _, r := range srv.Wait(t, 2, 5*time.Second) {
		if len(r.To) != 1 {
			t.Errorf("recipients %v; want one", r.To)
		}
		if bcc := r.Header.Get("Bcc"); bcc != "" {
			t.Errorf("a Bcc header arrived: %q", bcc)
		}
		head, _, _ := bytes.Cut(r.Data, []byte("\r\n\r\n"))
		sc := bufio.NewScanner(bytes.NewReader(head))
		for sc.Scan() {
			if line := strings.ToLower(sc.Text()); strings.HasPrefix(line, "bcc:") || strings.HasPrefix(line, "body") {
				t.Errorf("injected header line %q", sc.Text())
			}
		}
		if strings.Contains(r.Decoded("Subject"), "\n") {
			t.Errorf("subject %q holds a line break", r.Decoded("Subject"))
		}
	}
}

func TestTransportNonASCII(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, srv.URL(), nil)
	m := message(1)
	m.To.Name = "Zoë Nguyễn"
	m.From.Name = "Alto a las redadas — Chicago"
	m.Subject = "Привет, Zoë: “news” about the petition"
	m.Text = "Hello Zoë Nguyễn,\n\nПривет!\n"
	m.HTML = "<p>Hello Zoë Nguyễn,</p><p>Привет!</p>"
	send(t, tr, m)
	r := srv.Wait(t, 1, 5*time.Second)[0]
	if got := r.Decoded("Subject"); got != m.Subject {
		t.Errorf("Subject = %q, want %q", got, m.Subject)
	}
	for header, want := range map[string]string{"To": "Zoë Nguyễn", "From": "Alto a las redadas — Chicago"} {
		a, err := netmail.ParseAddress(r.Header.Get(header))
		if err != nil || a.Name != want {
			t.Errorf("%s = %q (%v); want the name %q", header, r.Header.Get(header), err, want)
		}
	}
	if !strings.Contains(r.Text, "Hello Zoë Nguyễn,") || !strings.Contains(r.Text, "Привет!") {
		t.Errorf("text = %q", r.Text)
	}
	if !strings.Contains(r.HTML, "<p>Привет!</p>") {
		t.Errorf("HTML = %q", r.HTML)
	}
}

func TestTransportMessageID(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, srv.URL(), nil)
	m := message(1)
	m.MessageID = "outbox-7"
	send(t, tr, m)
	send(t, tr, message(2))
	got := srv.Wait(t, 2, 5*time.Second)
	if id := got[0].Header.Get("Message-Id"); id != "<outbox-7@campaign.example>" {
		t.Errorf("Message-ID = %q, want <outbox-7@campaign.example>", id)
	}
	if id := got[1].Header.Get("Message-Id"); !strings.HasSuffix(id, "@campaign.example>") {
		t.Errorf("generated Message-ID = %q, want one at the sender's domain", id)
	}
}

// BenchmarkTransportSend sends over one kept connection to the
// in-process server; msgs/s is the figure to compare.
func BenchmarkTransportSend(b *testing.B) {
	srv := mailtest.Start(b)
	tr := transport(b, srv.URL(), nil)
	m := Update(Campaign{Title: "No Tech for ICE", Target: "Amazon", URL: "https://campaign.example/c/no-tech-for-ice"},
		Signer{FirstName: "Ana", To: Address{Email: "ana@example.org"}},
		News{Subject: "The petition was delivered", Body: strings.Repeat("We delivered 120,000 signatures today. ", 20)},
		Links{Withdraw: "https://campaign.example/w/abc", Unsubscribe: "https://campaign.example/u/abc"})
	m.From = Address{Name: "Stop the Raids", Email: "news@campaign.example"}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := tr.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
