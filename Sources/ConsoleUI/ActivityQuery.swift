import CreditKit

/// The Activity screen's filter line, as a k9s or lazygit user would type it after `/`:
/// `by:maria kind:adjustment today`, `kind:refund last 1h`, `ws:acme since:2026-11-01 promo`.
/// Words without a key match the entry's text. Times are UTC; `today` starts at midnight.
public enum ActivityQuery {
    /// The longest filter line the prompt takes, in characters.
    public static let lengthMax = 120
    /// The longest `last` span, in days (ten years).
    static let lastDaysMax: Int64 = 3650

    /// Why a filter line was refused; the prompt stays open with it.
    public enum Problem: Error, Hashable, Sendable {
        case unknownKey(String)
        case unknownKind(String)
        case emptyValue(String)
        case badSpan(String)
        case badTime(String)

        /// One line for the status area.
        public var message: String {
            switch self {
            case .unknownKey(let key): return "unknown filter \(key): use by:, kind:, ws:, since:, today, last 1h"
            case .unknownKind(let kind):
                return "no kind \(kind): " + EntryKind.allCases.map(\.rawValue).joined(separator: ", ")
            case .emptyValue(let key): return "\(key) needs a value, e.g. \(key)\(ActivityQuery.example(for: key))"
            case .badSpan(let span): return "\(span) is not a span: use 30m, 1h, 2d or 1w"
            case .badTime(let time): return "\(time) is not a time: use 2026-11-01 or 2026-11-01T09:00:00Z"
            }
        }
    }

    /// The filter a line asks for, with times counted back from `now`.
    public static func parse(_ text: String, now: Timestamp) -> Result<EntryFilter, Problem> {
        var filter = EntryFilter()
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)[...]
        while let word = words.popFirst() {
            let lower = word.lowercased()
            if lower == "today" { filter.since = now.dayStart; continue }
            if lower == "last" || lower.hasPrefix("last:") {
                let span = lower == "last" ? (words.popFirst() ?? "") : String(lower.dropFirst(5))
                guard let seconds = seconds(span) else { return .failure(.badSpan(span.isEmpty ? "last" : span)) }
                filter.since = Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - seconds)
                continue
            }
            guard let colon = word.firstIndex(of: ":") else { filter.words.append(lower); continue }
            let key = String(word[...colon]).lowercased()
            let value = String(word[word.index(after: colon)...])
            guard !value.isEmpty else { return .failure(example(for: key).isEmpty ? .unknownKey(key) : .emptyValue(key)) }
            switch key {
            case "by:", "who:": filter.actor = value
            case "ws:", "workspace:": filter.workspace = value
            case "kind:":
                for name in value.lowercased().split(separator: ",") {
                    guard let kind = kind(String(name)) else { return .failure(.unknownKind(String(name))) }
                    filter.kinds = (filter.kinds ?? []).union([kind])
                }
            case "since:":
                guard let time = Timestamp(iso8601: value) ?? Timestamp(iso8601: value + "T00:00:00Z") else {
                    return .failure(.badTime(value))
                }
                filter.since = time
            default: return .failure(.unknownKey(key))
            }
        }
        return .success(filter)
    }

    /// A value that fits filter `key` (`kind:` → `adjustment`, `by:` → `maria`), for the hint of
    /// an empty one; empty for a key the filter does not know.
    static func example(for key: String) -> String {
        switch key {
        case "by:", "who:": return "maria"
        case "kind:": return EntryKind.adjustment.rawValue
        case "ws:", "workspace:": return "acme"
        case "since:": return "2026-11-01"
        default: return ""
        }
    }

    /// A kind by its name or an unambiguous start of it (`adj`, `top`); a start shared by a kind
    /// and the kinds named after it (`topup`, `topup_declined`) means the shortest.
    static func kind(_ name: String) -> EntryKind? {
        if let exact = EntryKind(rawValue: name) { return exact }
        let starting = EntryKind.allCases.filter { $0.rawValue.hasPrefix(name) }
        guard let shortest = starting.min(by: { $0.rawValue.count < $1.rawValue.count }),
              starting.allSatisfy({ $0.rawValue.hasPrefix(shortest.rawValue) }) else { return nil }
        return shortest
    }

    /// `30m`, `1h`, `2d`, `1w` in seconds; nil for anything else or longer than `lastDaysMax`.
    static func seconds(_ span: String) -> Int64? {
        guard let unit = span.last, let count = Int64(span.dropLast()), count > 0 else { return nil }
        let per: Int64
        switch unit {
        case "m": per = 60
        case "h": per = 3600
        case "d": per = Timestamp.secondsPerDay
        case "w": per = 7 * Timestamp.secondsPerDay
        default: return nil
        }
        guard count <= lastDaysMax * Timestamp.secondsPerDay / per else { return nil }
        return count * per
    }
}

extension Timestamp {
    /// Midnight UTC of this instant's day.
    public var dayStart: Timestamp {
        Timestamp(secondsSinceEpoch: secondsSinceEpoch - ((secondsSinceEpoch % Timestamp.secondsPerDay) + Timestamp.secondsPerDay) % Timestamp.secondsPerDay)
    }
}
