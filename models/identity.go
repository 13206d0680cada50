package models

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// One person, one count. A signature is one person, found by the
// canonical identity of their email rather than the address as typed
// (which is kept for mail): Ana.Lopez+nt4i@gmail.com and
// analopez@googlemail.com reach the same inbox, so they are one signer.
//
// The rules, in order:
//   - the address is trimmed, put in Unicode NFC and case folded;
//   - a +tag in the local part is dropped, for every domain (and the
//     tag separators of the domain's rule);
//   - googlemail.com is read as gmail.com, and an organiser's rule may
//     read any domain as another (an alias);
//   - dots in the local part are dropped at gmail.com and at domains
//     whose rule says so.
//
// No rule ever leaves an empty local part: "+news@example.org" stays
// itself rather than becoming every address at example.org. Addresses
// that only look alike (a Cyrillic "а" for a Latin "a", a dot at a
// provider that keeps dots) stay apart: only these rules merge.

// EmailRule is an organiser's rule for a mail domain that works like
// Gmail: AliasOf reads the domain as another (ymail.com as yahoo.com), and
// IgnoreDots drops dots from the local part, as the provider does when it
// delivers.
type EmailRule struct {
	ID         uint
	Domain     string // lower case, no "@"
	AliasOf    string // "" or the domain it is read as
	IgnoreDots bool
	TagSeps    string // characters besides "+" that start a tag (Yahoo uses "-")
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (EmailRule) TableName() string { return "email_rules" }

// builtInRules apply whatever organisers add: Gmail's own.
var builtInRules = map[string]EmailRule{
	"gmail.com":      {Domain: "gmail.com", IgnoreDots: true},
	"googlemail.com": {Domain: "googlemail.com", AliasOf: "gmail.com"},
}

// EmailRules is the set of rules in force, keyed by domain.
type EmailRules map[string]EmailRule

// rule returns the rule for a domain: an organiser's, else a built-in one.
func (r EmailRules) rule(domain string) (EmailRule, bool) {
	if rule, ok := r[domain]; ok {
		return rule, true
	}
	rule, ok := builtInRules[domain]
	return rule, ok
}

// foldEmail trims, composes (NFC) and case folds an address.
func foldEmail(s string) string {
	s = strings.TrimSpace(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	// Folding then lower-casing, until nothing moves: x/text's Fold alone
	// swaps Cherokee between its cases at every call (found by
	// FuzzIdentity), and an identity must be its own identity.
	s = norm.NFC.String(s)
	for range 4 {
		next := norm.NFC.String(strings.ToLower(cases.Fold().String(s)))
		if next == s {
			break
		}
		s = next
	}
	return s
}

// Identity is the canonical identity of an email under the rules: the key
// that decides whether two signatures are one person.
func (r EmailRules) Identity(email string) string {
	s := foldEmail(email)
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	local, domain := s[:at], strings.TrimSuffix(s[at+1:], ".")
	rule, ok := r.rule(domain)
	if ok && rule.AliasOf != "" {
		domain = rule.AliasOf
		rule, ok = r.rule(domain)
		if ok && rule.AliasOf != "" {
			ok = false // one step: an alias's own alias is not followed
		}
	}
	seps := "+"
	if ok {
		seps += rule.TagSeps
	}
	if i := strings.IndexAny(local, seps); i > 0 {
		local = local[:i]
	}
	if ok && rule.IgnoreDots {
		if stripped := strings.ReplaceAll(local, ".", ""); stripped != "" {
			local = stripped
		}
	}
	return local + "@" + domain
}

// Normalise trims and lower-cases a rule's domains.
func (e *EmailRule) Normalise() {
	e.Domain = strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(e.Domain)), "@"), ".")
	e.AliasOf = strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(e.AliasOf)), "@"), ".")
	e.TagSeps = strings.Join(strings.Fields(e.TagSeps), "")
}

// tagSepAllowed are the characters a rule may name as starting a tag:
// punctuation that providers use. A letter or digit would cut names
// ("a" would make "ana" and "alex" one person at the first letter), and a
// dot is what IgnoreDots is for.
const tagSepAllowed = "-_=#~"

// Validate names each field of a rule that is wrong. A rule that would
// merge every address of a domain, or every address at all, is refused.
func (e *EmailRule) Validate() FieldErrors {
	fe := FieldErrors{}
	if msg := checkDomain(e.Domain); msg != "" {
		fe.Add("domain", msg)
	}
	if e.AliasOf != "" {
		if msg := checkDomain(e.AliasOf); msg != "" {
			fe.Add("alias_of", msg)
		} else if e.AliasOf == e.Domain {
			fe.Add("alias_of", "a domain cannot be an alias of itself")
		}
	}
	for _, r := range e.TagSeps {
		if !strings.ContainsRune(tagSepAllowed, r) {
			fe.Add("tag_seps", fmt.Sprintf("%q cannot start a tag: only %s may (a letter or digit would cut every name that holds it, which merges different people; \"+\" always does)", string(r), strings.Join(strings.Split(tagSepAllowed, ""), " ")))
			break
		}
	}
	if e.AliasOf == "" && !e.IgnoreDots && e.TagSeps == "" {
		fe.Add("domain", "the rule changes nothing: choose an alias, ignore dots, or a tag separator")
	}
	return fe
}

// checkDomain says what is wrong with a mail domain, or "".
func checkDomain(d string) string {
	switch {
	case d == "":
		return "give the mail domain, for example yahoo.com (a rule for every domain would merge different people)"
	case strings.ContainsAny(d, "@*?%, \t") || strings.IndexFunc(d, unicode.IsControl) >= 0:
		return "give one domain name, such as yahoo.com, with no @, spaces or wildcards"
	case !strings.Contains(d, ".") || strings.HasPrefix(d, ".") || strings.Contains(d, ".."):
		return "give a full domain name with a dot, such as yahoo.com"
	case len(d) > 253:
		return "a domain name has at most 253 characters"
	}
	return ""
}

// loadEmailRules reads the rules in force inside tx, so a batch computes
// identities with the rules of its own transaction.
func loadEmailRules(tx *gorm.DB) (EmailRules, error) {
	var rows []EmailRule
	if err := tx.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(EmailRules, len(rows))
	for _, r := range rows {
		out[r.Domain] = r
	}
	return out, nil
}

// EmailRulesInForce lists the organisers' rules by domain, and apart the
// built-in ones that no organiser's rule replaces (EmailRules.rule: an
// organiser's rule for a domain is the one that applies).
func (s *Store) EmailRulesInForce(ctx context.Context) (custom []EmailRule, builtIn []EmailRule, err error) {
	if err = s.db.WithContext(ctx).Order("domain").Find(&custom).Error; err != nil {
		return nil, nil, err
	}
	rules := EmailRules{}
	for _, r := range custom {
		rules[r.Domain] = r
	}
	for _, d := range []string{"gmail.com", "googlemail.com"} {
		if _, replaced := rules[d]; !replaced {
			builtIn = append(builtIn, builtInRules[d])
		}
	}
	return custom, builtIn, nil
}

// Identity is the identity of an email under the rules now in force.
func (s *Store) Identity(ctx context.Context, email string) (string, error) {
	rules, err := loadEmailRules(s.db.WithContext(ctx))
	if err != nil {
		return "", err
	}
	return rules.Identity(email), nil
}

// RuleChange is what adding or removing a rule did to the signatures.
type RuleChange struct {
	Rule     EmailRule
	Changed  int // signatures whose identity changed
	Merged   int // signatures merged into an earlier one of the same person
	Affected []string
}

// AddEmailRule stores a rule (or replaces the rule for its domain) and, in
// the same transaction, gives every signature it touches its new identity,
// merging the people who become one; audited.
func (s *Store) AddEmailRule(ctx context.Context, actor Actor, rule EmailRule) (RuleChange, error) {
	rule.Normalise()
	if err := rule.Validate().Err(); err != nil {
		return RuleChange{}, err
	}
	var out RuleChange
	err := s.db.WithContext(bulkContext(ctx)).Transaction(func(tx *gorm.DB) error {
		rules, err := loadEmailRules(tx)
		if err != nil {
			return err
		}
		if err := checkAliasChain(rules, rule); err != nil {
			return err
		}
		before, had := rules[rule.Domain]
		if had {
			rule.ID, rule.CreatedAt = before.ID, before.CreatedAt
		}
		if err := tx.Save(&rule).Error; err != nil {
			return err
		}
		rules[rule.Domain] = rule
		out, err = reidentify(tx, s, rules, affectedDomains(rules, rule, before))
		if err != nil {
			return err
		}
		out.Rule = rule
		var prev *EmailRule
		if had {
			prev = &before
		}
		action := AuditCreate
		if had {
			action = AuditUpdate
		}
		changes := diff(prev, &rule)
		changes["merged_signatures"] = Change{After: out.Merged}
		changes["changed_identities"] = Change{After: out.Changed}
		return writeAudit(tx, actor, nil, action, "email_rule", rule.ID, changes)
	})
	return out, err
}

// DeleteEmailRule removes an organiser's rule and gives the signatures it
// touched their identity without it (nothing merged is split again: a
// merged signature was deleted); audited.
func (s *Store) DeleteEmailRule(ctx context.Context, actor Actor, id uint) (RuleChange, error) {
	var out RuleChange
	err := s.db.WithContext(bulkContext(ctx)).Transaction(func(tx *gorm.DB) error {
		var rule EmailRule
		if err := tx.Where("id = ?", id).Take(&rule).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Delete(&rule).Error; err != nil {
			return err
		}
		rules, err := loadEmailRules(tx)
		if err != nil {
			return err
		}
		out, err = reidentify(tx, s, rules, affectedDomains(rules, rule, EmailRule{}))
		if err != nil {
			return err
		}
		out.Rule = rule
		changes := diff(&rule, nil)
		changes["changed_identities"] = Change{After: out.Changed}
		return writeAudit(tx, actor, nil, AuditDelete, "email_rule", rule.ID, changes)
	})
	return out, err
}

// checkAliasChain refuses an alias to a domain that is itself an alias,
// and an alias rule for a domain others are aliases of: identities follow
// one step, so a chain would read differently depending on its order.
func checkAliasChain(rules EmailRules, rule EmailRule) error {
	if rule.AliasOf == "" {
		return nil
	}
	if target, ok := rules.rule(rule.AliasOf); ok && target.AliasOf != "" {
		return FieldErrors{"alias_of": fmt.Sprintf("%s is itself read as %s: make %s an alias of %s", rule.AliasOf, target.AliasOf, rule.Domain, target.AliasOf)}
	}
	for _, other := range rules {
		if other.AliasOf == rule.Domain && other.Domain != rule.Domain {
			return FieldErrors{"alias_of": fmt.Sprintf("%s is read as %s already, so %s cannot be read as another domain", other.Domain, rule.Domain, rule.Domain)}
		}
	}
	return nil
}

// affectedDomains are the domains whose identities a rule change may move:
// the rule's domain and its alias before and after, and the domains read
// as the rule's domain.
func affectedDomains(rules EmailRules, rule, before EmailRule) []string {
	set := map[string]bool{rule.Domain: true}
	for _, d := range []string{rule.AliasOf, before.AliasOf} {
		if d != "" {
			set[d] = true
		}
	}
	for _, other := range rules {
		if set[other.AliasOf] {
			set[other.Domain] = true
		}
	}
	out := make([]string, 0, len(set))
	for d := range set {
		out = append(out, d)
	}
	return out
}

// likeEscape escapes LIKE's wildcards with "\".
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// reidentify gives every signature whose identity ends in one of domains
// (every signature when domains is nil) its identity under rules, and
// merges the people who become one (see mergePeople), inside tx.
func reidentify(tx *gorm.DB, s *Store, rules EmailRules, domains []string) (RuleChange, error) {
	out := RuleChange{Affected: domains}
	type row struct {
		ID         uint
		CampaignID uint
		Email      string
		Identity   string
	}
	q := tx.Model(&Signature{}).Select("id, campaign_id, email, identity")
	if domains != nil {
		var conds []string
		var args []any
		for _, d := range domains {
			conds = append(conds, `identity LIKE ? ESCAPE '\'`)
			args = append(args, "%@"+likeEscape(d))
		}
		q = q.Where(strings.Join(conds, " OR "), args...)
	}
	var rows []row
	var batch []row
	if err := q.FindInBatches(&batch, 10_000, func(*gorm.DB, int) error {
		rows = append(rows, batch...)
		return nil
	}).Error; err != nil {
		return out, err
	}
	type key struct {
		campaign uint
		identity string
	}
	groups := map[key][]uint{}
	newIdentity := map[uint]string{}
	for _, r := range rows {
		id := rules.Identity(r.Email)
		if r.Email == "" { // a row whose address was not recorded keeps its identity
			id = r.Identity
		}
		k := key{r.CampaignID, id}
		groups[k] = append(groups[k], r.ID)
		if id != r.Identity {
			newIdentity[r.ID] = id
		}
	}
	var people [][]uint
	for _, ids := range groups {
		if len(ids) > 1 {
			people = append(people, ids)
		}
	}
	merged, err := mergePeople(tx, s, people)
	if err != nil {
		return out, err
	}
	out.Merged = len(merged)
	for _, id := range merged {
		delete(newIdentity, id)
	}
	if err := setIdentities(tx, newIdentity); err != nil {
		return out, err
	}
	out.Changed = len(newIdentity)
	return out, nil
}

// mergePeople merges each group of signatures (one person's, of one
// campaign) into one, inside tx: the earliest counted one is kept (the
// earliest pending one when none counts), every source that had any of
// them is recorded on it, and the others are deleted with their mail. The
// kept counts, tallies and source figures move with them. It returns the
// ids deleted. The work is done in bulk, a few statements for thousands
// of groups: a migration merging 30,000 people one at a time took 88 s.
func mergePeople(tx *gorm.DB, s *Store, groups [][]uint) ([]uint, error) {
	if len(groups) == 0 {
		return nil, nil
	}
	var all []uint
	for _, g := range groups {
		all = append(all, g...)
	}
	byID := make(map[uint]*Signature, len(all))
	for start := 0; start < len(all); start += 5000 {
		var sigs []*Signature
		if err := tx.Select("id, campaign_id, city, region, signed_at, confirmed_at, source_id").
			Where("id IN ?", all[start:min(start+5000, len(all))]).Find(&sigs).Error; err != nil {
			return nil, err
		}
		for _, sig := range sigs {
			byID[sig.ID] = sig
		}
	}
	sets, err := sourceSets(tx, all)
	if err != nil {
		return nil, err
	}
	t, st := newTally(), newSourceTally()
	var gone []uint
	var links []sourceLink
	for _, ids := range groups {
		var sigs []*Signature
		for _, id := range ids {
			if sig := byID[id]; sig != nil {
				sigs = append(sigs, sig)
			}
		}
		if len(sigs) < 2 {
			continue
		}
		slices.SortFunc(sigs, func(a, b *Signature) int {
			return cmp.Or(a.SignedAt.Compare(b.SignedAt), cmp.Compare(a.ID, b.ID))
		})
		keep := sigs[0]
		for _, sig := range sigs {
			if sig.Confirmed() {
				keep = sig
				break
			}
		}
		campaignID := keep.CampaignID
		union := map[uint]bool{}
		for _, sig := range sigs {
			for _, src := range sets[sig.ID] {
				union[src] = true
			}
			if sig.Confirmed() {
				t.remove(sig)
				st.person(campaignID, sets[sig.ID], -1)
			} else {
				t.addPending(campaignID, -1)
			}
			if sig.ID != keep.ID {
				gone = append(gone, sig.ID)
			}
		}
		srcs := slices.Sorted(maps.Keys(union))
		if keep.Confirmed() {
			t.add(keep)
			st.person(campaignID, srcs, 1)
		} else {
			t.addPending(campaignID, 1)
		}
		for _, src := range srcs {
			if keep.SourceID == nil || *keep.SourceID != src { // its first source is on its row
				links = append(links, sourceLink{SignatureID: keep.ID, SourceID: src})
			}
		}
	}
	for start := 0; start < len(gone); start += 5000 {
		chunk := gone[start:min(start+5000, len(gone))]
		if err := forgetSignerMail(tx, chunk); err != nil {
			return nil, err
		}
		if err := tx.Where("id IN ?", chunk).Delete(&Signature{}).Error; err != nil { // their links go with them
			return nil, err
		}
	}
	if _, err := s.insertLinks(tx, links); err != nil {
		return nil, err
	}
	if err := t.write(tx); err != nil {
		return nil, err
	}
	return gone, st.write(tx)
}

// setIdentities gives signatures their new identities, 500 a statement.
func setIdentities(tx *gorm.DB, identities map[uint]string) error {
	ids := slices.Sorted(maps.Keys(identities))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var b strings.Builder
		args := make([]any, 0, len(chunk)*3)
		b.WriteString("UPDATE signatures SET identity = CASE id")
		for _, id := range chunk {
			b.WriteString(" WHEN ? THEN ?")
			args = append(args, id, identities[id])
		}
		b.WriteString(" END WHERE id IN ?")
		args = append(args, chunk)
		if err := tx.Exec(b.String(), args...).Error; err != nil {
			return fmt.Errorf("new identities: %w", err)
		}
	}
	return nil
}

// Reidentify gives every signature its identity under the rules now in
// force, merging the people who are one: what a rule change made on
// another instance, while a signature was being stored there, could have
// left behind. `signatures recount` runs it first.
func (s *Store) Reidentify(ctx context.Context) (RuleChange, error) {
	var out RuleChange
	err := s.db.WithContext(bulkContext(ctx)).Transaction(func(tx *gorm.DB) error {
		rules, err := loadEmailRules(tx)
		if err != nil {
			return err
		}
		out, err = reidentify(tx, s, rules, nil)
		return err
	})
	return out, err
}
