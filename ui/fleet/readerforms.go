package fleet

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/readers"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// readerFormScreen renames a reader, sets a metadata key, or deregisters
// it after the technician typed its label.
type readerFormScreen struct {
	deps              *app.Deps
	sess              *app.Session
	kind              readerFormKind
	g                 readers.LocationGroup
	r                 pos.Reader
	a, b              *widgets.Field
	widgets.FormState // the change sent
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

func newReaderFormScreen(deps *app.Deps, sess *app.Session, kind readerFormKind, g readers.LocationGroup, r pos.Reader) *readerFormScreen {
	s := &readerFormScreen{deps: deps, sess: sess, kind: kind, g: g, r: r}
	t := sess.T
	switch kind {
	case formRename:
		s.a = widgets.TextField(t("fleet.col_label"), 200, t("fleet.form.label_hint"))
		s.a.Set(r.Label)
		s.Form = widgets.NewForm(s.a)
	case formMetadata:
		s.a = widgets.TextField(t("fleet.form.key"), 40, "")
		s.b = widgets.TextField(t("fleet.form.value"), 500, t("fleet.form.value_hint"))
		s.Form = widgets.NewForm(s.a, s.b)
	case formDeregister:
		s.a = widgets.TextField(t("fleet.form.confirm"), 200, t("fleet.form.confirm_hint", i18n.Args{"Label": confirmWord(r)}))
		s.Form = widgets.NewForm(s.a)
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

func (s *readerFormScreen) Area() string { return app.AreaTitle(s.sess.Loc, app.AreaReaders) }

func (s *readerFormScreen) Init() tea.Cmd { return nil }

func (s *readerFormScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case readerFormDoneMsg:
		if !s.Answered(msg.seq, msg.err) || msg.err != nil {
			return nil // an older request's answer, or a failure the view shows
		}
		names := i18n.Args{"Reader": widgets.ReaderName(s.r), "ID": s.r.ID, "Label": msg.r.Label}
		switch s.kind {
		case formDeregister:
			return tea.Batch(app.PopN(2), app.Say(app.ToneOK, s.sess.T("fleet.form.deregistered", names))) // the reader is gone: back to the fleet
		case formRename:
			return tea.Batch(app.Emit(readerChangedMsg{r: msg.r}), app.Pop(), app.Say(app.ToneOK, s.sess.T("fleet.form.renamed", names)))
		}
		return tea.Batch(app.Emit(readerChangedMsg{r: msg.r}), app.Pop(), app.Say(app.ToneOK, s.sess.T("fleet.form.metadata_updated", names)))
	case tea.KeyMsg:
		return s.FormKey(s.deps.Keys, msg, s.submit)
	}
	return nil
}

func (s *readerFormScreen) submit() tea.Cmd {
	f, owner, id, timeout := s.deps.Fleet, s.r.Owner, s.r.ID, s.deps.Timeout
	var call func(ctx context.Context) (pos.Reader, error)
	switch s.kind {
	case formRename:
		label := s.a.Text()
		if label == "" {
			s.Problem = s.sess.T("fleet.form.type_label")
			return nil
		}
		call = func(ctx context.Context) (pos.Reader, error) { return f.Rename(ctx, owner, id, label) }
	case formMetadata:
		k, v := s.a.Text(), s.b.Text()
		switch {
		case k == "":
			s.Problem = s.sess.T("fleet.form.type_key")
			return nil
		case strings.ContainsAny(k, "[]"):
			s.Problem = s.sess.T("fleet.form.key_brackets")
			return nil
		}
		call = func(ctx context.Context) (pos.Reader, error) {
			return f.SetMetadata(ctx, owner, id, map[string]string{k: v})
		}
	case formDeregister:
		c := s.a.Text()
		if c != confirmWord(s.r) && c != s.r.ID {
			s.Problem = s.sess.T("fleet.form.confirm_exactly", i18n.Args{"Label": confirmWord(s.r)})
			return nil
		}
		call = func(ctx context.Context) (pos.Reader, error) { return f.Deregister(ctx, owner, id, c) }
	}
	s.Problem = ""
	seq := s.Begin(s.sess)
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		r, err := call(ctx)
		return readerFormDoneMsg{seq: seq, r: r, err: err}
	})
}

func (s *readerFormScreen) Title() string {
	a := i18n.Args{"Reader": widgets.ReaderName(s.r)}
	switch s.kind {
	case formMetadata:
		return s.sess.T("fleet.form.metadata_title", a)
	case formDeregister:
		return s.sess.T("fleet.form.deregister_title", a)
	}
	return s.sess.T("fleet.form.rename_title", a)
}

func (s *readerFormScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	head := st.Title.Render(s.Title())
	if s.kind == formDeregister {
		head = st.Danger.Render(sess.T("fleet.form.deregister_ask", i18n.Args{"Reader": widgets.ReaderName(s.r)}))
	}
	b.WriteString(head + st.Muted.Render("  "+s.r.ID+" · "+groupTitle(sess.Loc, s.g)) + "\n\n")
	switch s.kind {
	case formMetadata:
		if len(s.r.Metadata) == 0 {
			b.WriteString(st.Muted.Render(sess.T("fleet.form.no_metadata")) + "\n\n")
		}
		for _, k := range slices.Sorted(maps.Keys(s.r.Metadata)) {
			b.WriteString(widgets.Cell("  "+k+" = "+s.r.Metadata[k], w) + "\n")
		}
		if len(s.r.Metadata) > 0 {
			b.WriteString("\n")
		}
	case formDeregister:
		b.WriteString(widgets.Wrap(sess.T("fleet.form.deregister_text", i18n.Args{"Reader": widgets.ReaderName(s.r),
			"Account": widgets.AccountPhrase(s.sess, s.r.Owner), "Location": groupTitle(sess.Loc, s.g)}), w) + "\n\n")
	}
	b.WriteString(s.Form.View(st, w, 10) + "\n\n")
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("fleet.form.sending")))
	case s.Problem != "":
		b.WriteString(st.Warning.Render(s.Problem))
	case s.Err != nil:
		b.WriteString(st.Danger.Render(widgets.Wrap(widgets.ErrText(sess.Loc, s.Err), w)))
	default:
		b.WriteString(st.Muted.Render(sess.T("office.money.hint")))
	}
	return b.String()
}

func (s *readerFormScreen) Loading() bool      { return s.Busy }
func (s *readerFormScreen) CapturesText() bool { return true }

func (s *readerFormScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	return []key.Binding{k.Fields, k.Submit, k.Back}
}

func (s *readerFormScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.deps.Keys.FormHelp()} }

func (s *readerFormScreen) MinSize() (int, int) { return app.DefaultMinSize() }
