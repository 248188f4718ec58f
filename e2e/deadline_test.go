//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"
)

// deadlineMargin is the time kept back from the test's deadline, so that a
// step that hangs fails with its own log and the cleanups still stop moto,
// before go test panics for the whole binary.
const deadlineMargin = 30 * time.Second

// stepTimeout returns limit, or the time left before the test's deadline
// less deadlineMargin when that is shorter. It fails the test when no time
// is left at all.
func stepTimeout(t *testing.T, limit time.Duration) time.Duration {
	t.Helper()
	deadline, ok := t.Deadline()
	if !ok {
		return limit
	}

	// The step gets what is left, and says so when that is less than its
	// own bound.
	left := time.Until(deadline) - deadlineMargin
	if left <= 0 {
		t.Fatalf("the test deadline %s leaves no time for the next step; "+
			"raise go test -timeout", deadline.Format(time.TimeOnly))
	}
	if left < limit {
		t.Logf("the test deadline cuts the next step's timeout from %s to %s",
			limit, left.Round(time.Second))
		return left
	}
	return limit
}

// checksContext returns a context for SDK calls of at most checksTimeout,
// cut by the test's deadline as stepTimeout cuts it, and cancelled when
// the test ends.
func checksContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout(t, checksTimeout))
	t.Cleanup(cancel)
	return ctx
}
