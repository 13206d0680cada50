package views

import "campaigntrack/models"

// AdminFrame is what every admin page shows around its content.
type AdminFrame struct {
	Title    string
	User     *models.User
	CSRF     string
	Flash    string
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
	Recorded int64
	Progress DeliveryProgress
	Claims   int
	Partners int
	Recent   []models.AuditEntry
}

// CampaignForm holds a campaign's settings as typed.
type CampaignForm struct {
	Slug, Title, Target, Demand, Summary, Status, StartsOn, EndsOn, SignatureGoal, DeliveriesPlanned string
}

// CampaignFormView is the new-campaign and settings form.
type CampaignFormView struct {
	Frame   AdminFrame
	Form    CampaignForm
	Errors  models.FieldErrors
	New     bool
	History []models.AuditEntry
}

// PetitionForm holds the petition text as typed.
type PetitionForm struct{ Heading, Body, Sources string }

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
	Count, Qualifier, Wording, ClaimedBy, ClaimedOn, SourceName, SourceURL, Notes string
	Headline                                                                      bool
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
	Error                                        string
	Required                                     bool
	Options                                      []Option // for a select
	Rows                                         int      // for a textarea
}

// Option is one choice of a select.
type Option struct{ Value, Label string }

// Options turns codes into options labelled in words.
func Options(codes []string) []Option {
	out := make([]Option, len(codes))
	for i, c := range codes {
		out[i] = Option{Value: c, Label: Label(c)}
		if c == "" {
			out[i].Label = "(none)"
		}
	}
	return out
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
