import CreditKit
import LedgerCore
import Foundation

/// Reads a catalog file and checks it, with messages that name the file, the field and the fault.
public enum CatalogLoader {
    /// The largest catalog file accepted.
    public static let fileSizeMax = 1_048_576

    /// Decodes and validates catalog bytes; `source` names the file in every message.
    /// `checkingText` also holds its names to the rules of any other input (`textProblems`):
    /// for a new ledger, not for the catalog an existing ledger was made with.
    public static func decode(_ bytes: [UInt8], source: String, checkingText: Bool = false) throws(LedgerError) -> Catalog {
        guard bytes.count <= fileSizeMax else {
            throw .badCatalog(file: source, problems: ["the file is larger than \(fileSizeMax) bytes"])
        }
        let catalog: Catalog
        do {
            catalog = try JSONDecoder().decode(Catalog.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .badCatalog(file: source, problems: [describe(error)])
        } catch {
            throw .badCatalog(file: source, problems: ["\(error)"])
        }
        let problems = catalog.problems() + (checkingText ? catalog.textProblems() : [])
        guard problems.isEmpty else { throw .badCatalog(file: source, problems: problems.map(\.description)) }
        return catalog
    }

    /// Reads and validates a catalog file (its text too with `checkingText`, as `decode`).
    public static func load(path: String, checkingText: Bool = false) throws(LedgerError) -> (catalog: Catalog, bytes: [UInt8]) {
        let bytes = try read(path: path)
        return (try decode(bytes, source: path, checkingText: checkingText), bytes)
    }

    /// A catalog file's bytes, not yet decoded; a file that cannot be read is a bad catalog.
    static func read(path: String) throws(LedgerError) -> [UInt8] {
        do {
            return try POSIXFile.readFile(path)
        } catch {
            throw .badCatalog(file: path, problems: ["cannot be read: \(error)"])
        }
    }

    private static func path(_ codingPath: [CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "(top level)" : text
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context):
            let parent = path(context.codingPath)
            return "\(parent == "(top level)" ? "" : parent + ".")\(key.stringValue): is missing"
        case let .typeMismatch(type, context):
            return "\(path(context.codingPath)): expected \(typeName(type))"
        case let .valueNotFound(type, context):
            return "\(path(context.codingPath)): expected \(typeName(type)), found null"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty { return "is not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "cannot be decoded"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        default: return "\(type)".lowercased()
        }
    }
}
