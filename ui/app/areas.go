package app

import (
	"kasse/config"
	"kasse/i18n"
	"kasse/supervisor"
)

// Areas of the back office, each opened with a PIN: the actions the Guard
// authorizes (End of day is "reports").
const (
	AreaTransactions = supervisor.ActionTransactions
	AreaEndOfDay     = supervisor.ActionReports
	AreaReaders      = supervisor.ActionReaders
)

// AreaTitle names an area for people, in loc.
func AreaTitle(loc *i18n.Locale, area supervisor.Action) string {
	switch area {
	case AreaTransactions:
		return loc.T("app.area.transactions")
	case AreaEndOfDay:
		return loc.T("app.area.end_of_day")
	case AreaReaders:
		return loc.T("app.area.readers")
	case AreaDisputes:
		return loc.T("disputes.area")
	}
	return loc.T("app.area.back_office")
}

// AreaRole is the role an area is meant for (the Guard decides).
func AreaRole(area supervisor.Action) config.Role {
	if roles := supervisor.Roles(area); len(roles) > 0 {
		return roles[0]
	}
	return config.RoleSupervisor
}

// RoleName names a role for people, in loc ("Supervisor", "Aufsicht").
func RoleName(loc *i18n.Locale, role config.Role) string {
	switch role {
	case config.RoleSupervisor:
		return loc.T("app.role.supervisor")
	case config.RoleTech:
		return loc.T("app.role.tech")
	case config.RoleCashier, "":
		return loc.T("app.role.cashier")
	}
	return string(role)
}

// LanguageName names other's language in loc ("German", "Englisch").
func LanguageName(loc, other *i18n.Locale) string {
	if other.Language() == i18n.German {
		return loc.T("app.lang.de")
	}
	return loc.T("app.lang.en")
}

// AreaMissing says, in loc, why area cannot open on this console, or "".
func (d *Deps) AreaMissing(loc *i18n.Locale, area supervisor.Action) string {
	switch {
	case d.Guard == nil:
		return loc.T("app.area.no_guard")
	case (area == AreaTransactions || area == AreaEndOfDay) && d.Reports == nil:
		return loc.T("app.area.no_reports", i18n.Args{"Area": AreaTitle(loc, area)})
	case area == AreaReaders && d.Fleet == nil:
		return loc.T("app.area.no_fleet")
	case area == AreaDisputes && d.Disputes == nil:
		return loc.T("disputes.area_missing")
	}
	return ""
}
