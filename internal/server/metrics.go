package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the server's Prometheus metrics. Each Server has its own
// registry, so tests and several servers in one process do not collide.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	builds    *prometheus.CounterVec
	buildTime *prometheus.HistogramVec
	docs      prometheus.Gauge
	release   *prometheus.GaugeVec
	lastOK    prometheus.Gauge
}

func newMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pufa_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pufa_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		builds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pufa_builds_total", Help: "Site builds by outcome (ok, failed).",
		}, []string{"outcome"}),
		buildTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pufa_build_duration_seconds", Help: "Duration of site builds by stage.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 12),
		}, []string{"stage"}),
		docs: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pufa_index_documents", Help: "Documents in the served search index.",
		}),
		release: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "pufa_release_info", Help: "The served release (value 1, id as label).",
		}, []string{"release"}),
		lastOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pufa_build_last_success_timestamp_seconds", Help: "When the last successful build finished (Unix time).",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.builds, m.buildTime, m.docs, m.release, m.lastOK,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

// ObserveBuild records a build's outcome and per-stage durations (by
// convention the stage "total" is the whole build).
func (m *Metrics) ObserveBuild(ok bool, stages map[string]time.Duration) {
	outcome := "ok"
	if !ok {
		outcome = "failed"
	}
	m.builds.WithLabelValues(outcome).Inc()
	if ok {
		m.lastOK.SetToCurrentTime()
	}
	for stage, d := range stages {
		m.buildTime.WithLabelValues(stage).Observe(d.Seconds())
	}
}

func (m *Metrics) setRelease(id string, docs int) {
	m.release.Reset()
	m.release.WithLabelValues(id).Set(1)
	m.docs.Set(float64(docs))
}

func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// instrument counts and times requests to one route, and writes the
// access log line.
func (s *Server) instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		d := time.Since(start)
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		s.metrics.latency.WithLabelValues(route).Observe(d.Seconds())
		if s.opts.AccessLog {
			s.opts.Logger.Info("request", "method", r.Method, "route", route, "path", r.URL.Path,
				"status", sw.code, "duration_ms", float64(d.Microseconds())/1000, "client", s.clientIP(r))
		}
	})
}
