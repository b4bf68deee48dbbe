// W3C Trace Context: the traceparent header a request brings, and the ids of the spans this service starts.
package main

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"
)

// traceID and spanID are the 16- and 8-byte ids of W3C Trace Context and OTLP.
type (
	traceID [16]byte
	spanID  [8]byte
)

func (t traceID) String() string { return hex.EncodeToString(t[:]) }
func (s spanID) String() string  { return hex.EncodeToString(s[:]) }
func (t traceID) isZero() bool   { return t == traceID{} }
func (s spanID) isZero() bool    { return s == spanID{} }

// spanContext is what a traceparent header carries: the trace, the caller's span and whether it is sampled.
type spanContext struct {
	trace   traceID
	span    spanID
	sampled bool
	// state is the tracestate header, passed on unchanged.
	state string
}

const sampledFlag = 0x01

// parseTraceparent reads a traceparent header as W3C Trace Context Level 1 defines it; ok is false for anything
// malformed, which means the request starts a new trace. A version above 00 is read for its first four fields.
func parseTraceparent(header string) (spanContext, bool) {
	// version "-" trace-id "-" parent-id "-" trace-flags: 2+1+32+1+16+1+2 characters.
	const length = 55
	if len(header) < length {
		return spanContext{}, false
	}
	version, err := hex.DecodeString(header[0:2])
	if err != nil || !isLowerHex(header[0:2]) || version[0] == 0xff {
		return spanContext{}, false
	}
	if version[0] == 0 && len(header) != length {
		return spanContext{}, false
	}
	if version[0] > 0 && len(header) > length && header[length] != '-' {
		return spanContext{}, false
	}
	if header[2] != '-' || header[35] != '-' || header[52] != '-' {
		return spanContext{}, false
	}
	var sc spanContext
	fields := []struct {
		text string
		into []byte
	}{{header[3:35], sc.trace[:]}, {header[36:52], sc.span[:]}}
	for _, f := range fields {
		if !isLowerHex(f.text) {
			return spanContext{}, false
		}
		if _, err := hex.Decode(f.into, []byte(f.text)); err != nil {
			return spanContext{}, false
		}
	}
	flags, err := hex.DecodeString(header[53:55])
	if err != nil || !isLowerHex(header[53:55]) || sc.trace.isZero() || sc.span.isZero() {
		return spanContext{}, false
	}
	sc.sampled = flags[0]&sampledFlag != 0
	return sc, true
}

// formatTraceparent writes a version 00 traceparent for a span of a trace.
func formatTraceparent(trace traceID, span spanID, sampled bool) string {
	flags := "00"
	if sampled {
		flags = "01"
	}
	return "00-" + trace.String() + "-" + span.String() + "-" + flags
}

func isLowerHex(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') }) < 0
}

// newTraceID starts a trace. Its first four bytes are the time in seconds, as AWS X-Ray ids are, so that X-Ray
// takes the traces; the other twelve are random. It is still a valid W3C trace id.
func newTraceID(now time.Time) traceID {
	var t traceID
	binary.BigEndian.PutUint32(t[:4], uint32(now.Unix()))
	for t.isZero() || isZeroBytes(t[4:]) {
		_, _ = rand.Read(t[4:])
	}
	return t
}

func newSpanID() spanID {
	var s spanID
	for s.isZero() {
		_, _ = rand.Read(s[:])
	}
	return s
}

func isZeroBytes(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
