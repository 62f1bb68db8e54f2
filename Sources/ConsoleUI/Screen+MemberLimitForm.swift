import CreditKit

/// The members' limits form (R40): each person of the workspace with this month's spend and
/// limit, the one selected, and the limit to give them.
enum MemberLimitFormScreen {
    /// First row of the people list.
    static let listTop = 4

    static func draw(_ grid: inout Grid, _ state: ConsoleState, model: MemberLimitForm) {
        guard let ws = state.workspaceNow(model.workspace) else { return }
        let glyphs = state.session.glyphs
        let width = grid.width - 1
        Chrome.formHeader(&grid, state, ws, title: "Monthly limits \(ws.name)",
                          intro: " A limited person's charges, clones and holds stop at their limit each calendar month (R40).")
        let read = state.workspace.flatMap { $0.id == ws.id ? $0.memberSpend : nil }
        let standings = Dictionary(uniqueKeysWithValues: (read.map(ws.limitStandings(spent:)) ?? ws.limitStandings(at: state.now))
            .map { ($0.member, $0) })
        let rows = max(1, grid.height - listTop - 9)
        let first = max(0, min(model.selected - rows + 1, model.people.count - rows))
        for (offset, person) in model.people.dropFirst(first).prefix(rows).enumerated() {
            let index = first + offset
            let selected = index == model.selected
            let y = listTop + offset
            let role = person == ws.owner ? " (owner)" : ""
            let limit = standings[person].map { "\(AmountFormat.grouped($0.spent)) of \(AmountFormat.grouped($0.limit)) this month" }
                ?? "no limit"
            grid.put(selected ? glyphs.marker : " ", x: 1, y: y, style: .title)
            grid.putFitted([Span(Fit.pad(person + role, 27, ellipsis: glyphs.ellipsis) + " ", selected ? .title : .normal),
                            Span(limit, standings[person]?.left == 0 ? .warning : .dim)], x: 3, y: y, limit: width - 3,
                           ellipsis: glyphs.ellipsis)
        }
        let fieldY = listTop + rows + 1
        let name = model.person ?? glyphs.dash
        let end = FormField.draw(&grid, x: 2, y: fieldY, label: "Limit for \(Fit.cut(name, 24, ellipsis: glyphs.ellipsis))",
                                 value: model.credits.text, width: NumberFieldView.width(model.credits), focused: true, glyphs: glyphs)
        NumberFieldView.note(&grid, model.credits, x: end + 1, y: fieldY)
        if let problem = model.problem {
            grid.put("  " + Fit.cut(problem, max(1, grid.width - 3), ellipsis: glyphs.ellipsis), x: 0, y: fieldY + 2, style: .error)
        }
        grid.put(Fit.cut("  Enter sets it \(glyphs.dot) x lifts it \(glyphs.dot) recorded as \(state.session.actor)", width, ellipsis: glyphs.ellipsis),
                 x: 0, y: fieldY + 4, style: .dim, limit: width)
    }
}
