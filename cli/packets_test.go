package cli_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDeliveriesPacket writes a delivered delivery's packet into a
// directory: owner-only files, the manifest's hash as printed, and the
// refusals of bad arguments.
func TestDeliveriesPacket(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	dir := t.TempDir()
	if r := run(t, context.Background(), nil, "signatures", "import", "--db", db, "--campaign", "no-tech-for-ice", writeFile(t, dir, "list.csv", goodCSV)); r.code != 0 {
		t.Fatal(r.stderr)
	}
	deliveries := writeFile(t, dir, "d.csv", "city,region,country,status,delivered_at,venue\nPortland,OR,US,delivered,2019-07-15,Amazon office\n")
	if r := run(t, context.Background(), nil, "deliveries", "import", "--db", db, "--campaign", "no-tech-for-ice", deliveries); r.code != 0 {
		t.Fatal(r.stderr)
	}
	store, c := openDB(t, db)
	ds, _ := store.DeliveriesFor(context.Background(), c.ID)
	var id string
	for _, d := range ds {
		if d.City == "Portland" {
			id = strconv.FormatUint(uint64(d.ID), 10)
		}
	}
	out := filepath.Join(dir, "packet")
	r := run(t, context.Background(), nil, "deliveries", "packet", "--db", db, "--campaign", "no-tech-for-ice", "--delivery", id, "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "3 signers in 1 volumes") {
		t.Fatalf("packet: %d %q %q", r.code, r.stdout, r.stderr)
	}
	manifest, err := os.ReadFile(filepath.Join(out, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(manifest)
	if !strings.Contains(r.stdout, "manifest SHA-256 "+hex.EncodeToString(sum[:])) {
		t.Errorf("the printed hash is not the manifest's: %q", r.stdout)
	}
	for _, name := range []string{"manifest.csv", "volume-01.pdf"} {
		st, err := os.Stat(filepath.Join(out, name))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v (it prints signers' names: owner only)", name, err, st.Mode().Perm())
		}
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--campaign", "no-tech-for-ice", "--out", out}, 2, "--delivery is required"},
		{[]string{"--campaign", "no-tech-for-ice", "--delivery", id}, 2, "--out is required"},
		{[]string{"--campaign", "no-tech-for-ice", "--delivery", "999999", "--out", out}, 1, "has no delivery 999999"},
		{[]string{"--campaign", "no-tech-for-ice", "--delivery", id, "--out", out, "--split", "sideways"}, 1, "split"},
		{[]string{"--campaign", "no-tech-for-ice", "--delivery", id, "--out", out, "--every", "3"}, 1, "every"},
	} {
		r := run(t, context.Background(), nil, append([]string{"deliveries", "packet", "--db", db}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
}
