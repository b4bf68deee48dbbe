// Tests of tracing: traceparent parsing, configuration from the environment, the span each request gets, and the
// exporter's batches, retries, bounded queue and shutdown, against a local receiver that decodes what arrives.
package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseTraceparent(t *testing.T) {
	const valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	sc, ok := parseTraceparent(valid)
	if !ok || sc.trace.String() != "4bf92f3577b34da6a3ce929d0e0e4736" || sc.span.String() != "00f067aa0ba902b7" || !sc.sampled {
		t.Fatalf("valid header read as %+v %v", sc, ok)
	}
	if sc, ok := parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"); !ok || sc.sampled {
		t.Fatalf("flags 00 must be read as not sampled: %+v %v", sc, ok)
	}
	// A later version is read for its four fields, and may carry more after a dash.
	if _, ok := parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future"); !ok {
		t.Fatal("a later version with more fields must be read")
	}
	for _, bad := range []string{
		"",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",       // no flags
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  // version 00 has exactly four fields
		"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",    // upper case
		"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // version ff is invalid
		"00-00000000000000000000000000000000-00f067aa0ba902b7-01",    // zero trace id
		"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",    // zero span id
		"00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // separator
		"00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",    // not hex
		"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01xyz", // later version without a dash
	} {
		if _, ok := parseTraceparent(bad); ok {
			t.Errorf("%q was accepted", bad)
		}
	}
	id, span := newTraceID(time.Now()), newSpanID()
	if got, ok := parseTraceparent(formatTraceparent(id, span, true)); !ok || got.trace != id || got.span != span || !got.sampled {
		t.Fatalf("formatTraceparent does not read back: %+v", got)
	}
}

func TestTraceIDsCarryTheTimeAsXRayNeeds(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	a, b := newTraceID(now), newTraceID(now)
	if a.String()[:8] != "6553f100" || a == b {
		t.Fatalf("trace ids %s %s", a, b)
	}
}

// env is a getenv over a map.
func env(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }

func TestTracingIsOffWithoutAnEndpoint(t *testing.T) {
	var warnings []string
	warn := func(w string) { warnings = append(warnings, w) }
	for _, vars := range []map[string]string{
		{},
		{"OTEL_SERVICE_NAME": "api"},
		{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318", "OTEL_SDK_DISABLED": "true"},
		{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318", "OTEL_TRACES_EXPORTER": "none"},
	} {
		if _, on := tracerConfigFromEnv(env(vars), warn); on {
			t.Errorf("tracing on with %v", vars)
		}
	}
	if _, on := tracerConfigFromEnv(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "localhost:4318"}), warn); on {
		t.Error("an endpoint without a scheme turned tracing on")
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "not an http(s) URL") {
		t.Fatalf("warnings %v", warnings)
	}
}

func TestTracerConfigFromEnv(t *testing.T) {
	var warnings []string
	config, on := tracerConfigFromEnv(env(map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318/",
		"OTEL_SERVICE_NAME":           "api",
		"OTEL_RESOURCE_ATTRIBUTES":    "deployment.environment.name=prod,service.name=ignored,team=a%20b",
		"OTEL_EXPORTER_OTLP_HEADERS":  "authorization=Bearer%20x,x-tenant=7",
		"OTEL_BSP_SCHEDULE_DELAY":     "250",
		"OTEL_BSP_MAX_QUEUE_SIZE":     "ten",
		"OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
	}), func(w string) { warnings = append(warnings, w) })
	if !on || config.endpoint != "http://localhost:4318/v1/traces" {
		t.Fatalf("endpoint %q on=%v", config.endpoint, on)
	}
	if config.headers["authorization"] != "Bearer x" || config.headers["x-tenant"] != "7" {
		t.Fatalf("headers %v", config.headers)
	}
	if config.scheduleDelay != 250*time.Millisecond || config.maxQueue != 2048 || config.maxBatch != 512 || config.exportTimeout != 10*time.Second {
		t.Fatalf("settings %+v", config)
	}
	got := map[string]string{}
	for _, kv := range config.resource {
		got[kv.Key] = *kv.Value.StringValue
	}
	want := map[string]string{"service.name": "api", "service.version": version, "deployment.environment.name": "prod", "team": "a b"}
	if len(got) != len(want) {
		t.Fatalf("resource %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("resource %v, want %v", got, want)
		}
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "OTEL_EXPORTER_OTLP_PROTOCOL") || !strings.Contains(warnings[1], "OTEL_BSP_MAX_QUEUE_SIZE") {
		t.Fatalf("warnings %v", warnings)
	}
	traces, _ := tracerConfigFromEnv(env(map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT":        "http://ignored:4318",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://collector.example.com/custom/path",
	}), func(string) {})
	if traces.endpoint != "https://collector.example.com/custom/path" {
		t.Fatalf("the signal endpoint is used as it is, got %q", traces.endpoint)
	}
	named, _ := tracerConfigFromEnv(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_RESOURCE_ATTRIBUTES": "service.name=from-attributes"}), func(string) {})
	if *named.resource[0].Value.StringValue != "from-attributes" {
		t.Fatalf("service.name from OTEL_RESOURCE_ATTRIBUTES: %v", *named.resource[0].Value.StringValue)
	}
	unnamed, _ := tracerConfigFromEnv(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}), func(string) {})
	if *unnamed.resource[0].Value.StringValue != "unknown_service:hello" {
		t.Fatalf("default service.name: %v", *unnamed.resource[0].Value.StringValue)
	}
}

// queuedTracer is a tracer whose worker does not run: the test reads the queue itself.
func queuedTracer(size int) *tracer {
	return &tracer{config: tracerConfig{maxQueue: size, maxBatch: size}, queue: make(chan otlpSpan, size), logf: func(string, ...any) {}}
}

func attributesOf(span otlpSpan) map[string]string {
	out := map[string]string{}
	for _, kv := range span.Attributes {
		if kv.Value.StringValue != nil {
			out[kv.Key] = *kv.Value.StringValue
		} else {
			out[kv.Key] = "int:" + *kv.Value.IntValue
		}
	}
	return out
}

func TestEachRequestGetsAServerSpanThatContinuesTheCallersTrace(t *testing.T) {
	traces := queuedTracer(8)
	handler := traces.middleware(newHandler(loadSettings(env(map[string]string{"FAULT_ROUTE": "on"}))))
	request := httptest.NewRequest("GET", "/time/Asia/Tokyo", nil)
	request.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	request.Header.Set("tracestate", "vendor=x")
	request.Header.Set("User-Agent", "smoke")
	rec := httptest.NewRecorder()
	before := time.Now().UnixNano()
	handler.ServeHTTP(rec, request)
	span := <-traces.queue
	if span.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || span.ParentSpanID != "00f067aa0ba902b7" || len(span.SpanID) != 16 || span.SpanID == span.ParentSpanID {
		t.Fatalf("ids %+v", span)
	}
	if span.Name != "GET /time/{zone...}" || span.Kind != spanKindServer || span.TraceState != "vendor=x" || span.Status.Code != 0 {
		t.Fatalf("span %+v", span)
	}
	start, _ := strconv.ParseInt(span.StartTimeUnixNano, 10, 64)
	end, _ := strconv.ParseInt(span.EndTimeUnixNano, 10, 64)
	if start < before || end < start || end > time.Now().UnixNano() {
		t.Fatalf("times %s %s (request started at %d)", span.StartTimeUnixNano, span.EndTimeUnixNano, before)
	}
	attributes := attributesOf(span)
	want := map[string]string{
		"http.request.method": "GET", "url.path": "/time/Asia/Tokyo", "url.scheme": "http", "http.route": "/time/{zone...}",
		"http.response.status_code": "int:200", "network.protocol.version": "1.1", "user_agent.original": "smoke",
		"server.address": "example.com", "client.address": "192.0.2.1",
	}
	for k, v := range want {
		if attributes[k] != v {
			t.Errorf("%s = %q, want %q", k, attributes[k], v)
		}
	}
	if got := rec.Header().Get("traceresponse"); got != "00-4bf92f3577b34da6a3ce929d0e0e4736-"+span.SpanID+"-01" {
		t.Fatalf("traceresponse %q", got)
	}

	// 5xx is an error; 4xx and an unmatched path are not, and the latter is named by its method alone.
	for path, expect := range map[string]struct {
		name   string
		status string
		code   int
	}{
		"/fault":          {"GET /fault", "int:500", statusCodeError},
		"/time/Nowhere/X": {"GET /time/{zone...}", "int:400", 0},
		"/missing":        {"GET", "int:404", 0},
	} {
		handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
		span := <-traces.queue
		if span.Name != expect.name || attributesOf(span)["http.response.status_code"] != expect.status || span.Status.Code != expect.code {
			t.Errorf("%s: %+v", path, span)
		}
		if span.ParentSpanID != "" || span.TraceID[:8] == "00000000" {
			t.Errorf("%s: a request without traceparent starts a trace: %+v", path, span)
		}
	}
	handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/fault", nil))
	if fault := <-traces.queue; fault.Status.Message != "Internal Server Error" {
		t.Fatalf("status message %q", fault.Status.Message)
	}
}

func TestAnUnsampledCallerGetsIdsButNoSpan(t *testing.T) {
	traces := queuedTracer(8)
	handler := traces.middleware(newHandler(defaults))
	request := httptest.NewRequest("GET", "/healthz", nil)
	request.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, request)
	if len(traces.queue) != 0 {
		t.Fatal("an unsampled request was recorded")
	}
	if got := rec.Header().Get("traceresponse"); !strings.HasPrefix(got, "00-4bf92f3577b34da6a3ce929d0e0e4736-") || !strings.HasSuffix(got, "-00") {
		t.Fatalf("traceresponse %q", got)
	}
}

func TestAFullQueueDropsSpansAndNeverBlocksARequest(t *testing.T) {
	traces := queuedTracer(1)
	handler := traces.middleware(newHandler(defaults))
	start := time.Now()
	for i := 0; i < 50; i++ {
		handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Fatalf("50 requests took %s with nobody reading the queue", elapsed)
	}
	if len(traces.queue) != 1 || traces.dropped.Load() != 49 {
		t.Fatalf("queued %d, dropped %d", len(traces.queue), traces.dropped.Load())
	}
}

// receiver is a local OTLP/HTTP endpoint that decodes every request without the exporter's own types.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	bodies   []map[string]any
	answers  []int // statuses to answer in turn; 200 when exhausted
	retry    string
	hang     bool
	requests int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.requests++
		hang := r.hang
		status := 200
		if len(r.answers) > 0 {
			status, r.answers = r.answers[0], r.answers[1:]
		}
		r.mu.Unlock()
		if hang {
			// Read the body first: only then does the server notice the client going away.
			_, _ = io.Copy(io.Discard, req.Body)
			select {
			case <-req.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		if req.URL.Path != "/v1/traces" || req.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "wrong path or type", http.StatusNotFound)
			return
		}
		body, _ := io.ReadAll(req.Body)
		var decoded map[string]any
		if err := json.Unmarshal(body, &decoded); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if status == 200 {
			r.mu.Lock()
			r.bodies = append(r.bodies, decoded)
			r.mu.Unlock()
		}
		if r.retry != "" {
			w.Header().Set("Retry-After", r.retry)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(r.Close)
	return r
}

// count is how many requests arrived.
func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}

// body is the i-th export received, decoded.
func (r *receiver) body(i int) map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[i]
}

// spans lists the spans received, each as decoded JSON.
func (r *receiver) spans() []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []map[string]any
	for _, body := range r.bodies {
		for _, rs := range body["resourceSpans"].([]any) {
			for _, ss := range rs.(map[string]any)["scopeSpans"].([]any) {
				for _, s := range ss.(map[string]any)["spans"].([]any) {
					out = append(out, s.(map[string]any))
				}
			}
		}
	}
	return out
}

func testConfig(endpoint string) tracerConfig {
	return tracerConfig{
		endpoint: endpoint + "/v1/traces", resource: []keyValue{stringAttribute("service.name", "api")},
		maxQueue: 100, maxBatch: 100, scheduleDelay: time.Hour, exportTimeout: 5 * time.Second,
	}
}

func span(name string) otlpSpan {
	return otlpSpan{TraceID: newTraceID(time.Now()).String(), SpanID: newSpanID().String(), Name: name, Kind: spanKindServer,
		StartTimeUnixNano: "1", EndTimeUnixNano: "2", Attributes: []keyValue{intAttribute("http.response.status_code", 503)},
		Status: spanStatus{Code: statusCodeError}}
}

func TestShutdownSendsWhatIsQueuedInTheOTLPJSONEncoding(t *testing.T) {
	r := newReceiver(t)
	traces := newTracer(testConfig(r.URL), t.Logf)
	traces.record(span("GET /a"))
	traces.record(span("GET /b"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := traces.shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	spans := r.spans()
	if len(spans) != 2 || spans[0]["name"] != "GET /a" {
		t.Fatalf("spans %v", spans)
	}
	first := spans[0]
	// kind and status code are numbers; the status code attribute and times are decimal strings; ids are hex.
	if first["kind"] != float64(2) || first["status"].(map[string]any)["code"] != float64(2) || first["startTimeUnixNano"] != "1" {
		t.Fatalf("encoding %v", first)
	}
	value := first["attributes"].([]any)[0].(map[string]any)["value"].(map[string]any)
	if value["intValue"] != "503" || len(first["traceId"].(string)) != 32 || len(first["spanId"].(string)) != 16 {
		t.Fatalf("encoding %v", first)
	}
	resourceAttributes := r.body(0)["resourceSpans"].([]any)[0].(map[string]any)["resource"].(map[string]any)["attributes"].([]any)
	name := resourceAttributes[0].(map[string]any)
	if name["key"] != "service.name" || name["value"].(map[string]any)["stringValue"] != "api" {
		t.Fatalf("resource %v", resourceAttributes)
	}
	traces.record(span("after shutdown"))
	if traces.dropped.Load() != 1 {
		t.Fatal("a span after shutdown must be dropped")
	}
}

func TestSpansGoInBatchesOfAtMostMaxBatch(t *testing.T) {
	r := newReceiver(t)
	config := testConfig(r.URL)
	config.maxBatch = 2
	traces := newTracer(config, t.Logf)
	for i := 0; i < 5; i++ {
		traces.record(span("s"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = traces.shutdown(ctx)
	sizes := []int{}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, body := range r.bodies {
		sizes = append(sizes, len(body["resourceSpans"].([]any)[0].(map[string]any)["scopeSpans"].([]any)[0].(map[string]any)["spans"].([]any)))
	}
	if len(sizes) != 3 || sizes[0]+sizes[1]+sizes[2] != 5 || sizes[0] != 2 || sizes[2] != 1 {
		t.Fatalf("batches %v", sizes)
	}
}

func TestTheScheduleSendsWithoutShutdown(t *testing.T) {
	r := newReceiver(t)
	config := testConfig(r.URL)
	config.scheduleDelay = 50 * time.Millisecond
	traces := newTracer(config, t.Logf)
	traces.record(span("scheduled"))
	deadline := time.Now().Add(2 * time.Second)
	for len(r.spans()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(r.spans()) != 1 {
		t.Fatal("the scheduled export did not arrive")
	}
	_ = traces.shutdown(context.Background())
}

func TestRetryableAnswersAreRetriedAndOthersAreNot(t *testing.T) {
	r := newReceiver(t)
	r.answers = []int{503, 429}
	r.retry = "0"
	traces := newTracer(testConfig(r.URL), t.Logf)
	traces.record(span("retried"))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = traces.shutdown(ctx)
	if r.count() != 3 || len(r.spans()) != 1 {
		t.Fatalf("%d requests, %d spans kept", r.count(), len(r.spans()))
	}

	refused := newReceiver(t)
	refused.answers = []int{400}
	var logged []string
	traces = newTracer(testConfig(refused.URL), func(format string, args ...any) { logged = append(logged, format) })
	traces.record(span("refused"))
	refusedCtx, cancelRefused := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancelRefused()
	_ = traces.shutdown(refusedCtx)
	if refused.count() != 1 || len(logged) != 1 || !strings.Contains(logged[0], "dropped") {
		t.Fatalf("a 400 must not be retried: %d requests, logs %v", refused.count(), logged)
	}
}

func TestShutdownGivesUpOnAReceiverThatHangs(t *testing.T) {
	r := newReceiver(t)
	r.hang = true
	traces := newTracer(testConfig(r.URL), func(string, ...any) {})
	traces.record(span("stuck"))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := traces.shutdown(ctx)
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Fatalf("shutdown took %s with a 300ms budget", elapsed)
	}
	if err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("err %v", err)
	}
}
