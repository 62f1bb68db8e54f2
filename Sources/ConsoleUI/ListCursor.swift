/// The selected row of a list and the first row shown: kept in range for any list length and
/// any number of visible rows, so scrolling never indexes outside the list.
public struct ListCursor: Hashable, Sendable {
    public var selected: Int = 0
    public var scroll: Int = 0

    public init(selected: Int = 0, scroll: Int = 0) { self.selected = selected; self.scroll = scroll }

    /// Moves the selection by `delta` rows and scrolls just enough to keep it visible.
    public mutating func move(by delta: Int, count: Int, visible: Int) {
        let (sum, overflow) = selected.addingReportingOverflow(delta)
        selected = overflow ? (delta > 0 ? Int.max : 0) : sum
        clamp(count: count, visible: visible)
    }

    /// Selects a row and scrolls to it.
    public mutating func select(_ row: Int, count: Int, visible: Int) {
        selected = row
        clamp(count: count, visible: visible)
    }

    /// Scrolls the view by `delta` rows, dragging the selection along only when it leaves the view.
    public mutating func scroll(by delta: Int, count: Int, visible: Int) {
        let rows = max(1, visible)
        scroll = min(max(0, count - rows), max(0, scroll + delta))
        if selected < scroll { selected = scroll }
        if selected >= scroll + rows { selected = scroll + rows - 1 }
        clamp(count: count, visible: visible)
    }

    /// Puts selection and scroll back in range: selection inside the list, view around it.
    public mutating func clamp(count: Int, visible: Int) {
        let rows = max(1, visible)
        selected = count > 0 ? min(max(0, selected), count - 1) : 0
        if selected < scroll { scroll = selected }
        if selected >= scroll + rows { scroll = selected - rows + 1 }
        scroll = min(max(0, scroll), max(0, count - rows))
    }
}
