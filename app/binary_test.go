// The service as it runs: the compiled binary, started with the OTEL variables an ECS task gives it, sending its
// spans to a local OTLP receiver that decodes them, and stopped with SIGTERM within Windows' 5 second budget.
package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// buildBinary compiles the service once, with a version, into a temporary folder.
func buildBinary(t *testing.T) string {
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hello-bin-")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "hello")
		build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-ldflags", "-X main.version=9.9.9", "-o", binaryPath, ".")
		if out, err := build.CombinedOutput(); err != nil {
			binaryErr = &buildError{err, string(out)}
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

type buildError struct {
	err    error
	output string
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.output }

// running is the service started as a process.
type running struct {
	cmd    *exec.Cmd
	url    string
	output *bytes.Buffer
	exited chan error
}

// start runs the binary with the given variables (and none of this machine's OTEL_* ones) and waits for it to answer.
func start(t *testing.T, vars ...string) *running {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(listener.Addr().(*net.TCPAddr).Port)
	listener.Close()
	cmd := exec.Command(buildBinary(t))
	for _, v := range os.Environ() {
		if !strings.HasPrefix(v, "OTEL_") {
			cmd.Env = append(cmd.Env, v)
		}
	}
	cmd.Env = append(cmd.Env, append([]string{"PORT=" + port}, vars...)...)
	output := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = output, output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &running{cmd: cmd, url: "http://127.0.0.1:" + port, output: output, exited: make(chan error, 1)}
	go func() { r.exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	for deadline := time.Now().Add(10 * time.Second); ; {
		// An unsampled traceparent: the readiness probe leaves no span.
		if _, err := r.get("/healthz", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"); err == nil {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service did not answer: %s", output)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *running) get(path, traceparent string) (*http.Response, error) {
	request, _ := http.NewRequest("GET", r.url+path, nil)
	if traceparent != "" {
		request.Header.Set("traceparent", traceparent)
	}
	response, err := http.DefaultClient.Do(request)
	if err == nil {
		response.Body.Close()
	}
	return response, err
}

// stop sends SIGTERM (what Go delivers for Windows' CTRL_SHUTDOWN_EVENT) and returns how long the exit took.
func (r *running) stop(t *testing.T) time.Duration {
	started := time.Now()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-r.exited:
		if err != nil {
			t.Fatalf("exited with %v: %s", err, r.output)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM: %s", r.output)
	}
	return time.Since(started)
}

func stringValue(v any) string {
	if m, ok := v.(map[string]any); ok {
		if s, ok := m["stringValue"].(string); ok {
			return s
		}
		if s, ok := m["intValue"].(string); ok {
			return s
		}
	}
	return ""
}

func attributeMap(list any) map[string]string {
	out := map[string]string{}
	items, _ := list.([]any)
	for _, item := range items {
		kv := item.(map[string]any)
		out[kv["key"].(string)] = stringValue(kv["value"])
	}
	return out
}

func TestTheBinarySendsASpanPerRequestAndFlushesOnShutdown(t *testing.T) {
	receiver := newReceiver(t)
	// A schedule of ten minutes: only the flush at shutdown can deliver these spans.
	service := start(t, "OTEL_EXPORTER_OTLP_ENDPOINT="+receiver.URL, "OTEL_SERVICE_NAME=hello-test",
		"OTEL_BSP_SCHEDULE_DELAY=600000", "FAULT_ROUTE=on")
	const caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	response, err := service.get("/healthz", caller)
	if err != nil {
		t.Fatal(err)
	}
	answered := response.Header.Get("traceresponse")
	if !strings.HasPrefix(answered, "00-4bf92f3577b34da6a3ce929d0e0e4736-") || strings.Contains(answered, "00f067aa0ba902b7") {
		t.Fatalf("traceresponse %q", answered)
	}
	for _, path := range []string{"/fault", "/missing", "/"} {
		if _, err := service.get(path, ""); err != nil {
			t.Fatal(err)
		}
	}
	if receiver.count() != 0 {
		t.Fatal("spans were sent before the schedule or shutdown")
	}
	if took := service.stop(t); took > 5*time.Second {
		t.Fatalf("shutdown took %s", took)
	}
	if !strings.Contains(service.output.String(), "traces: sending spans to "+receiver.URL+"/v1/traces") {
		t.Fatalf("output %s", service.output)
	}

	spans := receiver.spans()
	byPath := map[string]map[string]any{}
	for _, s := range spans {
		byPath[attributeMap(s["attributes"])["url.path"]] = s
	}
	if len(spans) != 4 || len(byPath) != 4 {
		t.Fatalf("want one span per request (and none for the unsampled probe), got %d: %v", len(spans), spans)
	}
	healthz := byPath["/healthz"]
	if healthz["traceId"] != "4bf92f3577b34da6a3ce929d0e0e4736" || healthz["parentSpanId"] != "00f067aa0ba902b7" ||
		!strings.HasSuffix(answered, "-"+healthz["spanId"].(string)+"-01") || healthz["kind"] != float64(2) || healthz["name"] != "GET /healthz" {
		t.Fatalf("the /healthz span does not continue the caller's trace: %v", healthz)
	}
	attributes := attributeMap(healthz["attributes"])
	if attributes["http.request.method"] != "GET" || attributes["http.route"] != "/healthz" || attributes["http.response.status_code"] != "200" {
		t.Fatalf("attributes %v", attributes)
	}
	fault := byPath["/fault"]
	if status := fault["status"].(map[string]any); status["code"] != float64(2) || attributeMap(fault["attributes"])["http.response.status_code"] != "500" {
		t.Fatalf("a 500 must be an error span: %v", fault)
	}
	if _, isError := byPath["/missing"]["status"].(map[string]any)["code"]; isError || byPath["/missing"]["name"] != "GET" {
		t.Fatalf("a 404 is not an error, and is named by its method: %v", byPath["/missing"])
	}
	if _, hasParent := byPath["/"]["parentSpanId"]; hasParent || byPath["/"]["traceId"] == healthz["traceId"] {
		t.Fatalf("a request without traceparent starts its own trace: %v", byPath["/"])
	}
	body := receiver.body(0)["resourceSpans"].([]any)[0].(map[string]any)
	resource := attributeMap(body["resource"].(map[string]any)["attributes"])
	if resource["service.name"] != "hello-test" || resource["service.version"] != "9.9.9" {
		t.Fatalf("resource %v", resource)
	}
}

func TestTheBinaryWithoutAnEndpointHasNoTracing(t *testing.T) {
	service := start(t, "OTEL_SERVICE_NAME=hello-test")
	response, err := service.get("/healthz", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if err != nil {
		t.Fatal(err)
	}
	if got := response.Header.Get("traceresponse"); got != "" {
		t.Fatalf("traceresponse %q without tracing", got)
	}
	service.stop(t)
	if strings.Contains(service.output.String(), "traces:") {
		t.Fatalf("output mentions traces: %s", service.output)
	}
}

// startWithHangingCollector runs the service with one span queued for a collector that never answers.
func startWithHangingCollector(t *testing.T) *running {
	receiver := newReceiver(t)
	receiver.hang = true
	service := start(t, "OTEL_EXPORTER_OTLP_ENDPOINT="+receiver.URL, "OTEL_BSP_SCHEDULE_DELAY=600000")
	if _, err := service.get("/healthz", ""); err != nil {
		t.Fatal(err)
	}
	return service
}

func TestTheBinaryStopsWithinTheBudgetWhenTheCollectorHangs(t *testing.T) {
	service := startWithHangingCollector(t)
	took := service.stop(t)
	if took > shutdownGrace+500*time.Millisecond {
		t.Fatalf("shutdown took %s", took)
	}
	if !strings.Contains(service.output.String(), "traces not all sent") || !strings.Contains(service.output.String(), "stopped") {
		t.Fatalf("output %s", service.output)
	}
}

// The budget holds in the worst case: a request that never completes keeps the server busy for its whole share,
// and a collector that never answers takes the rest; the process still ends within shutdownGrace.
func TestTheBinaryKeepsTheShutdownBudgetWithAStalledClientAndCollector(t *testing.T) {
	service := startWithHangingCollector(t)
	stalled, err := net.Dial("tcp", strings.TrimPrefix(service.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	if _, err := stalled.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	started := time.Now()
	if err := service.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-service.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after SIGTERM")
	}
	// Windows stops a container about 5 seconds after CTRL_SHUTDOWN_EVENT.
	if took := time.Since(started); took > 5*time.Second {
		t.Fatalf("shutdown took %s: %s", took, service.output)
	}
	if !strings.Contains(service.output.String(), "traces not all sent") {
		t.Fatalf("output %s", service.output)
	}
}
