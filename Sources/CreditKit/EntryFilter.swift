/// Which journal entries a reader wants, across every workspace: who acted, which kinds, which
/// workspace, from when, and words the entry's text must hold. An empty filter takes every entry.
public struct EntryFilter: Hashable, Sendable {
    /// Who acted (or on whose behalf, or the role that acted for them: `by`), matched exactly.
    public var actor: String?
    /// The kinds wanted; nil for every kind.
    public var kinds: Set<EntryKind>?
    /// The workspace, matched exactly.
    public var workspace: String?
    /// The earliest time wanted (inclusive). Record times never go backwards (R27), so a reader
    /// going newest first stops at the first older entry.
    public var since: Timestamp?
    /// Lowercased words each found in the entry's kind, workspace, actor, what or reference.
    public var words: [String]

    public init(actor: String? = nil, kinds: Set<EntryKind>? = nil, workspace: String? = nil, since: Timestamp? = nil,
                words: [String] = []) {
        self.actor = actor; self.kinds = kinds; self.workspace = workspace; self.since = since; self.words = words
    }

    /// Whether the filter takes every entry.
    public var isEmpty: Bool { actor == nil && kinds == nil && workspace == nil && since == nil && words.isEmpty }

    /// Whether `entry` passes (its time is checked too).
    public func matches(_ entry: Entry, catalog: Catalog) -> Bool {
        // A grant of 0 is kept in the journal but shown in no view (R22).
        if entry.kind == .grant && !entry.showsInHistory { return false }
        if let actor, entry.actor != actor && entry.onBehalfOf != actor && entry.by != actor { return false }
        if let kinds, !kinds.contains(entry.kind) { return false }
        if let workspace, entry.workspace != workspace { return false }
        if let since, entry.time < since { return false }
        guard !words.isEmpty else { return true }
        let text = [entry.kind.rawValue, entry.workspace ?? "", entry.actor, entry.what(catalog: catalog), entry.reference]
            .joined(separator: " ").lowercased()
        return words.allSatisfy { text.contains($0) }
    }

    /// Exact strings a matching record's journal line must contain (who and which workspace),
    /// so a reader can skip lines without decoding them.
    public var requiredTexts: [String] { [actor, workspace].compactMap { $0 } }
}
