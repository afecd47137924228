package gitsync

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var testSecret = []byte("0123456789abcdef-shared-with-the-git-host")

type triggers struct {
	mu      sync.Mutex
	reasons []string
}

func (tr *triggers) add(r string) { tr.mu.Lock(); tr.reasons = append(tr.reasons, r); tr.mu.Unlock() }
func (tr *triggers) n() int       { tr.mu.Lock(); defer tr.mu.Unlock(); return len(tr.reasons) }

func TestHook(t *testing.T) {
	push := []byte(`{"ref":"refs/heads/main","after":"0d1e2f","repository":{"clone_url":"https://evil.example/x.git"}}`)
	valid := Sign(testSecret, push)
	big := bytes.Repeat([]byte("a"), MaxBody+1)
	tests := []struct {
		name        string
		body        []byte
		header      map[string]string
		chunked     bool // send without Content-Length
		wantStatus  int
		wantTrigger bool
	}{
		{"valid push", push, map[string]string{SignatureHeader: valid, "X-GitHub-Delivery": "d-1", "X-GitHub-Event": "push"}, false, 202, true},
		{"gitea delivery header", push, map[string]string{SignatureHeader: valid, "X-Gitea-Delivery": "g-1"}, false, 202, true},
		{"missing signature", push, map[string]string{"X-GitHub-Delivery": "d-2"}, false, 401, false},
		{"empty signature", push, map[string]string{SignatureHeader: "sha256=", "X-GitHub-Delivery": "d-3"}, false, 403, false},
		{"wrong signature", push, map[string]string{SignatureHeader: Sign([]byte("another-secret-0123456789"), push), "X-GitHub-Delivery": "d-4"}, false, 403, false},
		{"truncated signature", push, map[string]string{SignatureHeader: valid[:len(valid)-2], "X-GitHub-Delivery": "d-5"}, false, 403, false},
		{"truncated odd hex", push, map[string]string{SignatureHeader: valid[:len(valid)-1], "X-GitHub-Delivery": "d-6"}, false, 403, false},
		{"sha1 signature", push, map[string]string{SignatureHeader: "sha1=" + strings.TrimPrefix(valid, "sha256="), "X-GitHub-Delivery": "d-7"}, false, 403, false},
		{"signature of another body", append(append([]byte{}, push...), ' '), map[string]string{SignatureHeader: valid, "X-GitHub-Delivery": "d-8"}, false, 403, false},
		{"upper-case hex", push, map[string]string{SignatureHeader: "sha256=" + strings.ToUpper(strings.TrimPrefix(valid, "sha256=")), "X-GitHub-Delivery": "d-9"}, false, 202, true},
		{"oversized body", big, map[string]string{SignatureHeader: Sign(testSecret, big), "X-GitHub-Delivery": "d-10"}, false, 413, false},
		{"oversized chunked body", big, map[string]string{SignatureHeader: Sign(testSecret, big), "X-GitHub-Delivery": "d-11"}, true, 413, false},
		{"missing delivery id", push, map[string]string{SignatureHeader: valid}, false, 400, false},
		{"ping", push, map[string]string{SignatureHeader: valid, "X-GitHub-Delivery": "p-1", "X-GitHub-Event": "ping"}, false, 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr triggers
			h, err := NewHook(testSecret, tr.add)
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(h)
			defer ts.Close()
			var body io.Reader = bytes.NewReader(tt.body)
			if tt.chunked {
				body = io.MultiReader(bytes.NewReader(tt.body)) // hides the length
			}
			req, _ := http.NewRequest("POST", ts.URL, body)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var reply map[string]string
			json.NewDecoder(resp.Body).Decode(&reply)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d %v, want %d", resp.StatusCode, reply, tt.wantStatus)
			}
			if got := tr.n() == 1; got != tt.wantTrigger {
				t.Errorf("triggered %d times, want trigger %v", tr.n(), tt.wantTrigger)
			}
		})
	}
}

func TestHookReplay(t *testing.T) {
	var tr triggers
	h, err := NewHook(testSecret, tr.add)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"ref":"refs/heads/main"}`)
	send := func(id string) int {
		r := httptest.NewRequest("POST", "/hooks/git", bytes.NewReader(body))
		r.Header.Set(SignatureHeader, Sign(testSecret, body))
		r.Header.Set("X-GitHub-Delivery", id)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	if c := send("72d3162e-cc78-11e3-81ab-4c9367dc0958"); c != 202 {
		t.Fatalf("first delivery: %d", c)
	}
	for range 3 {
		if c := send("72d3162e-cc78-11e3-81ab-4c9367dc0958"); c != 200 {
			t.Fatalf("replayed delivery: %d, want 200 (acknowledged, ignored)", c)
		}
	}
	if c := send("a-new-delivery"); c != 202 {
		t.Fatalf("next delivery: %d", c)
	}
	if tr.n() != 2 {
		t.Errorf("triggered %d times for 2 distinct deliveries (%v)", tr.n(), tr.reasons)
	}
	// The memory of deliveries is bounded.
	for i := range seenMax + 10 {
		h.remember(strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune(i)))
	}
	if len(h.seen) > seenMax || len(h.order) > seenMax {
		t.Errorf("remembers %d/%d deliveries, max %d", len(h.seen), len(h.order), seenMax)
	}
}

func TestSecrets(t *testing.T) {
	if _, err := NewHook([]byte("short"), func(string) {}); err == nil {
		t.Error("NewHook accepted a 5-byte secret")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "secret")
	os.WriteFile(f, []byte(string(testSecret)+"\n"), 0o600)
	t.Setenv("PUFA_TEST_SECRET", "from-the-environment-0123")
	tests := []struct {
		file    string
		want    string
		wantErr bool
	}{
		{f, string(testSecret), false},
		{"", "from-the-environment-0123", false},
		{filepath.Join(dir, "missing"), "", true},
	}
	for _, tt := range tests {
		got, err := LoadSecret(tt.file, "PUFA_TEST_SECRET")
		if (err != nil) != tt.wantErr || string(got) != tt.want {
			t.Errorf("LoadSecret(%q) = %q, %v; want %q (error %v)", tt.file, got, err, tt.want, tt.wantErr)
		}
	}
	os.WriteFile(f, []byte("\n"), 0o600)
	if _, err := LoadSecret(f, "PUFA_TEST_SECRET"); err == nil {
		t.Error("LoadSecret of an empty file succeeded")
	}
	t.Setenv("PUFA_TEST_SECRET", "")
	if got, err := LoadSecret("", "PUFA_TEST_SECRET"); got != nil || err != nil {
		t.Errorf("LoadSecret with nothing set = %q, %v", got, err)
	}
}
