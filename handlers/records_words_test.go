package handlers

import (
	"testing"

	"campaigntrack/locale"
)

// TestRecordKindsAreWorded: the shared record pages say each kind's edit
// title and removal in the kind's own words, ids made from its audit type
// ("admin.record.edit.delivery"); every kind has them in the English
// catalogue.
func TestRecordKindsAreWorded(t *testing.T) {
	en, err := locale.Catalogue(locale.English)
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{}
	for _, audit := range []string{
		h.deliveryRecords().audit, h.actionRecords().audit, h.responseRecords().audit,
		h.claimRecords().audit, h.partnerRecords().audit, h.sourceRecords().audit,
	} {
		for _, id := range []string{"admin.record.edit." + audit, "admin.record.removed." + audit} {
			if _, ok := en[id]; !ok {
				t.Errorf("%q is missing from the English catalogue", id)
			}
		}
	}
}
