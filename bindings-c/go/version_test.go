package jetbridge

import "testing"

func TestVersionIsTheHeaders(t *testing.T) {
	if v := Version(); v == "" || v != HeaderVersion {
		t.Fatalf("Version() = %q, HeaderVersion = %q", v, HeaderVersion)
	}
}
