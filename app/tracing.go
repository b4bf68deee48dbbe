// Traces: a span per request, continuing the caller's W3C trace, exported with OTLP/HTTP in its JSON encoding.
//
// Standard library only. Debian's Go OpenTelemetry package (golang-opentelemetry-otel-dev 1.1.0) ships the API, the
// SDK and the Jaeger and stdout exporters but no OTLP exporter, and the OTLP exporter's protobuf and gRPC modules
// are not packaged, so nothing that sends OTLP can be vendored from this machine. OTLP/HTTP with JSON is part of the
// protocol (the collector's otlp receiver and X-Ray's endpoint both take it) and needs only encoding/json.
//
// Tracing is on when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT is set, and has no effect
// otherwise. Finished spans go to a bounded queue; a request never waits for an export: when the queue is full the
// span is dropped and counted. A worker sends batches, retries what OTLP says to retry, and flushes on shutdown.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// tracerConfig is what the OTEL_* environment variables say, with the specification's defaults.
type tracerConfig struct {
	// endpoint is the full URL spans are posted to, e.g. http://localhost:4318/v1/traces.
	endpoint string
	headers  map[string]string
	// resource holds service.name, service.version and OTEL_RESOURCE_ATTRIBUTES.
	resource      []keyValue
	maxQueue      int
	maxBatch      int
	scheduleDelay time.Duration
	exportTimeout time.Duration
}

// tracerConfigFromEnv reads the configuration; ok is false when tracing is off. Problems (a bad number, a protocol
// this exporter does not speak) are reported through warn and the default is used: telemetry never stops the service.
func tracerConfigFromEnv(getenv func(string) string, warn func(string)) (tracerConfig, bool) {
	if strings.EqualFold(getenv("OTEL_SDK_DISABLED"), "true") || getenv("OTEL_TRACES_EXPORTER") == "none" {
		return tracerConfig{}, false
	}
	endpoint := getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	if endpoint == "" {
		base := getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
		if base == "" {
			return tracerConfig{}, false
		}
		endpoint = strings.TrimRight(base, "/") + "/v1/traces"
	}
	if u, err := url.Parse(endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		warn(fmt.Sprintf("traces off: %q is not an http(s) URL", endpoint))
		return tracerConfig{}, false
	}
	if p := firstSet(getenv, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"); p != "" && p != "http/json" {
		warn(fmt.Sprintf("OTEL_EXPORTER_OTLP_PROTOCOL is %q; this service sends http/json, which OTLP/HTTP receivers take too", p))
	}
	headers := pairs(firstSet(getenv, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS"))
	attributes := pairs(getenv("OTEL_RESOURCE_ATTRIBUTES"))
	name := getenv("OTEL_SERVICE_NAME")
	if name == "" {
		name = attributes["service.name"]
	}
	if name == "" {
		name = "unknown_service:hello"
	}
	resource := []keyValue{stringAttribute("service.name", name), stringAttribute("service.version", version)}
	for _, key := range slices.Sorted(maps.Keys(attributes)) {
		if key != "service.name" && key != "service.version" {
			resource = append(resource, stringAttribute(key, attributes[key]))
		}
	}
	milliseconds := func(names []string, fallback int) time.Duration {
		return time.Duration(number(getenv, names, fallback, warn)) * time.Millisecond
	}
	config := tracerConfig{
		endpoint:      endpoint,
		headers:       headers,
		resource:      resource,
		maxQueue:      number(getenv, []string{"OTEL_BSP_MAX_QUEUE_SIZE"}, 2048, warn),
		maxBatch:      number(getenv, []string{"OTEL_BSP_MAX_EXPORT_BATCH_SIZE"}, 512, warn),
		scheduleDelay: milliseconds([]string{"OTEL_BSP_SCHEDULE_DELAY"}, 5000),
		exportTimeout: milliseconds([]string{"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"}, 10000),
	}
	if config.maxBatch > config.maxQueue {
		config.maxBatch = config.maxQueue
	}
	return config, true
}

func firstSet(getenv func(string) string, names ...string) string {
	for _, name := range names {
		if value := getenv(name); value != "" {
			return value
		}
	}
	return ""
}

// number reads the first set variable as a positive whole number, else the fallback.
func number(getenv func(string) string, names []string, fallback int, warn func(string)) int {
	text := firstSet(getenv, names...)
	if text == "" {
		return fallback
	}
	n, err := strconv.Atoi(text)
	if err != nil || n <= 0 {
		warn(fmt.Sprintf("%s is %q, not a positive whole number; using %d", names[0], text, fallback))
		return fallback
	}
	return n
}

// pairs reads the OTEL list form `key=value,key2=value2`, values percent-encoded.
func pairs(text string) map[string]string {
	out := map[string]string{}
	for _, item := range strings.Split(text, ",") {
		key, value, found := strings.Cut(item, "=")
		key = strings.TrimSpace(key)
		if !found || key == "" {
			continue
		}
		if decoded, err := url.PathUnescape(strings.TrimSpace(value)); err == nil {
			out[key] = decoded
		}
	}
	return out
}

// OTLP's JSON encoding: lowerCamelCase keys, trace and span ids as hex, enums as numbers, 64-bit integers as
// decimal strings (the proto3 JSON mapping with OTLP's deviations).
type (
	exportRequest struct {
		ResourceSpans []resourceSpans `json:"resourceSpans"`
	}
	resourceSpans struct {
		Resource   resource     `json:"resource"`
		ScopeSpans []scopeSpans `json:"scopeSpans"`
	}
	resource struct {
		Attributes []keyValue `json:"attributes"`
	}
	scopeSpans struct {
		Scope scope      `json:"scope"`
		Spans []otlpSpan `json:"spans"`
	}
	scope struct {
		Name    string `json:"name"`
		Version string `json:"version,omitempty"`
	}
	otlpSpan struct {
		TraceID           string     `json:"traceId"`
		SpanID            string     `json:"spanId"`
		TraceState        string     `json:"traceState,omitempty"`
		ParentSpanID      string     `json:"parentSpanId,omitempty"`
		Name              string     `json:"name"`
		Kind              int        `json:"kind"`
		StartTimeUnixNano string     `json:"startTimeUnixNano"`
		EndTimeUnixNano   string     `json:"endTimeUnixNano"`
		Attributes        []keyValue `json:"attributes,omitempty"`
		Status            spanStatus `json:"status"`
	}
	spanStatus struct {
		Code    int    `json:"code,omitempty"`
		Message string `json:"message,omitempty"`
	}
	keyValue struct {
		Key   string   `json:"key"`
		Value anyValue `json:"value"`
	}
	anyValue struct {
		StringValue *string `json:"stringValue,omitempty"`
		IntValue    *string `json:"intValue,omitempty"`
	}
)

// The OTLP enum values this service uses.
const (
	spanKindServer  = 2
	statusCodeError = 2
)

func stringAttribute(key, value string) keyValue {
	return keyValue{Key: key, Value: anyValue{StringValue: &value}}
}

func intAttribute(key string, value int64) keyValue {
	text := strconv.FormatInt(value, 10)
	return keyValue{Key: key, Value: anyValue{IntValue: &text}}
}

// tracer queues finished spans and exports them from one worker.
type tracer struct {
	config  tracerConfig
	client  *http.Client
	logf    func(format string, args ...any)
	queue   chan otlpSpan
	dropped atomic.Int64
	closing atomic.Bool
	stop    chan context.Context
	done    chan struct{}
	once    sync.Once
}

// newTracer starts the export worker.
func newTracer(config tracerConfig, logf func(format string, args ...any)) *tracer {
	t := &tracer{
		config: config,
		// Each export has its own deadline; the client keeps connections to the collector alive between batches.
		client: &http.Client{},
		logf:   logf,
		queue:  make(chan otlpSpan, config.maxQueue),
		stop:   make(chan context.Context, 1),
		done:   make(chan struct{}),
	}
	go t.run()
	return t
}

// record queues a finished span without ever waiting: a full queue drops it.
func (t *tracer) record(span otlpSpan) {
	if t.closing.Load() {
		t.dropped.Add(1)
		return
	}
	select {
	case t.queue <- span:
	default:
		t.dropped.Add(1)
	}
}

func (t *tracer) run() {
	defer close(t.done)
	batch := make([]otlpSpan, 0, t.config.maxBatch)
	timer := time.NewTimer(t.config.scheduleDelay)
	defer timer.Stop()
	send := func(ctx context.Context) {
		if len(batch) > 0 {
			t.export(ctx, batch)
			batch = batch[:0]
		}
	}
	scheduled := func() {
		ctx, cancel := context.WithTimeout(context.Background(), t.config.exportTimeout)
		send(ctx)
		cancel()
	}
	for {
		select {
		case span := <-t.queue:
			batch = append(batch, span)
			if len(batch) >= t.config.maxBatch {
				scheduled()
			}
		case <-timer.C:
			scheduled()
			timer.Reset(t.config.scheduleDelay)
		case ctx := <-t.stop:
			for {
				select {
				case span := <-t.queue:
					batch = append(batch, span)
					if len(batch) >= t.config.maxBatch {
						send(ctx)
					}
					continue
				default:
				}
				break
			}
			send(ctx)
			return
		}
	}
}

// shutdown stops taking spans and exports what is queued, giving up when ctx ends.
func (t *tracer) shutdown(ctx context.Context) error {
	t.once.Do(func() {
		t.closing.Store(true)
		t.stop <- ctx
	})
	select {
	case <-t.done:
	case <-ctx.Done():
		return fmt.Errorf("traces not all sent: %w", ctx.Err())
	}
	if n := t.dropped.Load(); n > 0 {
		t.logf("traces: %d spans dropped (queue full or shutting down)", n)
	}
	return nil
}

// export posts one batch, retrying 429, 502, 503, 504 and connection failures with backoff (or Retry-After) until
// ctx ends; other failures drop the batch with a log line.
func (t *tracer) export(ctx context.Context, spans []otlpSpan) {
	body, err := json.Marshal(exportRequest{ResourceSpans: []resourceSpans{{
		Resource:   resource{Attributes: t.config.resource},
		ScopeSpans: []scopeSpans{{Scope: scope{Name: "example.com/hello", Version: version}, Spans: spans}},
	}}})
	if err != nil {
		t.logf("traces: %d spans dropped: %v", len(spans), err)
		return
	}
	backoff := 100 * time.Millisecond
	for {
		retryAfter, err := t.post(ctx, body)
		if err == nil {
			return
		}
		var permanent permanentError
		if errors.As(err, &permanent) {
			t.logf("traces: %d spans dropped: %v", len(spans), err)
			return
		}
		wait := retryAfter
		if wait == 0 {
			// Exponential backoff with jitter, as OTLP asks of clients.
			wait = backoff/2 + rand.N(backoff/2+1)
			backoff = min(2*backoff, 5*time.Second)
		}
		select {
		case <-ctx.Done():
			t.logf("traces: %d spans dropped: %v (gave up: %v)", len(spans), err, ctx.Err())
			return
		case <-time.After(wait):
		}
	}
}

type permanentError struct{ error }

// post sends the batch once. It returns the server's Retry-After for a retryable answer, and permanentError for an
// answer OTLP says not to retry.
func (t *tracer) post(ctx context.Context, body []byte) (time.Duration, error) {
	request, err := http.NewRequestWithContext(ctx, http.MethodPost, t.config.endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, permanentError{err}
	}
	request.Header.Set("Content-Type", "application/json")
	for key, value := range t.config.headers {
		request.Header.Set(key, value)
	}
	response, err := t.client.Do(request)
	if err != nil {
		return 0, err
	}
	defer response.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(response.Body, 4096))
	switch code := response.StatusCode; {
	case code >= 200 && code < 300:
		return 0, nil
	case code == http.StatusTooManyRequests || code == http.StatusBadGateway ||
		code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout:
		seconds, _ := strconv.Atoi(response.Header.Get("Retry-After"))
		return time.Duration(seconds) * time.Second, fmt.Errorf("%s answered %s", t.config.endpoint, response.Status)
	default:
		return 0, permanentError{fmt.Errorf("%s answered %s: %s", t.config.endpoint, response.Status, strings.TrimSpace(string(answer)))}
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// middleware wraps a handler in a server span per request. The span continues the request's traceparent (or
// starts a trace), and the response carries the span's ids in a traceresponse header (W3C Trace Context Level 2).
// A caller that does not sample the trace gets ids but no exported span.
func (t *tracer) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newSpanID()
		parent, continued := parseTraceparent(r.Header.Get("traceparent"))
		trace, sampled := newTraceID(start), true
		if continued {
			trace, sampled = parent.trace, parent.sampled
		}
		w.Header().Set("traceresponse", formatTraceparent(trace, id, sampled))
		recorder := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(recorder, r)
		if !sampled {
			return
		}
		status := recorder.status
		if status == 0 {
			status = http.StatusOK
		}
		span := otlpSpan{
			TraceID:           trace.String(),
			SpanID:            id.String(),
			Kind:              spanKindServer,
			StartTimeUnixNano: strconv.FormatInt(start.UnixNano(), 10),
			EndTimeUnixNano:   strconv.FormatInt(time.Now().UnixNano(), 10),
			Attributes:        requestAttributes(r, status),
			Name:              r.Method,
		}
		if route := routeOf(r.Pattern); route != "" {
			span.Name += " " + route
		}
		if continued {
			span.ParentSpanID = parent.span.String()
			span.TraceState = r.Header.Get("tracestate")
		}
		// Server spans are errors on 5xx only: a 4xx is the client's mistake, not this service's.
		if status >= 500 {
			span.Status = spanStatus{Code: statusCodeError, Message: http.StatusText(status)}
		}
		t.record(span)
	})
}

// routeOf turns a ServeMux pattern ("GET /time/{zone...}") into the route ("/time/{zone...}").
func routeOf(pattern string) string {
	if i := strings.Index(pattern, "/"); i >= 0 {
		return pattern[i:]
	}
	return ""
}

// requestAttributes are the stable HTTP server attributes of OpenTelemetry's semantic conventions.
func requestAttributes(r *http.Request, status int) []keyValue {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	attributes := []keyValue{
		stringAttribute("http.request.method", r.Method),
		stringAttribute("url.path", r.URL.Path),
		stringAttribute("url.scheme", scheme),
		intAttribute("http.response.status_code", int64(status)),
		stringAttribute("network.protocol.version", fmt.Sprintf("%d.%d", r.ProtoMajor, r.ProtoMinor)),
	}
	if route := routeOf(r.Pattern); route != "" {
		attributes = append(attributes, stringAttribute("http.route", route))
	}
	if host, _, err := net.SplitHostPort(r.Host); err == nil {
		attributes = append(attributes, stringAttribute("server.address", host))
	} else if r.Host != "" {
		attributes = append(attributes, stringAttribute("server.address", r.Host))
	}
	if client, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		attributes = append(attributes, stringAttribute("client.address", client))
	}
	if agent := r.UserAgent(); agent != "" {
		attributes = append(attributes, stringAttribute("user_agent.original", agent))
	}
	return attributes
}
