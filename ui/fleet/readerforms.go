package ui

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/readers"
)

// readerFormScreen renames a reader, sets a metadata key, or deregisters
// it after the technician typed its label.
type readerFormScreen struct {
	sh      *shared
	kind    readerFormKind
	g       readers.LocationGroup
	r       pos.Reader
	form    *form
	a, b    *field
	request // the change sent
	problem string
}

type readerFormKind int

const (
	formRename readerFormKind = iota
	formMetadata
	formDeregister
)

type readerFormDoneMsg struct {
	seq int
	r   pos.Reader
	err error
}

func newReaderFormScreen(sh *shared, kind readerFormKind, g readers.LocationGroup, r pos.Reader) *readerFormScreen {
	s := &readerFormScreen{sh: sh, kind: kind, g: g, r: r}
	switch kind {
	case formRename:
		s.a = textField("Label", 200, "what cashiers see")
		s.a.set(r.Label)
		s.form = newForm(s.a)
	case formMetadata:
		s.a = textField("Key", 40, "")
		s.b = textField("Value", 500, "empty removes the key")
		s.form = newForm(s.a, s.b)
	case formDeregister:
		s.a = textField("Confirm", 200, "type the label: "+confirmWord(r))
		s.form = newForm(s.a)
	}
	return s
}

// confirmWord is what deregistering a reader asks to be typed.
func confirmWord(r pos.Reader) string {
	if r.Label != "" {
		return r.Label
	}
	return r.ID
}

func (s *readerFormScreen) areaName() string { return areaTitle(AreaReaders) }

func (s *readerFormScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case readerFormDoneMsg:
		if !s.answered(msg.seq, msg.err) || msg.err != nil {
			return nil // an older request's answer, or a failure the view shows
		}
		name := readerName(s.r) + " (" + s.r.ID + ")"
		switch s.kind {
		case formDeregister:
			return tea.Batch(emit(popMsg{n: 2}), say(toneOK, "Deregistered "+name+"."))
		case formRename:
			return tea.Batch(emit(readerChangedMsg{r: msg.r}), emit(backMsg{}), say(toneOK, "Renamed "+s.r.ID+" to "+msg.r.Label+"."))
		}
		return tea.Batch(emit(readerChangedMsg{r: msg.r}), emit(backMsg{}), say(toneOK, "Metadata of "+name+" updated."))
	case tea.KeyMsg:
		k := s.sh.keys
		switch {
		case key.Matches(msg, k.Back):
			return emit(backMsg{})
		case s.busy:
		case key.Matches(msg, k.Submit):
			return s.submit()
		case s.form.key(msg):
			s.problem = ""
		}
	}
	return nil
}

func (s *readerFormScreen) submit() tea.Cmd {
	f, owner, id, timeout := s.sh.deps.Fleet, s.r.Owner, s.r.ID, s.sh.deps.Timeout
	var call func(ctx context.Context) (pos.Reader, error)
	switch s.kind {
	case formRename:
		label := s.a.text()
		if label == "" {
			s.problem = "Type a label cashiers recognise (e.g. Counter 1)."
			return nil
		}
		call = func(ctx context.Context) (pos.Reader, error) { return f.Rename(ctx, owner, id, label) }
	case formMetadata:
		k, v := s.a.text(), s.b.text()
		switch {
		case k == "":
			s.problem = "Type a key."
			return nil
		case strings.ContainsAny(k, "[]"):
			s.problem = "A metadata key cannot contain square brackets."
			return nil
		}
		call = func(ctx context.Context) (pos.Reader, error) {
			return f.SetMetadata(ctx, owner, id, map[string]string{k: v})
		}
	case formDeregister:
		c := s.a.text()
		if c != confirmWord(s.r) && c != s.r.ID {
			s.problem = "Type “" + confirmWord(s.r) + "” exactly to deregister this reader."
			return nil
		}
		call = func(ctx context.Context) (pos.Reader, error) { return f.Deregister(ctx, owner, id, c) }
	}
	s.problem = ""
	seq := s.begin(s.sh)
	return timed(timeout, func(ctx context.Context) tea.Msg {
		r, err := call(ctx)
		return readerFormDoneMsg{seq: seq, r: r, err: err}
	})
}

func (s *readerFormScreen) title() string {
	return [...]string{"Rename", "Metadata of", "Deregister"}[s.kind] + " " + readerName(s.r)
}

func (s *readerFormScreen) view(w, h int) string {
	st := s.sh.st
	var b strings.Builder
	head := st.Title.Render(s.title())
	if s.kind == formDeregister {
		head = st.Danger.Render(s.title() + "?")
	}
	b.WriteString(head + st.Muted.Render("  "+s.r.ID+" · "+groupTitle(s.g)) + "\n\n")
	switch s.kind {
	case formMetadata:
		if len(s.r.Metadata) == 0 {
			b.WriteString(st.Muted.Render("No metadata yet.") + "\n\n")
		}
		for _, k := range slices.Sorted(maps.Keys(s.r.Metadata)) {
			b.WriteString(cell("  "+k+" = "+s.r.Metadata[k], w) + "\n")
		}
		if len(s.r.Metadata) > 0 {
			b.WriteString("\n")
		}
	case formDeregister:
		b.WriteString(wrap(readerName(s.r)+" is removed from "+s.sh.accountPhrase(s.r.Owner)+" (location "+groupTitle(s.g)+
			"): no payment can be taken on it until it is registered again with a fresh registration code, and its id "+
			"changes. A reader in the middle of a payment is refused; clear it first.", w) + "\n\n")
	}
	b.WriteString(s.form.view(st, w, 10) + "\n\n")
	switch {
	case s.busy:
		b.WriteString(s.sh.spinner() + st.Muted.Render(" Sending…"))
	case s.problem != "":
		b.WriteString(st.Warning.Render(s.problem))
	case s.err != nil:
		b.WriteString(st.Danger.Render(wrap(errText(s.err), w)))
	default:
		b.WriteString(st.Muted.Render("enter sends · esc cancels"))
	}
	return b.String()
}

func (s *readerFormScreen) loading() bool      { return s.busy }
func (s *readerFormScreen) capturesText() bool { return true }

func (s *readerFormScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	return []key.Binding{k.Fields, k.Submit, k.Back}
}

func (s *readerFormScreen) fullHelp() [][]key.Binding { return [][]key.Binding{s.sh.keys.formHelp()} }
