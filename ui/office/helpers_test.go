package office_test

import (
	"testing"

	"kasse/ui/internal/uitest"
)

func TestMain(m *testing.M) { uitest.Main(m) }
