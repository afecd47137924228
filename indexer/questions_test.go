package indexer

import "testing"

func TestAnswerWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"清明 宣传活动 在哪里", "清明 宣传活动 地点"},
		{"助残日 活动 几点", "助残日 活动 时间"},
		{"婚姻登记 普法 哪个部门负责", "婚姻登记 普法 责任部门"},
		{"清明节活动在哪里", "清明节活动 地点"},
		{"重阳节 活动 什么时候", "重阳节 活动 时间"},
		{"打印遗嘱", "打印遗嘱"},
	}
	for _, tt := range tests {
		if got := answerWords(tt.in); got != tt.want {
			t.Errorf("answerWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
