package gitsync

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// MaxBody is the largest notification body accepted; beyond it the hook
// answers 413 without reading further.
const MaxBody = 1 << 20

// MinSecret is the shortest secret accepted, in bytes.
const MinSecret = 16

// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the body.
const SignatureHeader = "X-Hub-Signature-256"

// deliveryHeaders name a delivery's unique id on the common git hosts.
var deliveryHeaders = []string{"X-GitHub-Delivery", "X-Gitea-Delivery", "X-Gogs-Delivery", "X-Delivery-Id"}

// eventHeaders name the event type; a "ping" is answered without pulling.
var eventHeaders = []string{"X-GitHub-Event", "X-Gitea-Event", "X-Gogs-Event"}

// Hook verifies push notifications and asks for a pull and a build.
type Hook struct {
	secret []byte
	// trigger asks for a pull and a build; it must not block.
	trigger func(reason string)
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu   sync.Mutex
	seen map[string]time.Time
	// order is the arrival order of deliveries, to forget the oldest.
	order []delivery
}

type delivery struct {
	id string
	at time.Time
}

// seenMax deliveries are remembered, and for at most seenTTL.
const (
	seenMax = 4096
	seenTTL = 72 * time.Hour
)

// NewHook returns a hook that calls trigger for each verified, new
// delivery. The secret must be at least MinSecret bytes.
func NewHook(secret []byte, trigger func(reason string)) (*Hook, error) {
	if len(secret) < MinSecret {
		return nil, fmt.Errorf("hook secret is %d bytes; use at least %d random bytes", len(secret), MinSecret)
	}
	return &Hook{secret: append([]byte(nil), secret...), trigger: trigger, seen: map[string]time.Time{}}, nil
}

// LoadSecret reads the hook secret from file, or, when file is empty,
// from the environment variable env. Surrounding white space (a trailing
// newline) is dropped. It returns nil, nil when neither is set.
func LoadSecret(file, env string) ([]byte, error) {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("hook secret: %w", err)
		}
		s := strings.TrimSpace(string(data))
		if s == "" {
			return nil, fmt.Errorf("hook secret: %s is empty", file)
		}
		return []byte(s), nil
	}
	if s := strings.TrimSpace(os.Getenv(env)); s != "" {
		return []byte(s), nil
	}
	return nil, nil
}

// Sign returns the signature header value for body, as a git host
// computes it.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// ServeHTTP answers POST with:
// 413 for a body over MaxBody, 401 without a signature, 403 with a wrong
// one, 400 without a delivery id, 200 for a ping or a delivery already
// seen, and 202 when a pull and build were asked for. The signature is
// checked over the raw body before anything else reads it.
func (h *Hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > MaxBody {
		reply(w, http.StatusRequestEntityTooLarge, "body too large")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			reply(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		reply(w, http.StatusBadRequest, "could not read body")
		return
	}
	sig := r.Header.Get(SignatureHeader)
	if sig == "" {
		reply(w, http.StatusUnauthorized, "missing "+SignatureHeader)
		return
	}
	if !h.valid(sig, body) {
		reply(w, http.StatusForbidden, "bad signature")
		return
	}
	// Verified. Only headers are looked at from here on; the body is
	// never parsed.
	id := firstHeader(r, deliveryHeaders)
	if id == "" || len(id) > 128 {
		reply(w, http.StatusBadRequest, "missing delivery id")
		return
	}
	if firstHeader(r, eventHeaders) == "ping" {
		reply(w, http.StatusOK, "pong")
		return
	}
	if !h.remember(id) {
		reply(w, http.StatusOK, "duplicate delivery")
		return
	}
	h.trigger("hook " + id)
	reply(w, http.StatusAccepted, "pull and build requested")
}

// valid compares the signature in constant time.
func (h *Hook) valid(header string, body []byte) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, h.secret)
	m.Write(body)
	// hmac.Equal is constant-time and false for a truncated signature
	// (different lengths).
	return hmac.Equal(got, m.Sum(nil))
}

// remember records a delivery id, reporting false if it was seen already.
func (h *Hook) remember(id string) bool {
	now := time.Now()
	if h.Now != nil {
		now = h.Now()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if t, ok := h.seen[id]; ok && now.Sub(t) < seenTTL {
		return false
	}
	for len(h.order) > 0 && (len(h.order) >= seenMax || now.Sub(h.order[0].at) >= seenTTL) {
		old := h.order[0]
		if h.seen[old.id].Equal(old.at) {
			delete(h.seen, old.id)
		}
		h.order = h.order[1:]
	}
	h.seen[id] = now
	h.order = append(h.order, delivery{id, now})
	return true
}

func firstHeader(r *http.Request, names []string) string {
	for _, n := range names {
		if v := strings.TrimSpace(r.Header.Get(n)); v != "" {
			return v
		}
	}
	return ""
}

func reply(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	key := "status"
	if status >= 400 {
		key = "error"
	}
	json.NewEncoder(w).Encode(map[string]string{key: msg})
}
