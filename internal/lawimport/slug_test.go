package lawimport

import (
	"regexp"
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := []struct{ title, subtitle, want string }{
		{"中华人民共和国民法典", "继承编", "minfadian-jichengbian"},
		{"中华人民共和国民法典", "总则", "minfadian-zongze"},
		{"中华人民共和国老年人权益保障法", "", "laonianrenquanyibaozhangfa"},
		{"婚姻登记条例", "", "hunyindengjitiaoli"},
		{"中华人民共和国宪法", "", "xianfa"},
		{"中华人民共和国宪法修正案（2004年）", "", "xianfaxiuzhengan2004nian"},
		{"中华人民共和国刑法修正案（十一）", "", "xingfaxiuzhenganshiyi"},
		{"关于不满300总吨船舶及沿海运输、沿海作业船舶海事赔偿限额的规定", "", "guanyubuman300zongdunchuanbojiyanhaiyunshuyanhaizuoyechuanbohaishipeichangxianedeguiding"},
		{"上海市实施《中华人民共和国残疾人保障法》办法", "", "shanghaishishishizhonghuarenmingongheguocanjirenbaozhangfabanfa"},
		{"中华人民共和国律师法", "", "lvshifa"},
		{"ＡＢＣ条例", "", "abctiaoli"},
	}
	for _, tt := range tests {
		if got := Slug(tt.title, tt.subtitle); got != tt.want {
			t.Errorf("Slug(%q, %q) = %q, want %q", tt.title, tt.subtitle, got, tt.want)
		}
	}
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TestSlugBounds covers titles too long for a file name and titles with
// nothing to spell.
func TestSlugBounds(t *testing.T) {
	long := "国务院关于外商投资企业和外国企业适用增值税、消费税、营业税等税收暂行条例有关问题的通知"
	tests := []struct{ title, subtitle string }{
		{long, ""},
		{long + "的补充", ""},
		{"中华人民共和国", ""},
		{"《》", ""},
		{"", ""},
		{"〇〇", "附则"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		s := Slug(tt.title, tt.subtitle)
		if len(s) > maxSlug || !slugPattern.MatchString(s) {
			t.Errorf("Slug(%q, %q) = %q: want at most %d characters of [a-z0-9-]", tt.title, tt.subtitle, s, maxSlug)
		}
		if prev, dup := seen[s]; dup {
			t.Errorf("Slug(%q) = Slug(%q) = %q", tt.title, prev, s)
		}
		seen[s] = tt.title
	}
	if s := Slug(long, ""); !strings.HasPrefix(s, "guowuyuanguanyuwaishang") {
		t.Errorf("Slug of a long title = %q, want its beginning kept", s)
	}
}
