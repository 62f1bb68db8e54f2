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
        // A problem of several lines takes its rows from the list's, so it shows whole.
        let problemRows = model.problem.map { Fit.wrap($0, max(1, grid.width - 3), lines: grid.height, ellipsis: glyphs.ellipsis).count } ?? 1
        let rows = max(1, grid.height - listTop - 9 - max(0, problemRows - 1))
        let first = max(0, min(model.selected - rows + 1, model.people.count - rows))
        let limits = model.people.map { person in
            standings[person].map { "\(AmountFormat.grouped($0.spent)) of \(AmountFormat.grouped($0.limit)) this month" } ?? "no limit"
        }
        let nameWidth = Self.nameWidth(model.people.map { $0 + Self.role($0, ws) }, limits: limits, screenWidth: width)
        for (offset, person) in model.people.dropFirst(first).prefix(rows).enumerated() {
            let index = first + offset
            let selected = index == model.selected
            let y = listTop + offset
            let label = Self.label(person, role: Self.role(person, ws), width: nameWidth, ellipsis: glyphs.ellipsis)
            grid.put(selected ? glyphs.marker : " ", x: 1, y: y, style: .title)
            grid.putFitted([Span(label + " ", selected ? .title : .normal),
                            Span(limits[index], standings[person]?.left == 0 ? .warning : .dim)], x: 3, y: y, limit: width - 3,
                           ellipsis: glyphs.ellipsis)
        }
        let fieldY = listTop + rows + 1
        let name = model.person ?? glyphs.dash
        let end = FormField.draw(&grid, x: 2, y: fieldY, label: "Limit for \(Fit.middle(name, max(8, width / 2 - 12), ellipsis: glyphs.ellipsis))",
                                 value: model.credits.text, width: NumberFieldView.width(model.credits), focused: true, glyphs: glyphs)
        NumberFieldView.note(&grid, model.credits, x: end + 1, y: fieldY)
        let lines = FormProblem.draw(&grid, model.problem, y: fieldY + 2, glyphs: glyphs)
        grid.put(Fit.cut("  Enter sets it \(glyphs.dot) x lifts it \(glyphs.dot) recorded as \(state.session.actor)", width, ellipsis: glyphs.ellipsis),
                 x: 0, y: FormProblem.rowAfter(fieldY + 2, lines: lines, usual: fieldY + 4), style: .dim, limit: width)
    }

    /// Cells a person's name takes and the least it is cut to.
    static let nameWidthMin = 12

    /// The name column's width: the longest name with its tag, or what the screen leaves beside
    /// the longest limit text, whichever is less (never under `nameWidthMin`).
    static func nameWidth(_ labels: [String], limits: [String], screenWidth: Int) -> Int {
        let longest = labels.map(CellWidth.of).max() ?? nameWidthMin
        let room = screenWidth - 3 - 1 - (limits.map(CellWidth.of).max() ?? 0)
        return max(nameWidthMin, min(longest, room))
    }

    /// A person's name and tag in `width` cells: a name too long loses its middle, never its
    /// end (two long names that share a start stay apart) nor the `(owner)` tag.
    static func label(_ person: String, role: String, width: Int, ellipsis: String) -> String {
        Fit.pad(Fit.middle(person, max(1, width - CellWidth.of(role)), ellipsis: ellipsis) + role, width, ellipsis: ellipsis)
    }

    /// The tag after the owner's name.
    private static func role(_ person: String, _ ws: WorkspaceState) -> String { person == ws.owner ? " (owner)" : "" }
}
