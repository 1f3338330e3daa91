/// What the connection does for one request: a `FakeResponse` rendered against the request it answers.
struct ResponsePlan: Sendable {
    /// How the response ends once its body writes are out.
    enum Ending: Sendable {
        /// The body is complete (and the connection stays open for the next request when the client keeps it alive).
        case complete
        /// The connection closes with the body unfinished.
        case disconnect
        /// Nothing more is sent until the client disconnects or the server shuts down.
        case stall
    }

    enum Body: Sendable {
        /// Each element is one write, flushed on its own.
        case writes([[UInt8]])
        /// `count` bytes of `FakeResponse.byte(at:)`, made while sending, in writes of `writeBytes`.
        case generated(count: Int, writeBytes: Int)

        /// The write at `position` (0 for the first) and the position of the next one; nil when the body is all out.
        func write(at position: Int) -> (bytes: [UInt8], next: Int)? {
            switch self {
            case .writes(let writes):
                return position < writes.count ? (writes[position], position + 1) : nil
            case .generated(let count, let writeBytes):
                guard position < count else { return nil }
                let end = min(position + writeBytes, count)
                return (Self.generatedBytes(position..<end), end)
            }
        }

        /// Bytes `range` of a generated body, copied from a run of the alphabet rather than made one by one.
        private static func generatedBytes(_ range: Range<Int>) -> [UInt8] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(range.count)
            var offset = range.lowerBound
            while offset < range.upperBound {
                let start = offset % 26
                let length = min(range.upperBound - offset, alphabetRun.count - start)
                bytes.append(contentsOf: alphabetRun[start..<start + length])
                offset += length
            }
            return bytes
        }

        /// `FakeResponse.byte(at:)` for offsets 0 up to 64 KiB (and a little more).
        private static let alphabetRun: [UInt8] = (0..<(65_536 + 26)).map(FakeResponse.byte(at:))

        var byteCount: Int {
            switch self {
            case .writes(let writes): writes.reduce(0) { $0 + $1.count }
            case .generated(let count, _): count
            }
        }
    }

    /// Close the connection without answering.
    var hangUp = false
    var headDelay: Swift.Duration = .zero
    var status = 200
    var headers: [(name: String, value: String)] = []
    var body: Body = .writes([])
    /// Waited before every body write.
    var writeDelay: Swift.Duration = .zero
    var ending = Ending.complete
    /// `Transfer-Encoding: chunked` rather than `Content-Length`.
    var chunked = false
}
