package server

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// limiter is a per-client token bucket: rate tokens a second, burst at
// most. Idle clients are forgotten so memory stays bounded.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	clients map[string]*bucket
	last    time.Time
}

type bucket struct {
	tokens float64
	seen   time.Time
}

const maxClients = 100_000

func newLimiter(rate int) *limiter {
	return &limiter{rate: float64(rate), burst: float64(2 * rate), clients: map[string]*bucket{}}
}

// allow takes a token for client at now; when none is left it returns
// false and how long to wait.
func (l *limiter) allow(client string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.last) > time.Minute || len(l.clients) > maxClients {
		for k, b := range l.clients {
			if now.Sub(b.seen) > time.Minute {
				delete(l.clients, k)
			}
		}
		l.last = now
	}
	b, ok := l.clients[client]
	if !ok {
		if len(l.clients) >= maxClients {
			return false, time.Second
		}
		b = &bucket{tokens: l.burst, seen: now}
		l.clients[client] = b
	}
	b.tokens += now.Sub(b.seen).Seconds() * l.rate
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.seen = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// limit applies the per-client search rate limit, answering 429 with
// Retry-After beyond it.
func (s *Server) limit(h http.Handler) http.Handler {
	if s.limiter == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := s.limiter.allow(s.clientIP(r), time.Now())
		if !ok {
			secs := int(wait.Seconds() + 0.999)
			if secs < 1 {
				secs = 1
			}
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			if strings.HasPrefix(r.URL.Path, "/api/") {
				writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "请求过于频繁，请稍后再试"})
				return
			}
			s.errorPage(w, r, &httpError{status: http.StatusTooManyRequests, msg: "请求过于频繁，请稍后再试"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

// clientIP is the address of the client: the peer, or, when the peer is
// a configured proxy, the nearest address in X-Forwarded-For that is not
// one of our proxies. Forwarded headers from anyone else are ignored.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	parts := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(parts) - 1; i >= 0; i-- {
		ip := strings.TrimSpace(parts[i])
		if ip == "" {
			continue
		}
		if _, err := netip.ParseAddr(ip); err != nil {
			return host
		}
		if !s.trusted(ip) {
			return ip
		}
	}
	return host
}

func (s *Server) trusted(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}
