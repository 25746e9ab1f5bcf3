package i18n

import (
	"embed"
	"fmt"
	"path"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
)

// The catalogs: one TOML file per language, named by its tag (go-i18n's
// message file format: a table per key with "description" for the
// translator and the CLDR plural forms "one" and "other"; a message
// without a count gives "other" only).
//
//go:embed catalog/*.toml
var catalogFS embed.FS

// catalogFiles are the embedded catalog files, English (the source) first.
var catalogFiles = []string{"catalog/en.toml", "catalog/de.toml"}

// bundle is parsed once and only read afterwards, by every Locale.
var bundle = sync.OnceValue(func() *goi18n.Bundle {
	b, err := loadBundle()
	if err != nil {
		panic(err) // the embedded catalogs are part of the program; tests load them
	}
	return b
})

func loadBundle() (*goi18n.Bundle, error) {
	b := goi18n.NewBundle(English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, name := range catalogFiles {
		data, err := catalogFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, path.Base(name)); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
	}
	return b, nil
}

// CatalogMessages returns the messages of one embedded catalog file
// ("catalog/de.toml"), as parsed. For tests and tools.
func CatalogMessages(name string) ([]*goi18n.Message, error) {
	data, err := catalogFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	mf, err := goi18n.ParseMessageFileBytes(data, path.Base(name), map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
	if err != nil {
		return nil, fmt.Errorf("i18n: %s: %w", name, err)
	}
	return mf.Messages, nil
}

// CatalogFiles lists the embedded catalog files, English first.
func CatalogFiles() []string { return append([]string(nil), catalogFiles...) }

// strictParser executes message templates with missingkey=error, so a
// placeholder nobody passed is a failure (see Locale.Render), never a
// silent "<no value>" on screen. Without Funcs its parses are cached.
var strictParser = &template.TextParser{Option: "missingkey=error"}
