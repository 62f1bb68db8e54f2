/// The deciders of who is in the ledger (operators, workspaces, members) and of its clock.
extension Engine {
    /// R18: names a support agent or operator; refused when `name` already has that role.
    static func addOperator(_ name: String, role: Role, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(name, field: "operator name")
        guard given.state.operators[name] != role else { throw .alreadyOperator(name) }
        var entry = b.entry(.operator, workspace: nil)
        entry.name = name
        entry.role = role.rawValue
        b.append(entry)
        return .append(b.entries)
    }

    /// Opens workspace `id` for `owner` on `plan` (in trial when `trial`, R12); the id is new.
    static func createWorkspace(_ id: String, name: String, owner: String, plan: String, trial: Bool,
                                _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        guard Identifier.isValid(id) else { throw .invalidIdentifier(field: "workspace id", value: id) }
        guard given.state.workspaces[id] == nil else { throw .workspaceExists(id) }
        try b.requireLine(name, field: "workspace name", lengthMax: FreeText.displayNameLengthMax)
        try b.requireToken(owner, field: "owner")
        guard b.context.admitsOlderText || MailAddress.isValid(owner) else { throw .invalidAddress(field: "owner", value: owner) }
        guard given.catalog.plan(plan) != nil else { throw .unknownPlan(plan) }
        var entry = b.entry(.workspace, workspace: id)
        entry.name = name
        entry.owner = owner
        entry.plan = plan
        entry.status = trial ? .trial : .active
        b.append(entry)
        return .append(b.entries)
    }

    /// R17: adds `member` to the workspace's one pool; refused for its owner or a member.
    static func addMember(_ member: String, to wsID: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(member, field: "member name")
        guard let ws = given.workspace, !ws.isOwnerOrMember(member) else { throw .alreadyMember(workspace: wsID, person: member) }
        var entry = b.entry(.member, workspace: wsID)
        entry.member = member
        b.append(entry)
        return .append(b.entries)
    }

    /// R42: takes `member` out of the workspace with a reason; refused for the owner and for
    /// someone who is not a member; a repeat after the removal is already recorded.
    static func removeMember(_ member: String, from wsID: String, reason: String, _ given: Given,
                             _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(member, field: "member name")
        try b.requireLine(reason, field: "reason")
        guard let ws = given.workspace else { throw .unknownWorkspace(wsID) }
        guard ws.owner != member else { throw .ownerCannotBeRemoved(workspace: wsID, owner: member) }
        guard ws.members.contains(member) else {
            guard let seq = ws.removedMembers[member] else { throw .notAMemberToRemove(workspace: wsID, person: member) }
            return .alreadyRecorded(.alreadyRemoved(person: member, workspace: wsID, seq: seq))
        }
        var entry = b.entry(.memberRemoved, workspace: wsID)
        entry.member = member
        entry.reason = reason
        b.append(entry)
        return .append(b.entries)
    }

    /// R42: takes support agent `name` off the ledger with a reason; refused for someone who is
    /// not one and for the last one (a support agent may remove themselves while another remains).
    static func removeOperator(_ name: String, reason: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireToken(name, field: "operator name")
        try b.requireLine(reason, field: "reason")
        let state = given.state
        guard state.operators[name] == .support else {
            guard let seq = state.removedOperators[name] else { throw .notAnOperator(name) }
            return .alreadyRecorded(.alreadyRemoved(person: name, workspace: nil, seq: seq))
        }
        guard state.operators.contains(where: { $0.key != name && $0.value == .support }) else { throw .lastSupportAgent(name) }
        var entry = b.entry(.operatorRemoved, workspace: nil)
        entry.name = name
        entry.role = Role.support.rawValue
        entry.reason = reason
        b.append(entry)
        return .append(b.entries)
    }

    /// R27: the recorded step that puts the ledger's clock back to the command's time, when its
    /// last record is dated after it; nothing to record otherwise.
    static func resetClock(reason: String, _ given: Given, _ b: inout EntryBuilder) throws(Rejection) -> Decision {
        try b.requireLine(reason, field: "reason")
        let state = given.state
        guard let last = state.lastTime, last > b.context.time else {
            return .nothingToRecord("the ledger's clock is not ahead of \(b.context.time): its last record is dated \(state.lastTime.map { "\($0)" } ?? "never"), so there is nothing to put back")
        }
        var entry = b.entry(.clockReset, workspace: nil)
        entry.reason = reason
        entry.ref = state.lastSeq
        b.append(entry)
        return .append(b.entries)
    }
}

extension EntryBuilder {
    /// Refuses `text` that is not a valid token (`FreeText.isValidToken`) as `.invalidToken(field:)`,
    /// unless the context admits an older version's text (`verify`).
    func requireToken(_ text: String, field: String) throws(Rejection) {
        guard context.admitsOlderText || FreeText.isValidToken(text) else { throw .invalidToken(field: field) }
    }

    /// Refuses `text` that is not a valid line of at most `lengthMax` bytes (`FreeText.isValidLine`),
    /// unless the context admits an older version's text (`verify`).
    func requireLine(_ text: String, field: String, lengthMax: Int = FreeText.reasonLengthMax) throws(Rejection) {
        guard context.admitsOlderText || FreeText.isValidLine(text, lengthMax: lengthMax) else {
            throw .invalidText(field: field, lengthMax: lengthMax, steering: FreeText.firstSteering(text))
        }
    }
}
