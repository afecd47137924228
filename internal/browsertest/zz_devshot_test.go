package browsertest

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Temporary helper for development screenshots.
func TestDevShot(t *testing.T) {
	spec := os.Getenv("DEVSHOT")
	if spec == "" {
		t.Skip()
	}
	for _, item := range strings.Split(spec, ",") {
		f := strings.Split(item, "|")
		w, _ := strconv.Atoi(f[1])
		ctx := tab(t)
		if err := open(ctx, f[0], int64(w), f[3]); err != nil {
			t.Fatal(err)
		}
		h := int64(1400)
		chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), h))
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(f[2], png, 0o644)
	}
}
