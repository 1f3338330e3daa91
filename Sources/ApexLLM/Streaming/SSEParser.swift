/// An incremental parser of server-sent events (the WHATWG `text/event-stream` rules), fed the
/// bytes of a response as they arrive, split anywhere: inside a line, inside a UTF-8 character,
/// or between the CR and LF of a line ending.
///
/// Lines end with CRLF, LF or CR. A blank line ends an event; `data:` lines join with "\n";
/// one space after the colon is dropped; lines starting with `:` are comments; `event:` names
/// the event and is optional; other fields (`id:`, `retry:`) are ignored. An event without any
/// `data:` line is not delivered. A line is decoded as UTF-8 only once it is complete.
public struct SSEParser: Sendable {
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let colon: UInt8 = 0x3A
    private static let space: UInt8 = 0x20
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private var line: [UInt8] = []
    /// A CR ended the last line: an LF right after it belongs to the same line ending.
    private var afterCarriageReturn = false
    private var isFirstLine = true
    private var eventName: String?
    private var dataLines: [String] = []

    public init() {}

    /// Parses the next bytes of the stream and returns the events they complete.
    public mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in bytes {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == Self.lineFeed { continue }
            }
            switch byte {
            case Self.lineFeed:
                endLine(into: &events)
            case Self.carriageReturn:
                afterCarriageReturn = true
                endLine(into: &events)
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// Ends the stream. An event whose lines all ended is delivered even without its closing
    /// blank line (some servers omit the last one); a line the end cut off is dropped, since
    /// it may be incomplete.
    public mutating func finish() -> [SSEEvent] {
        line.removeAll()
        var events: [SSEEvent] = []
        dispatch(into: &events)
        return events
    }

    private mutating func endLine(into events: inout [SSEEvent]) {
        if isFirstLine {
            isFirstLine = false
            if line.starts(with: Self.byteOrderMark) { line.removeFirst(Self.byteOrderMark.count) }
        }
        defer { line.removeAll(keepingCapacity: true) }
        guard let first = line.first else {
            dispatch(into: &events)
            return
        }
        if first == Self.colon { return }
        let nameEnd = line.firstIndex(of: Self.colon) ?? line.endIndex
        var valueStart = nameEnd < line.endIndex ? nameEnd + 1 : nameEnd
        if valueStart < line.endIndex, line[valueStart] == Self.space { valueStart += 1 }
        let name = String(decoding: line[..<nameEnd], as: UTF8.self)
        let value = String(decoding: line[valueStart...], as: UTF8.self)
        switch name {
        case "data": dataLines.append(value)
        case "event": eventName = value.isEmpty ? nil : value
        default: break
        }
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        if !dataLines.isEmpty {
            events.append(SSEEvent(event: eventName, data: dataLines.joined(separator: "\n")))
        }
        dataLines.removeAll()
        eventName = nil
    }
}
