// Tests of the sample service: routes, settings from the environment, embedded time zones, the healthcheck
// subcommand and graceful shutdown.
package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// defaults are the settings of a deployment that sets no environment variables.
var defaults = loadSettings(func(string) string { return "" })

func TestHealthzAnswersOK(t *testing.T) {
	rec := httptest.NewRecorder()
	newHandler(defaults).ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != "ok" {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
}

func TestRootReportsVersion(t *testing.T) {
	old := version
	version = "1.2.3"
	defer func() { version = old }()
	rec := httptest.NewRecorder()
	newHandler(defaults).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if !strings.Contains(rec.Body.String(), "version 1.2.3") {
		t.Fatalf("body %q lacks the version", rec.Body.String())
	}
}

func TestSettingsComeFromTheEnvironment(t *testing.T) {
	env := map[string]string{"GREETING": "hej", "ENVIRONMENT": "prod", "API_TOKEN": "s3cret"}
	config := loadSettings(func(key string) string { return env[key] })
	rec := httptest.NewRecorder()
	newHandler(config).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if !strings.HasPrefix(rec.Body.String(), "hej from a Go service") {
		t.Fatalf("body %q does not greet with GREETING", rec.Body.String())
	}
	if defaults.Greeting != "hello" || defaults.Environment != "unknown" {
		t.Fatalf("defaults %+v", defaults)
	}
}

func TestConfigNeedsTheTokenAndNeverShowsIt(t *testing.T) {
	env := map[string]string{"GREETING": "hej", "ENVIRONMENT": "prod", "API_TOKEN": "s3cret"}
	handler := newHandler(loadSettings(func(key string) string { return env[key] }))
	for _, auth := range []string{"", "Bearer wrong", "s3cret"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/config", nil)
		req.Header.Set("Authorization", auth)
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("Authorization %q got %d", auth, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/config", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	handler.ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, `"environment":"prod"`) || strings.Contains(body, "s3cret") {
		t.Fatalf("got %d %q", rec.Code, body)
	}
	rec = httptest.NewRecorder()
	newHandler(defaults).ServeHTTP(rec, httptest.NewRequest("GET", "/config", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("without API_TOKEN /config is off, got %d", rec.Code)
	}
}

func TestUnknownPathIs404(t *testing.T) {
	rec := httptest.NewRecorder()
	newHandler(defaults).ServeHTTP(rec, httptest.NewRequest("GET", "/nope", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("got %d", rec.Code)
	}
}

func TestEmbeddedTimeZonesLoad(t *testing.T) {
	rec := httptest.NewRecorder()
	newHandler(defaults).ServeHTTP(rec, httptest.NewRequest("GET", "/time/Asia/Tokyo", nil))
	if rec.Code != http.StatusOK || !strings.HasSuffix(strings.TrimSpace(rec.Body.String()), "+09:00") {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
}

func TestHealthcheckSucceedsAndFails(t *testing.T) {
	server := httptest.NewServer(newHandler(defaults))
	if err := healthcheck(server.URL+"/healthz", time.Second); err != nil {
		t.Fatalf("healthy server reported unhealthy: %v", err)
	}
	if err := healthcheck(server.URL+"/missing", time.Second); err == nil {
		t.Fatal("a 404 counted as healthy")
	}
	server.Close()
	if err := healthcheck(server.URL+"/healthz", time.Second); err == nil {
		t.Fatal("a stopped server counted as healthy")
	}
}

// A request in flight when SIGTERM arrives finishes, and serve returns well within Windows' 5 second grace.
func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, listener, defaults, shutdownGrace) }()

	conn, err := net.Dial("tcp", listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Send half a request so that it is in flight when shutdown begins.
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	cancel()
	time.Sleep(100 * time.Millisecond)
	if _, err := io.WriteString(conn, "Connection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(conn)
	if err != nil || !strings.HasPrefix(string(reply), "HTTP/1.1 200") {
		t.Fatalf("in-flight request got %q (%v)", reply, err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not return within 5 seconds of shutdown")
	}
	if elapsed := time.Since(start); elapsed > shutdownGrace {
		t.Fatalf("shutdown took %s", elapsed)
	}
}
