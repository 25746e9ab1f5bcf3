package app

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"kasse/i18n"
)

// Every binding's help text is a message of both catalogs (so the help
// line and the help screen speak the session's language), and a label
// that is not a key's own name is one too. The keys are the same in
// every language.
func TestKeyHelpIsInTheCatalog(t *testing.T) {
	ids := map[string]bool{}
	for _, name := range i18n.CatalogFiles() {
		msgs, err := i18n.CatalogMessages(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			ids[name+" "+m.ID] = true
		}
	}
	km := reflect.ValueOf(DefaultKeyMap())
	en, de := i18n.New(i18n.English), i18n.New(i18n.German)
	for i := range km.NumField() {
		b := km.Field(i).Interface().(key.Binding)
		name, h := km.Type().Field(i).Name, b.Help()
		if !strings.HasPrefix(h.Desc, "key.") {
			t.Errorf("%s: help text %q is not a message key", name, h.Desc)
		}
		for _, s := range []string{h.Desc, h.Key} {
			if !strings.HasPrefix(s, "key.") {
				continue
			}
			for _, f := range i18n.CatalogFiles() {
				if !ids[f+" "+s] {
					t.Errorf("%s: %s is not in %s", name, s, f)
				}
			}
		}
		loc := Localized(de, []key.Binding{b})[0]
		if got := loc.Keys(); !reflect.DeepEqual(got, b.Keys()) {
			t.Errorf("%s: the German binding answers %v, the English %v", name, got, b.Keys())
		}
		if Localized(en, []key.Binding{b})[0].Help().Desc == loc.Help().Desc {
			t.Errorf("%s: %q in both languages", name, loc.Help().Desc)
		}
	}
	// A description that is no message key is shown as it is.
	plain := key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "do it"))
	if got := Localized(de, []key.Binding{plain})[0].Help(); got.Key != "y" || got.Desc != "do it" {
		t.Errorf("a plain binding: %+v", got)
	}
}
