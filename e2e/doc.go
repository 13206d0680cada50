// Package e2e holds the end-to-end tests of campaigntrack: they build the
// real binary and run it as a process.
//
// The browser tests start it on a fresh SQLite database and drive its pages
// in a headless Chromium with chromedp, in a phone-sized window. They need
// Chromium at /usr/bin/chromium (or "chromium" on the PATH); when it is
// missing they are skipped, unless CAMPAIGNTRACK_REQUIRE_BROWSER=1 is set, in
// which case they fail.
//
// The process tests need no browser: a crash test SIGKILLs the server while
// the load tool signs and checks every acknowledged signature survived,
// another SIGKILLs it mid-import and checks that no file with the signers'
// rows is left and the import is marked interrupted, a test runs the server
// and the commands under umask 000 and checks every file holding signers'
// data is 0600, a two-instance test runs two servers on one PostgreSQL
// database (skipped unless CAMPAIGNTRACK_TEST_POSTGRES holds a URL), and the
// attack tests (TestAttack*) flood a server with the load tool's attacks and
// read its peak memory, open files and log size from /proc and its output.
//
// The package has no code of its own; run the tests with
//
//	go test ./e2e/ -count=1 -v
package e2e
