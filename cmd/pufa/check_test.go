package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkSite writes a small site into a temporary folder: the vocabularies
// and the given content pages.
func checkSite(t *testing.T, pages map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"site/data/catalog.yaml":     "categories: [{key: 养老服务}]\nmethods: [{key: 专题讲座}]\naudiences: [{key: 老年人及其家属}]\n",
		"site/data/departments.yaml": "departments: [{name: 养老服务科}]\n",
	}
	for name, data := range pages {
		files["content/"+name] = data
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const checkEntry = `---
title: 《上海市养老服务条例》普法责任
law: 上海市养老服务条例
lawSource: https://flk.npc.gov.cn/
categories: [养老服务]
departments: [%s]
methods: [专题讲座]
audiences: [老年人及其家属]
reviewed: 2026-03-16
reviewInterval: 12
status: in-force
date: 2026-03-16T09:00:00+08:00
---
`

func TestCheckCommand(t *testing.T) {
	good := strings.Replace(checkEntry, "%s", "养老服务科", 1)
	tests := []struct {
		name       string
		pages      map[string]string
		args       []string
		wantCode   int
		wantOut    string
		wantStderr string
	}{
		{
			name:       "clean",
			pages:      map[string]string{"catalog/yanglao.md": good},
			args:       []string{"--now", "2026-04-15T10:00:00+08:00"},
			wantCode:   0,
			wantOut:    "",
			wantStderr: "pufa check: 1 file, 0 errors, 0 warnings\n",
		},
		{
			name:       "warnings only exit 0",
			pages:      map[string]string{"catalog/yanglao.md": good},
			args:       []string{"--now", "2027-04-15T10:00:00+08:00"},
			wantCode:   0,
			wantOut:    "content/catalog/yanglao.md:9: reviewed: warning: review overdue since 2027-03-16 (last reviewed 2026-03-16, every 12 months)\n",
			wantStderr: "pufa check: 1 file, 0 errors, 1 warning\n",
		},
		{
			name: "errors exit 1",
			pages: map[string]string{
				"catalog/yanglao.md": strings.Replace(checkEntry, "%s", "", 1),
				"catalog/broken.md":  "---\ntitle: [\n---\n",
			},
			args:     []string{"--now", "2026-04-15T10:00:00+08:00"},
			wantCode: 1,
			wantOut: "content/catalog/broken.md:2: front matter: invalid YAML: sequence end token ']' not found\n" +
				"content/catalog/yanglao.md:6: departments: must not be empty\n",
			wantStderr: "pufa check: 2 files, 2 errors, 0 warnings\n",
		},
		{
			name:       "bad --now",
			pages:      map[string]string{"catalog/yanglao.md": good},
			args:       []string{"--now", "2026-04-15"},
			wantCode:   2,
			wantStderr: "--now \"2026-04-15\"",
		},
		{
			name:       "no content folder",
			args:       []string{"--content", "elsewhere"},
			wantCode:   1,
			wantStderr: "content folder not found",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := checkSite(t, tt.pages)
			var out, errb bytes.Buffer
			env := &Env{Stdout: &out, Stderr: &errb, Dir: dir}
			code := run(context.Background(), env, append([]string{"check"}, tt.args...))
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, errb.String())
			}
			if out.String() != tt.wantOut {
				t.Errorf("stdout = %q, want %q", out.String(), tt.wantOut)
			}
			if !strings.Contains(errb.String(), tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", errb.String(), tt.wantStderr)
			}
		})
	}
}
