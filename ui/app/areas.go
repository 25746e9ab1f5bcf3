package app

import (
	"kasse/config"
	"kasse/supervisor"
)

// Areas of the back office, each opened with a PIN: the actions the Guard
// authorizes (End of day is "reports").
const (
	AreaTransactions = supervisor.ActionTransactions
	AreaEndOfDay     = supervisor.ActionReports
	AreaReaders      = supervisor.ActionReaders
)

// AreaTitle names an area for people.
func AreaTitle(area supervisor.Action) string {
	switch area {
	case AreaTransactions:
		return "Transactions"
	case AreaEndOfDay:
		return "End of day"
	case AreaReaders:
		return "Readers"
	}
	return "Back office"
}

// AreaRole is the role an area is meant for (the Guard decides).
func AreaRole(area supervisor.Action) config.Role {
	if roles := supervisor.Roles(area); len(roles) > 0 {
		return roles[0]
	}
	return config.RoleSupervisor
}

// RoleNoun names a role in a sentence ("a technician's PIN").
func RoleNoun(role config.Role) string {
	if role == config.RoleTech {
		return "technician"
	}
	return string(role)
}

// AreaMissing says why area cannot open on this console, or "".
func (d *Deps) AreaMissing(area supervisor.Action) string {
	switch {
	case d.Guard == nil:
		return "The back office is not set up on this console (no PIN guard)."
	case (area == AreaTransactions || area == AreaEndOfDay) && d.Reports == nil:
		return AreaTitle(area) + " is not set up on this console (no reports)."
	case area == AreaReaders && d.Fleet == nil:
		return "Reader management is not set up on this console."
	}
	return ""
}
