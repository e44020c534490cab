package authentiktest

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/authentik-go/authentik"
)

// TestEveryServiceServed: each of the SDK's services lists through the fake
// (a resource added to the SDK without its collection here fails).
func TestEveryServiceServed(t *testing.T) {
	t.Parallel()
	s := Start(t, WithDemoData())
	c := reflect.ValueOf(s.Client()).Elem()
	ctx := reflect.ValueOf(context.Background())
	n := 0
	for i := range c.NumField() {
		f := c.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		list := c.Field(i).MethodByName("List")
		if !list.IsValid() {
			t.Errorf("client.%s has no List", f.Name)
			continue
		}
		n++
		out := list.Call([]reflect.Value{ctx, reflect.Zero(list.Type().In(1))})
		if err, _ := out[1].Interface().(error); err != nil {
			if errors.Is(err, authentik.ErrNotFound) {
				t.Errorf("client.%s: the fake does not serve it: %v", f.Name, err)
			} else {
				t.Errorf("client.%s.List: %v", f.Name, err)
			}
		}
	}
	if n < 5 {
		t.Fatalf("%d services listed", n)
	}
}
