extension Entry {
    /// Whether the entry is a row of a workspace's credit history (R22): a credit entry, except a
    /// grant of 0 (a paid invoice on a plan with no grant, R10/R13), which the journal keeps for
    /// its invoice id and Copilot period (R9) but which moves nothing a person needs to see.
    public var showsInHistory: Bool {
        kind.movesCredits && !(kind == .grant && credits == 0 && rollover == nil)
    }
}
