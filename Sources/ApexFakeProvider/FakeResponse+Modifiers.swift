import Foundation

extension FakeResponse {
    /// Sets the header `name` (replacing one of the same name, compared case-insensitively).
    public func header(_ name: String, _ value: String) -> FakeResponse {
        var copy = self
        copy.headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        copy.headers.append((name, value))
        return copy
    }

    /// Sets `content-type`, e.g. a wrong one for a JSON body.
    public func contentType(_ value: String) -> FakeResponse { header("content-type", value) }

    /// `retry-after`: seconds (possibly fractional) or an HTTP date.
    public func retryAfter(_ value: String) -> FakeResponse { header("retry-after", value) }

    /// The non-standard `retry-after-ms`, which takes precedence over `retry-after`.
    public func retryAfterMilliseconds(_ milliseconds: Int) -> FakeResponse { header("retry-after-ms", String(milliseconds)) }

    /// `x-should-retry: true|false`, which overrides the status in the vendors' retry rules.
    public func shouldRetry(_ retry: Bool) -> FakeResponse { header("x-should-retry", retry ? "true" : "false") }

    /// Waits `delay` before sending the response head, without holding up other connections.
    public func delayed(by delay: Swift.Duration) -> FakeResponse {
        var copy = self
        copy.headDelay = delay
        return copy
    }

    /// Sends the body in writes of `writeBytes` bytes (nil: as it comes, one write per event for streams),
    /// each write flushed on its own after `delay`: splits inside SSE lines and UTF-8 characters, slow trickles.
    public func paced(writeBytes: Int? = nil, delay: Swift.Duration = .zero) -> FakeResponse {
        precondition(writeBytes.map { $0 > 0 } ?? true, "writeBytes must be positive")
        var copy = self
        copy.pacing = Pacing(writeBytes: writeBytes, delay: delay)
        return copy
    }

    /// How a streamed reply is cut into deltas and rendered.
    public func shaped(_ shape: StreamShape) -> FakeResponse {
        var copy = self
        copy.streamShape = shape
        return copy
    }

    /// Sends a vendor reply as one JSON body even when the request has `"stream": true`, as some
    /// compatible servers do: the way to test how clients read whole replies.
    public func ignoringStream() -> FakeResponse {
        var copy = self
        copy.ignoresStream = true
        return copy
    }

    /// Breaks a streamed reply off part-way (see `StreamFailure`).
    public func failingMidStream(_ failure: StreamFailure) -> FakeResponse {
        var copy = self
        copy.streamFailure = failure
        return copy
    }

    /// Sends the head, then no body at all until the client disconnects or the server shuts down.
    public func stallingAfterHead() -> FakeResponse { stalling(afterBodyBytes: 0) }

    /// Sends the head and `count` body bytes, then nothing until the client disconnects or the server shuts down.
    public func stalling(afterBodyBytes count: Int) -> FakeResponse {
        var copy = self
        copy.bodyCut = BodyCut(afterBytes: count, then: .stall)
        return copy
    }

    /// Sends the head and `count` body bytes, then closes the connection (the body framing stays unfinished).
    public func disconnecting(afterBodyBytes count: Int) -> FakeResponse {
        var copy = self
        copy.bodyCut = BodyCut(afterBytes: count, then: .disconnect)
        return copy
    }

    /// Keeps only the first half of the body, announced as complete: truncated JSON.
    public func truncated() -> FakeResponse {
        var copy = self
        copy.truncation = .half
        return copy
    }

    /// Keeps only the first `count` bytes of the body, announced as complete.
    public func truncated(toBytes count: Int) -> FakeResponse {
        var copy = self
        copy.truncation = .bytes(count)
        return copy
    }
}
