// Package e2e holds the end-to-end tests of campaigntrack: they build the
// real binary, start it on a fresh SQLite database, and drive its pages in a
// headless Chromium with chromedp, in a phone-sized window.
//
// The package has no code of its own; run the tests with
//
//	go test ./e2e/ -count=1 -v
//
// They need Chromium at /usr/bin/chromium (or "chromium" on the PATH). When it
// is missing the browser tests are skipped, unless the environment variable
// CAMPAIGNTRACK_REQUIRE_BROWSER=1 is set, in which case they fail.
package e2e
