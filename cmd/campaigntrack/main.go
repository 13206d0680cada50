// Command campaigntrack serves a protest campaign's tracker. All it does is
// hand the command line and the process's signals to package cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"campaigntrack/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
