import ApexDSL
import Foundation

/// The Language Server Protocol's base protocol: messages are JSON-RPC 2.0 objects, each after a
/// `Content-Length: N` header and a blank line, N counting the bytes of its UTF-8 body.
struct LSPFraming {
    private var buffer = Data()

    /// Adds bytes read from the client.
    mutating func append(_ data: Data) {
        buffer.append(data)
    }

    /// The next complete message's body; nil until one has arrived whole. A header without a
    /// length is skipped with its blank line.
    mutating func next() -> Data? {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = buffer.range(of: separator) else { return nil }
        let header = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
        let length = header.split(separator: "\r\n").lazy.compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first
        guard let length else {
            buffer.removeSubrange(buffer.startIndex..<end.upperBound)
            return next()
        }
        guard buffer.distance(from: end.upperBound, to: buffer.endIndex) >= length else { return nil }
        let bodyEnd = buffer.index(end.upperBound, offsetBy: length)
        let body = buffer[end.upperBound..<bodyEnd]
        buffer.removeSubrange(buffer.startIndex..<bodyEnd)
        return Data(body)
    }

    /// `message` framed for the wire.
    static func frame(_ message: JSONValue) -> String {
        let body = message.compactJSON
        return "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }
}

/// Positions as LSP counts them: lines from 0, characters in UTF-16 code units (the default
/// position encoding), where Apex's diagnostics count lines and columns from 1 in Unicode scalars.
enum LSPPosition {
    /// The LSP position of a 1-based line and scalar column in `lines`.
    static func utf16(line: Int, column: Int, in lines: [Substring]) -> JSONValue {
        let text = line - 1 < lines.count && line >= 1 ? lines[line - 1] : ""
        let scalars = text.unicodeScalars.prefix(max(0, column - 1))
        let character = scalars.reduce(0) { $0 + $1.utf16.count }
        return ["line": .int(max(0, line - 1)), "character": .int(character)]
    }

    /// The text of line `line` (from 0) up to UTF-16 offset `character`.
    static func prefix(ofLine line: Int, character: Int, in text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 0, line < lines.count else { return "" }
        var count = 0
        var out = String.UnicodeScalarView()
        for scalar in lines[line].unicodeScalars {
            count += scalar.utf16.count
            guard count <= character else { break }
            out.append(scalar)
        }
        return String(out)
    }
}
