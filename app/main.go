// Command hello is the sample service that go-windows-containers ships as a Windows container.
//
// It serves HTTP on $PORT (default 8080), answers /healthz, and stops gracefully on SIGTERM, which is how
// Windows delivers CTRL_SHUTDOWN_EVENT from `docker stop`. `hello healthcheck` probes /healthz and is what
// the image's HEALTHCHECK runs, since nanoserver has no PowerShell or curl.
//
// Its settings come from the environment, set per deployment and never baked into the image: GREETING (what /
// says), ENVIRONMENT (reported by /config), API_TOKEN (a secret: /config answers only requests that bear it,
// and is off when it is not set) and FAULT_ROUTE (`on` adds GET /fault, which answers 500, to rehearse a rollback).
//
// With OTEL_EXPORTER_OTLP_ENDPOINT set (an OpenTelemetry collector, e.g. http://localhost:4318), every request
// gets a span that continues the caller's W3C traceparent, sent over OTLP/HTTP as OTEL_SERVICE_NAME (tracing.go).
package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
	// Windows has no zoneinfo that time.LoadLocation can read: embed Go's copy.
	_ "time/tzdata"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// shutdownGrace stays under the roughly 5 seconds Windows gives a container between CTRL_SHUTDOWN and kill.
const shutdownGrace = 4 * time.Second

// traceFlushGrace is the part of shutdownGrace kept for sending the last spans after the server has stopped.
const traceFlushGrace = time.Second

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		if err := healthcheck("http://127.0.0.1:"+port+"/healthz", 3*time.Second); err != nil {
			fmt.Fprintln(os.Stderr, "unhealthy:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println(version)
		return
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	listener, err := net.Listen("tcp", ":"+port)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	config := loadSettings(os.Getenv)
	handler := newHandler(config)
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
	var traces *tracer
	if traceConfig, on := tracerConfigFromEnv(os.Getenv, func(warning string) { logf("traces: %s", warning) }); on {
		traces = newTracer(traceConfig, logf)
		handler = traces.middleware(handler)
		fmt.Printf("traces: sending spans to %s\n", traceConfig.endpoint)
	}
	fmt.Printf("hello %s (%s) listening on %s\n", version, config.Environment, listener.Addr())
	err = serveHandler(ctx, listener, handler, shutdownGrace-traceFlushGrace)
	if traces != nil {
		flush, cancel := context.WithTimeout(context.Background(), traceFlushGrace)
		if flushErr := traces.shutdown(flush); flushErr != nil {
			logf("%v", flushErr)
		}
		cancel()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("stopped")
}

// settings are what differs between deployments, read from the environment at start.
type settings struct {
	Greeting    string `json:"greeting"`
	Environment string `json:"environment"`
	// apiToken guards /config; empty turns /config off. Never written out.
	apiToken string
	// faultRoute adds GET /fault, which always answers 500: a bad release to rehearse a rollback with.
	faultRoute bool
}

// loadSettings reads the settings through getenv (os.Getenv), with defaults for what is not set.
func loadSettings(getenv func(string) string) settings {
	s := settings{
		Greeting:    getenv("GREETING"),
		Environment: getenv("ENVIRONMENT"),
		apiToken:    getenv("API_TOKEN"),
		faultRoute:  getenv("FAULT_ROUTE") == "on",
	}
	if s.Greeting == "" {
		s.Greeting = "hello"
	}
	if s.Environment == "" {
		s.Environment = "unknown"
	}
	return s
}

// newHandler returns the service's routes.
func newHandler(config settings) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "%s from a Go service in a Windows container (version %s)\n", config.Greeting, version)
	})
	mux.HandleFunc("GET /config", func(w http.ResponseWriter, r *http.Request) {
		if config.apiToken == "" {
			http.NotFound(w, r)
			return
		}
		given := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(given, []byte("Bearer "+config.apiToken)) != 1 {
			http.Error(w, "a bearer token is required", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(struct {
			settings
			Version string `json:"version"`
		}{config, version})
	})
	if config.faultRoute {
		mux.HandleFunc("GET /fault", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "fault injected (FAULT_ROUTE=on)", http.StatusInternalServerError)
		})
	}
	mux.HandleFunc("GET /time/{zone...}", func(w http.ResponseWriter, r *http.Request) {
		loc, err := time.LoadLocation(r.PathValue("zone"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, time.Now().In(loc).Format(time.RFC3339))
	})
	return mux
}

// serve runs the service's routes until ctx ends, then lets requests in flight finish within grace.
func serve(ctx context.Context, listener net.Listener, config settings, grace time.Duration) error {
	return serveHandler(ctx, listener, newHandler(config), grace)
}

// serveHandler runs a server with handler until ctx ends, then lets requests in flight finish within grace.
func serveHandler(ctx context.Context, listener net.Listener, handler http.Handler, grace time.Duration) error {
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errs := make(chan error, 1)
	go func() { errs <- server.Serve(listener) }()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-errs; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// healthcheck succeeds when url answers 200 within timeout.
func healthcheck(url string, timeout time.Duration) error {
	client := &http.Client{Timeout: timeout}
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return nil
}
