package testkit

import (
	"os/exec"
	"strings"
	"testing"
)

func TestGoTool(t *testing.T) {
	out, err := exec.Command(GoTool(t), "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "go version") {
		t.Fatalf("%s version: %q, %v", GoTool(t), out, err)
	}
}

func TestCleanEnv(t *testing.T) {
	t.Setenv("AUTHENTIK_URL", "https://authentik.example.com")
	t.Setenv("authentik_token", "fake")
	env := CleanEnv("X=1")
	for _, kv := range env {
		if strings.HasPrefix(strings.ToUpper(kv), "AUTHENTIK_") {
			t.Errorf("%s kept", kv)
		}
	}
	if env[len(env)-1] != "X=1" {
		t.Errorf("extra not appended: %v", env[len(env)-1])
	}
}
