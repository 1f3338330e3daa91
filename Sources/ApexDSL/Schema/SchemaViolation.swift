import Foundation

/// One way a value fails a schema: where, as a JSON path (`$`, `$.ticket`, `$.items[2].name`,
/// `$['odd key']`), and what is wrong ("is required", "must be a string, not a number").
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// Where in the value: `$` is the value itself.
    public var path: String
    /// What is wrong, phrased to follow the path: "is required".
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// The path and the message: `$.ticket is required`.
    public var description: String { "\(path) \(message)" }

    /// `path` extended with a property name: `.name` for identifier-like names, else `['name']`.
    static func path(_ path: String, appending key: String) -> String {
        let isIdentifier = key.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && key.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        if isIdentifier { return path + "." + key }
        let escaped = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return path + "['" + escaped + "']"
    }

    /// `path` extended with a list index: `[2]`.
    static func path(_ path: String, appending index: Int) -> String {
        path + "[\(index)]"
    }
}
