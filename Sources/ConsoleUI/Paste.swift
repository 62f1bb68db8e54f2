import CreditKit

/// Pasted text (bracketed paste, xterm mode 2004) made fit for a one-line field.
public enum PasteText {
    /// The most characters one paste offers a field (in Characters); each field then takes what
    /// its own limit allows (a reason stops at `FreeText.reasonLengthMax` bytes).
    public static let lengthMax = 4_096

    /// `text` on one line: trailing line breaks dropped, every other line break, tab or control
    /// character (`FreeText.isSteering`) one space; at most `lengthMax` characters.
    public static func oneLine(_ text: String) -> String {
        var body = Substring(text)
        while let last = body.last, last.isNewline { body.removeLast() }
        var out = ""
        for character in body.prefix(lengthMax) {
            out.append(character.unicodeScalars.contains(where: FreeText.isSteering) || character.isNewline ? " " : character)
        }
        return out
    }
}

extension ConsoleState {
    /// A paste goes into the text field that has focus, as if its characters were typed there,
    /// and nowhere else: it never acts as keys, never confirms, never leaves the field (a field
    /// that refuses a character ends the paste there). With no field open it changes nothing.
    mutating func handlePaste(_ text: String) -> [Effect] {
        guard writeUnderWay == nil, size.isLargeEnough, !showingHelp, dialog == nil, pasteTargetOpen else {
            if size.isLargeEnough && !showingHelp {
                flash = Flash("a paste goes into a text field: nothing here takes one", kind: .info)
            }
            return []
        }
        flash = nil
        var effects: [Effect] = []
        for character in PasteText.oneLine(text) {
            guard let typed = typePasted(character) else { break }
            effects += typed
        }
        return Effect.keepingLastReads(effects)
    }

    /// Whether a text field has focus: the export prompt's name, the palette, a filter, a search
    /// or a form's field.
    var pasteTargetOpen: Bool {
        if let prompt = exportPrompt { return prompt.replacing == nil }
        return palette != nil || textFieldHasFocus
    }

    /// One pasted character typed into the field with focus; nil when no field takes it.
    private mutating func typePasted(_ character: Character) -> [Effect]? {
        let key = Key.character(character)
        if exportPrompt != nil { return pasteTargetOpen ? exportPromptKey(key) : nil }
        if palette != nil { return paletteKey(key) }
        guard textFieldHasFocus else { return nil }
        return textKey(key)
    }
}

extension ConsoleState {
    /// Says that keys which came with the one that opened the confirmation were dropped unread.
    mutating func ignoredBurst(_ count: Int) -> [Effect] {
        let keys = count == 1 ? "1 key" : "\(count) keys"
        flash = Flash("ignored \(keys) that came in with the one that opened this (a paste?): press a key now to answer", kind: .info)
        return []
    }

    /// Whether a confirmation waits for an answer: a dialog, or the export prompt's "replace?".
    public var confirmationOpen: Bool { dialog != nil || exportPrompt?.replacing != nil }
}
