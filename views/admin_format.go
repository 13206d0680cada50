package views

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"campaigntrack/locale"
	"campaigntrack/models"
)

func campaignAdminPath(c *models.Campaign) string { return "/admin/campaigns/" + c.Slug }

func sectionPath(section string) string {
	if section == "" {
		return ""
	}
	return "/" + section
}

func auditWho(ctx context.Context, e models.AuditEntry) string {
	if e.UserEmail != "" {
		return e.UserEmail
	}
	return locale.T(ctx, "admin.unknown")
}

func auditVerb(ctx context.Context, action string) string {
	switch action {
	case models.AuditCreate:
		return locale.T(ctx, "admin.audit.created")
	case models.AuditDelete:
		return locale.T(ctx, "admin.audit.deleted")
	case models.AuditExport:
		return locale.T(ctx, "admin.audit.exported")
	case models.AuditSend:
		return locale.T(ctx, "admin.audit.sent")
	default:
		return locale.T(ctx, "admin.audit.changed")
	}
}

func auditRecordID(e models.AuditEntry) string {
	if e.RecordID == nil {
		return "?"
	}
	return strconv.FormatUint(uint64(*e.RecordID), 10)
}

func sortedKeys(m map[string]models.Change) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var camel = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// fieldLabel turns a Go field name into words: SignatureGoal -> Signature goal.
func fieldLabel(name string) string {
	s := strings.ToLower(camel.ReplaceAllString(name, "$1 $2"))
	return strings.ToUpper(s[:1]) + s[1:]
}

// auditValue shows a logged value: empty as a dash, lists as JSON.
func auditValue(ctx context.Context, v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		if x == "" {
			return "—"
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return locale.T(ctx, "admin.yes")
		}
		return locale.T(ctx, "admin.no")
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
}

// SourcesText writes sources one per line as "Name | address", the form
// the sources box takes them in.
func SourcesText(sources models.Sources) string {
	var lines []string
	for _, s := range sources {
		switch {
		case s.Name != "" && s.URL != "":
			lines = append(lines, s.Name+" | "+s.URL)
		case s.URL != "":
			lines = append(lines, s.URL)
		default:
			lines = append(lines, s.Name)
		}
	}
	return strings.Join(lines, "\n")
}

func recordPath(f AdminFrame, kind string, id uint) string {
	return campaignAdminPath(f.Campaign) + "/" + kind + "/" + strconv.FormatUint(uint64(id), 10)
}

// SectionTitle names a campaign's admin tab, as its tab does: the
// catalogue's admin.tab.<section>, admin.tab.overview for the overview.
func SectionTitle(ctx context.Context, section string) string {
	if section == "" {
		section = "overview"
	}
	return locale.T(ctx, "admin.tab."+section)
}

// moveLabel is the button that moves a delivery to a status.
func moveLabel(ctx context.Context, to string) string {
	switch to {
	case models.DeliveryPlanned:
		return locale.T(ctx, "admin_deliveries.plan_again")
	case models.DeliveryUnderWay:
		return locale.T(ctx, "admin_deliveries.under_way_now")
	}
	return locale.T(ctx, "admin_deliveries.mark", "Status", models.StatusLabel(to))
}

// zoneOptions offers "automatic" first, then the common zones, and keeps a
// zone already chosen that is not among them.
func zoneOptions(ctx context.Context, current string) []Option {
	out := []Option{{Value: "", Label: locale.T(ctx, "admin.zone_automatic")}}
	seen := false
	for _, z := range models.CommonZones {
		out = append(out, Option{Value: z, Label: z})
		seen = seen || z == current
	}
	if current != "" && !seen {
		out = append(out, Option{Value: current, Label: current})
	}
	return out
}

// zoneName names a zone for a hint.
func zoneName(zone string) string {
	if zone == "" {
		return "UTC"
	}
	return zone
}
