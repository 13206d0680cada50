package views

import (
	"context"
	"time"

	"github.com/a-h/templ"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// AdminFrame is what every admin page shows around its content.
type AdminFrame struct {
	Title    string
	User     *models.User
	CSRF     string
	Flash    string
	Saved    string           // the list anchor of the record just saved, shown marked (RecordAnchor)
	Campaign *models.Campaign // the campaign the page belongs to, if any
	Section  string           // the campaign tab that is open
}

// LoginView is the sign-in form.
type LoginView struct {
	CSRF, Email, Next string
	Message           string // the one message for a refused sign-in
	Errors            models.FieldErrors
}

// AdminHomeView is the admin area's front page.
type AdminHomeView struct {
	Frame     AdminFrame
	Campaigns []models.Campaign
	Recent    []models.AuditEntry
}

// CampaignDashboardView is one campaign's page in the admin area.
type CampaignDashboardView struct {
	Frame    AdminFrame
	Kept     models.KeptCount // counted, and waiting for their signers to confirm
	Progress models.DeliveryProgress
	Claims   int
	Partners int
	Awaiting []models.AwaitingAnswer // deliveries and actions the target has not answered, oldest first
	Recent   []models.AuditEntry
	Spanish  []models.TextCoverage // how many of each kind of public text have a Spanish version
}

// CampaignForm holds a campaign's settings as typed.
type CampaignForm struct {
	Slug, Title, Target, Demand, Summary, Status, StartsOn, EndsOn, SignatureGoal, DeliveriesPlanned string
	TitleES, DemandES, SummaryES                                                                     string // empty: none
	ConfirmSignatures                                                                                bool
	PacketNames                                                                                      string
}

// CampaignFormView is the new-campaign and settings form.
type CampaignFormView struct {
	Frame   AdminFrame
	Form    CampaignForm
	Errors  models.FieldErrors
	New     bool
	History []models.AuditEntry
	Mailing bool // an SMTP server is set up, so the confirmation setting applies now
}

// PetitionForm holds the petition text as typed.
type PetitionForm struct{ Heading, Body, HeadingES, BodyES, Sources string }

// PetitionFormView is the petition text form.
type PetitionFormView struct {
	Frame   AdminFrame
	Form    PetitionForm
	Errors  models.FieldErrors
	History []models.AuditEntry
}

// OrganisationForm holds a partner as typed.
type OrganisationForm struct{ Name, Role, URL, Sources string }

// PartnersView lists a campaign's partners with a form to add one.
type PartnersView struct {
	Frame    AdminFrame
	Partners []models.Organisation
	Form     OrganisationForm
	Errors   models.FieldErrors
}

// PartnerEditView edits one partner.
type PartnerEditView struct {
	Frame   AdminFrame
	ID      uint
	Form    OrganisationForm
	Errors  models.FieldErrors
	History []models.AuditEntry
}

// ClaimForm holds a count claim as typed.
type ClaimForm struct {
	Count, Qualifier, Wording, WordingES, ClaimedBy, ClaimedOn, SourceName, SourceURL, Notes string
	Headline                                                                                 bool
}

// ClaimsView lists a campaign's count claims with a form to add one.
type ClaimsView struct {
	Frame  AdminFrame
	Claims []models.CountClaim
	Form   ClaimForm
	Errors models.FieldErrors
}

// ClaimEditView edits one claim.
type ClaimEditView struct {
	Frame   AdminFrame
	ID      uint
	Form    ClaimForm
	Errors  models.FieldErrors
	History []models.AuditEntry
}

// AuditView is a campaign's (or the whole site's) audit log.
type AuditView struct {
	Frame   AdminFrame
	Entries []models.AuditEntry
}

// UserForm holds a new account as typed (never the password).
type UserForm struct{ Email, Role string }

// UsersView lists accounts with a form to add one.
type UsersView struct {
	Frame  AdminFrame
	Users  []models.User
	Form   UserForm
	Errors models.FieldErrors
}

// Field describes one form control.
type Field struct {
	Label, Name, Value, Type, Hint, Autocomplete string
	Lang                                         string // the language of what is typed, when not the page's: es for a Spanish version
	Error                                        string
	Required                                     bool
	Options                                      []Option // for a select
	Rows                                         int      // for a textarea
	Suggestions                                  []string // for a text input: offered in a datalist, any value may still be typed
}

// Option is one choice of a select; Lang, when set, is the language of its
// label (a language named in itself: Español).
type Option struct{ Value, Label, Lang string }

// Options turns codes into options labelled in words.
func Options(ctx context.Context, codes []string) []Option {
	out := make([]Option, len(codes))
	for i, c := range codes {
		out[i] = Option{Value: c, Label: Label(c)}
		if c == "" {
			out[i].Label = locale.T(ctx, "admin.none")
		}
	}
	return out
}

// aria is a field's ARIA state: aria-invalid="true" when it is wrong
// (a bare aria-invalid is ignored by screen readers), and aria-describedby
// naming its hint and error, left out when it has neither (an empty
// IDREFS is invalid HTML).
func (f Field) aria() templ.Attributes {
	a := templ.Attributes{}
	if f.Error != "" {
		a["aria-invalid"] = "true"
	}
	if d := f.describedBy(); d != "" {
		a["aria-describedby"] = d
	}
	return a
}

func (f Field) describedBy() string {
	s := ""
	if f.Hint != "" {
		s = f.Name + "-hint"
	}
	if f.Error != "" {
		if s != "" {
			s += " "
		}
		s += f.Name + "-error"
	}
	return s
}

// DeliveryForm holds a delivery as typed.
type DeliveryForm struct {
	City, Region, Country, Venue, Address, Latitude, Longitude, Kind, Status string
	ScheduledAt, DeliveredAt                                                 WhenForm
	TimeZone, Recipient, SignaturesDelivered, DeliveryForm                   string
	Outcome, OutcomeES, PacketLang                                           string
	LeadOrganisation, Attendance, Sources, Notes                             string
	MediaPresent                                                             bool
}

// DeliveriesAdminView lists a campaign's deliveries with their next steps,
// a form to add one and a CSV import.
type DeliveriesAdminView struct {
	Frame      AdminFrame
	Deliveries []models.Delivery
	Answers    map[string]models.AnswerState // whether the target answered each delivery
	Progress   models.DeliveryProgress
	Form       DeliveryForm
	Errors     models.FieldErrors
	Import     *DeliveryImportReport // the outcome of an import just made
}

// DeliveryImportReport is what a CSV import of deliveries did.
type DeliveryImportReport struct {
	Filename string
	Result   models.DeliveryImport
	Rejected []string // "line 4, status: …"
	Problem  string   // why the file as a whole was refused
}

// DeliveryEditView edits one delivery.
type DeliveryEditView struct {
	Frame    AdminFrame
	Delivery *models.Delivery
	Form     DeliveryForm
	Errors   models.FieldErrors
	History  []models.AuditEntry
	Counts   []models.DeliveryCount // the counts frozen for it, the latest (its count) first
}

// MarkDeliveredForm is the one-step "mark delivered" form as typed.
type MarkDeliveredForm struct {
	DeliveredAt                                                       WhenForm
	Outcome, Recipient, SignaturesDelivered, DeliveryForm, Attendance string
	MediaPresent                                                      bool
}

// MarkDeliveredView is the phone form that records a hand-over as it
// happens.
type MarkDeliveredView struct {
	Frame    AdminFrame
	Delivery *models.Delivery
	Form     MarkDeliveredForm
	Errors   models.FieldErrors
}

// ActionForm holds an action as typed.
type ActionForm struct {
	Kind, Title, Description, TitleES, DescriptionES    string
	OccurredAt                                          WhenForm
	Place, City, Region, Country                        string
	Attendance, Organisations, TimeZone, Sources, Notes string
}

// ActionsAdminView is the action log with its quick-log form.
type ActionsAdminView struct {
	Frame   AdminFrame
	Actions []models.Action
	Answers map[string]models.AnswerState
	Form    ActionForm
	Errors  models.FieldErrors
	// WhenHint says in which zone the quick log's time is read: the
	// place's, when the form knows it.
	WhenHint string
}

// ActionEditView edits one action.
type ActionEditView struct {
	Frame   AdminFrame
	Action  *models.Action
	Form    ActionForm
	Errors  models.FieldErrors
	History []models.AuditEntry
}

// ResponseForm holds a response as typed. Answers is "campaign",
// "delivery:ID" or "action:ID".
type ResponseForm struct {
	RespondedAt                                         WhenForm
	Speaker, SpeakerRole, Channel, Kind, Quote, Summary string
	QuoteES, SummaryES                                  string
	Answers, TimeZone, Sources, Notes                   string
}

// ResponsesAdminView lists the target's responses, what still waits for
// one, and the form to log one.
type ResponsesAdminView struct {
	Frame     AdminFrame
	Responses []models.Response
	Awaiting  []models.AwaitingAnswer
	Answers   []Option // what a response can answer
	Form      ResponseForm
	Errors    models.FieldErrors
}

// ResponseEditView edits one response.
type ResponseEditView struct {
	Frame    AdminFrame
	Response *models.Response
	Answers  []Option
	Form     ResponseForm
	Errors   models.FieldErrors
	History  []models.AuditEntry
}

// MailView is the Mail page: the outbox's counts and latest errors, this
// instance's sender, and where mail goes.
type MailView struct {
	Frame        AdminFrame
	Mailing      bool   // an SMTP server is set up; else mail is kept and nothing leaves the machine
	Server       string // the SMTP server as logs show it (password hidden); "" when outbox-only
	From         string
	Counts       []MailCount
	OldestQueued *time.Time
	Errors       []models.MailError // addresses hidden for viewers
	Sender       MailSenderState
	List         *MailList // the messages themselves, for organisers and admins; nil for viewers
	CanRetry     bool      // an organiser may make every queued message due now
}

// MailCount is how many messages have one outbox status.
type MailCount struct {
	Status string
	N      int64
}

// MailSenderState is what this instance's sender last did.
type MailSenderState struct {
	Sent        int64
	LastSentAt  *time.Time
	LastError   string
	LastErrorAt *time.Time
}

// MailList is one page of the outbox's messages of one status, newest
// first.
type MailList struct {
	Status   string
	Statuses []string // the statuses whose messages can be listed
	Messages []models.OutboxMail
	Older    string // the next page's address; "" on the last
}

// MailListView is the list of messages on a page of its own.
type MailListView struct {
	Frame AdminFrame
	List  MailList
}

// MailMessageView is one outbox message as its signer gets (or got) it.
type MailMessageView struct {
	Frame   AdminFrame
	Mail    models.OutboxMail
	Message *MailMessage // nil when it cannot be made again
	Problem string       // why not, e.g. its address was removed
}

// MailMessage is a composed mail, both parts.
type MailMessage struct {
	From, To, Subject string
	Headers           []MailHeader // sorted by name
	Text, HTML        string
}

// MailHeader is one extra header of a mail.
type MailHeader struct{ Name, Value string }

// NewsForm holds news as typed, with the record it tells of (hidden).
type NewsForm struct {
	Subject, Body, Quote, QuoteBy, QuoteSource string
	SubjectES, BodyES, QuoteES                 string
	RecordKind, RecordID                       string
}

// NewsFormView is "Tell the signers": the news prefilled from a record,
// and once previewed, the message as a signer gets it.
type NewsFormView struct {
	Frame             AdminFrame
	Form              NewsForm
	Errors            models.FieldErrors
	About             string // what the news tells of, e.g. "the delivery in Seattle, WA"
	AboutPath         string // that record's admin page; "" for none
	Recipients        int64  // the signers it would go to now
	SpanishRecipients int64  // of them, those who signed in Spanish
	Mailing           bool
	Preview           *MailMessage // nil before a preview: as a signer who signed in English gets it
	PreviewES         *MailMessage // and as one who signed in Spanish gets it
	CanSend           bool         // previewed, valid and with someone to send to
}

// NewsListView is a campaign's news, newest first.
type NewsListView struct {
	Frame AdminFrame
	News  []models.News
}

// NewsProgressView is one news and how its messages are going.
type NewsProgressView struct {
	Frame        AdminFrame
	News         *models.News
	Paragraphs   []string // the news's body, a paragraph each
	ParagraphsES []string // its Spanish version's; nil for none
	AboutPath    string
	Counts       []MailCount
	Pending      bool // some are still queued: the page refreshes itself
	Mailing      bool
}

// packetNameOptions offers the campaign's packet settings in words, as
// the packet's own pages word them.
func packetNameOptions(ctx context.Context) []Option {
	return []Option{
		{Value: models.PacketInitials, Label: locale.T(ctx, "packet.names.initials")},
		{Value: models.PacketFullNames, Label: locale.T(ctx, "packet.names.full")},
		{Value: models.PacketCountsOnly, Label: locale.T(ctx, "packet.names.counts")},
	}
}
