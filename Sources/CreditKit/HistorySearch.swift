extension Entry {
    /// R22: whether a history search keeps this entry: `search` (any case) in what happened,
    /// who acted, the kind or the reference. An empty search keeps everything.
    public func matchesHistorySearch(_ search: String, catalog: Catalog) -> Bool {
        let needle = search.lowercased()
        guard !needle.isEmpty else { return true }
        return what(catalog: catalog).lowercased().contains(needle) || actor.lowercased().contains(needle)
            || kind.rawValue.contains(needle) || reference.lowercased().contains(needle)
    }
}
