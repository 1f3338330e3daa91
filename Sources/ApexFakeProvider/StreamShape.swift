/// How a streamed vendor reply is cut into events and rendered as server-sent events.
///
/// Text goes into deltas of at most `pieceBytes` UTF-8 bytes; a delta always holds whole characters
/// (a JSON string cannot hold half of one). To split inside characters and inside SSE lines, cut
/// the byte stream into writes with `FakeResponse.paced(writeBytes:delay:)`.
public struct StreamShape: Sendable {
    /// The most UTF-8 bytes of text (or tool-input JSON) per delta; at least one character per delta.
    public var pieceBytes: Int
    /// Anthropic: a `ping` event before every delta.
    public var pings: Bool
    /// End lines with CRLF instead of LF.
    public var crlf: Bool
    /// A `: comment` line before every event, which clients must ignore.
    public var commentLines: Bool
    /// `data: {...}` when true (the usual form), `data:{...}` when false.
    public var spaceAfterColon: Bool

    public init(pieceBytes: Int = 8, pings: Bool = false, crlf: Bool = false, commentLines: Bool = false, spaceAfterColon: Bool = true) {
        precondition(pieceBytes > 0, "pieceBytes must be positive")
        self.pieceBytes = pieceBytes
        self.pings = pings
        self.crlf = crlf
        self.commentLines = commentLines
        self.spaceAfterColon = spaceAfterColon
    }
}
