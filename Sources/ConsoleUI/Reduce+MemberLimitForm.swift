import CreditKit

/// `m` on a workspace (owner or support): pick the owner or a member and set or lift their
/// monthly limit (R40), decided by the engine `member-limit set|off` uses.
extension ConsoleState {
    /// Opens the form over the workspace's people, or says why not (R18).
    mutating func openMemberLimits(_ ws: WorkspaceState) {
        if let why = refusal(.memberLimit, in: ws) {
            flash = Flash(why, kind: .refusal)
            return
        }
        stack.append(.memberLimit(MemberLimitForm(workspace: ws.id, people: [ws.owner] + ws.members, limits: ws.memberLimits)))
    }

    /// Commands of the form: choose a person, confirm the limit typed, or lift theirs.
    mutating func memberLimitCommand(_ command: UICommand, _ form: MemberLimitForm) -> [Effect] {
        var model = form
        let count = model.people.count
        switch command {
        case .up, .down:
            guard count > 0 else { return nothingHere(command) }
            model.selected = (model.selected + (command == .down ? 1 : count - 1)) % count
            let limit = model.person.flatMap { workspaceNow(model.workspace)?.memberLimits[$0] }
            model.credits = NumberFieldLimits.memberLimit(limit.map { "\($0)" } ?? "")
            model.problem = nil
        case .submitForm:
            guard let person = model.person else { return nothingHere(command) }
            guard let credits = model.credits.value else {
                model.problem = "limit: a whole number of credits a month, e.g. 200 (x lifts the limit)"
                break
            }
            decideSetting(.memberLimit(workspace: model.workspace, member: person, credits: credits), into: &model.problem)
        case .liftLimit:
            guard let person = model.person else { return nothingHere(command) }
            decideSetting(.memberLimit(workspace: model.workspace, member: person, credits: nil), into: &model.problem)
        default: return nothingHere(command)
        }
        top = .memberLimit(model)
        return []
    }

    /// Keys typed into the limit field; the keys the form binds act instead.
    mutating func memberLimitTextKey(_ key: Key) -> [Effect]? {
        guard case .memberLimit(var model) = top else { return nil }
        switch key {
        case .character(let c) where KeyMap.command(for: key, in: .memberLimitForm, top: atBottom) == nil: model.credits.type(c)
        case .backspace, .delete: model.credits.erase()
        default: return nil
        }
        model.problem = nil
        top = .memberLimit(model)
        return []
    }
}

extension ConsoleState {
    /// R40, R42: an open limits form follows the ledger, as the other forms do: a person removed
    /// meanwhile leaves its list (the selection moves to the person after them and the form says
    /// why), one added joins it, and the selection otherwise stays on the same person.
    mutating func followLedgerInMemberLimitForms() {
        for index in stack.indices {
            guard case .memberLimit(var model) = stack[index], let ws = ledger.workspaces[model.workspace] else { continue }
            let people = [ws.owner] + ws.members
            guard people != model.people else { continue }
            let chosen = model.person
            if let chosen, let kept = people.firstIndex(of: chosen) {
                model.selected = kept
            } else {
                model.selected = min(model.selected, max(0, people.count - 1))
                let limit = people.indices.contains(model.selected) ? ws.memberLimits[people[model.selected]] : nil
                model.credits = NumberFieldLimits.memberLimit(limit.map { "\($0)" } ?? "")
                if let chosen {
                    let seq = ws.removedMembers[chosen].map { " (removed by entry #\($0))" } ?? ""
                    model.problem = "\(chosen) is no longer a member of \(ws.id)\(seq)"
                }
            }
            model.people = people
            stack[index] = .memberLimit(model)
        }
    }
}
