/// A key press as the console understands it, whatever terminal produced it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab, backTab
    /// A control chord: `.control("c")` is Ctrl-C.
    case control(Character)
}

/// A mouse event in grid coordinates: the wheel scrolls, a click selects or presses.
public enum MouseInput: Hashable, Sendable {
    case wheelUp(x: Int, y: Int)
    case wheelDown(x: Int, y: Int)
    case click(x: Int, y: Int)
}
