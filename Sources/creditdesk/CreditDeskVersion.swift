/// The release this binary is, as `creditdesk --version` prints it (semantic versioning).
enum CreditDeskVersion {
    /// `MAJOR.MINOR.PATCH`; raised with each release that changes the contract or the journal.
    static let current = "0.10.0"
}
