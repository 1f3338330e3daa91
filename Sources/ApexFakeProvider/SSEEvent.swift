/// One server-sent event of a streamed vendor reply.
struct SSEEvent: Sendable {
    /// The `event:` line; OpenAI sends none.
    var name: String?
    /// The `data:` payload (one line).
    var data: String
    /// Whether the event carries a piece of content: `StreamFailure` counts these.
    var isDelta = false

    /// The event's bytes: `event:` and `data:` lines and the blank line that ends the event.
    func rendered(_ shape: StreamShape) -> [UInt8] {
        let newline = shape.crlf ? "\r\n" : "\n"
        let separator = shape.spaceAfterColon ? ": " : ":"
        var text = ""
        if shape.commentLines { text += ": fake server comment" + newline }
        if let name { text += "event" + separator + name + newline }
        text += "data" + separator + data + newline + newline
        return Array(text.utf8)
    }
}

extension String {
    /// The text cut into pieces of at most `maxBytes` UTF-8 bytes, never inside a Unicode scalar
    /// (a scalar longer than `maxBytes` makes a piece of its own); no pieces for empty text.
    func utf8Pieces(maxBytes: Int) -> [String] {
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var currentBytes = 0
        for scalar in unicodeScalars {
            let size = String(scalar).utf8.count
            if currentBytes > 0, currentBytes + size > maxBytes {
                pieces.append(String(current))
                current = String.UnicodeScalarView()
                currentBytes = 0
            }
            current.append(scalar)
            currentBytes += size
        }
        if currentBytes > 0 { pieces.append(String(current)) }
        return pieces
    }
}
