/// A stored event that cannot be read: corrupt history or a newer format.
public struct HistoryFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "unreadable history: \(message)" }
}
