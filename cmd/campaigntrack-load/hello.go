package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

const helloAbout = `Serves Echo's hello-world (GET / answers "Hello, World!", no middleware) on
-addr until Ctrl-C: the yardstick the page targets are measured against.
Run it beside the server and load both in the same run, for example
  campaigntrack-load hello -addr 127.0.0.1:18182 &
  campaigntrack-load read -url http://127.0.0.1:18182 -path / -c 50 -d 10s
  campaigntrack-load read -url http://127.0.0.1:18181 -path /campaigns/SLUG/deliveries -c 50 -d 10s
`

func runHello(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("hello", helloAbout, stderr)
	addr := fs.String("addr", "127.0.0.1:18182", "address to listen on")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	e := helloServer()
	srv := &http.Server{Addr: *addr, Handler: e, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	fmt.Fprintf(stdout, "hello-world on http://%s/\n", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "campaigntrack-load hello: %v\n", err)
		return 3
	}
	return 0
}

// helloServer is the hello-world of Echo's own guide.
func helloServer() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/", func(c echo.Context) error { return c.String(http.StatusOK, "Hello, World!") })
	return e
}
