package mail

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	netmail "net/mail"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"
)

// Address is a mailbox: a display name (may be empty) and an address.
type Address struct{ Name, Email string }

// ParseFrom reads --mail-from: "Campaign Name <news@example.org>" or
// news@example.org, as net/mail reads one address.
func ParseFrom(s string) (Address, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Address{}, errors.New(`empty; give an address such as "Stop the Raids <news@example.org>" or news@example.org`)
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return Address{}, fmt.Errorf(`%q is not a mail address such as "Stop the Raids <news@example.org>" or news@example.org`, s)
	}
	if err := checkEmail(a.Address); err != nil {
		return Address{}, fmt.Errorf("%q: %v", s, err)
	}
	return Address{Name: cleanHeader(a.Name), Email: a.Address}, nil
}

// Message is one mail ready to send: a text and an HTML part of the same
// content (multipart/alternative), to one recipient.
type Message struct {
	From, To   Address
	Subject    string
	Text, HTML string            // Text is required; HTML may be empty
	Headers    map[string]string // extra headers, e.g. List-Unsubscribe
	MessageID  string            // optional; "id" or "id@host", sent as <id@host>; host defaults to From's domain
}

// permanentError is a message Send refuses before talking to a server:
// sending it again cannot work.
type permanentError struct{ reason string }

func (e *permanentError) Error() string { return "mail not sent: " + e.reason }

func refuse(format string, args ...any) error {
	return &permanentError{reason: fmt.Sprintf(format, args...)}
}

// cleanHeader makes s safe for one header line: every control character
// (CR and LF above all), Unicode line and paragraph separators and invalid
// UTF-8 become a space. Names and subjects come from what signers and
// organisers typed; this is what stops "Ana\r\nBcc: x@y" from adding a
// header. go-mail would write an ASCII value as given.
func cleanHeader(s string) string {
	s = strings.ToValidUTF8(s, " ")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s))
}

// checkEmail accepts a plain addr-spec (local@domain) with nothing that
// could end an SMTP command or a header, or be read as a second address.
// An address with a quoted local part or a comment is refused: signers'
// addresses have none, and refusing is safer than quoting.
func checkEmail(e string) error {
	if e == "" {
		return errors.New("no address")
	}
	if len(e) > 254 || !utf8.ValidString(e) {
		return errors.New("the address is too long or not UTF-8")
	}
	for _, r := range e {
		if r <= ' ' || r == 0x7f || unicode.IsControl(r) || unicode.IsSpace(r) || strings.ContainsRune(`<>()[]\,;:"`, r) {
			return errors.New("the address holds a space, a control character or one of <>()[]\\,;:\"")
		}
	}
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || !strings.Contains(domain, ".") && domain != "localhost" {
		return errors.New("the address is not of the form name@domain")
	}
	if a, err := netmail.ParseAddress("<" + e + ">"); err != nil || a.Address != e {
		return errors.New("the address is not of the form name@domain")
	}
	return nil
}

// reservedHeaders are written from Message's own fields or by go-mail;
// Headers may not set them.
var reservedHeaders = []string{"bcc", "cc", "content-transfer-encoding", "content-type", "date", "from",
	"message-id", "mime-version", "reply-to", "return-path", "sender", "subject", "to"}

// checkHeaderName accepts a field name as RFC 5322 defines it (printable
// ASCII but the colon) that is not one of reservedHeaders.
func checkHeaderName(name string) error {
	if name == "" || len(name) > 76 {
		return errors.New("a header name is empty or too long")
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return fmt.Errorf("header name %q is not printable ASCII without a colon", name)
		}
	}
	if slices.Contains(reservedHeaders, strings.ToLower(name)) {
		return fmt.Errorf("header %s is set from the message itself", name)
	}
	return nil
}

// messageID is the Message-ID header's value without the angle brackets:
// id as given when it holds an @, else id@ the sender's domain; a random
// id when none is given. Only dot-atom characters are allowed.
func messageID(id, fromEmail string) (string, error) {
	id = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(id), "<"), ">")
	if id == "" {
		var b [15]byte
		_, _ = rand.Read(b[:])
		id = strings.ToLower(base32.StdEncoding.EncodeToString(b[:]))
	}
	if !strings.Contains(id, "@") {
		_, domain, _ := strings.Cut(fromEmail, "@")
		id += "@" + domain
	}
	left, right, _ := strings.Cut(id, "@")
	if left == "" || right == "" || len(id) > 250 {
		return "", fmt.Errorf("message id %q is not of the form id@host", id)
	}
	for _, r := range id {
		ok := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.@", r))
		if !ok {
			return "", fmt.Errorf("message id %q holds a character other than letters, digits and !#$%%&'*+-/=?^_`{|}~.", id)
		}
	}
	if strings.Count(id, "@") != 1 {
		return "", fmt.Errorf("message id %q is not of the form id@host", id)
	}
	return id, nil
}

// build turns m into a go-mail message, refusing (with a permanent error)
// anything that is not safe to send. Every header value is cleaned here,
// the one place values reach go-mail.
func (m Message) build() (*gomail.Msg, error) {
	if err := checkEmail(m.From.Email); err != nil {
		return nil, refuse("sender: %v", err)
	}
	if err := checkEmail(m.To.Email); err != nil {
		// The address itself is not repeated: errors are logged.
		return nil, refuse("recipient: %v", err)
	}
	if strings.TrimSpace(m.Text) == "" {
		return nil, refuse("the message has no text")
	}
	id, err := messageID(m.MessageID, m.From.Email)
	if err != nil {
		return nil, refuse("%v", err)
	}
	// No User-Agent: it would tell everyone which library and version we run.
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(&netmail.Address{Name: cleanHeader(m.From.Name), Address: m.From.Email})
	msg.ToMailAddress(&netmail.Address{Name: cleanHeader(m.To.Name), Address: m.To.Email})
	msg.Subject(cleanHeader(m.Subject))
	msg.SetMessageIDWithValue(id)
	msg.SetDate()
	names := make([]string, 0, len(m.Headers))
	for name := range m.Headers {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := checkHeaderName(name); err != nil {
			return nil, refuse("%v", err)
		}
		msg.SetGenHeader(gomail.Header(name), cleanHeader(m.Headers[name]))
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
