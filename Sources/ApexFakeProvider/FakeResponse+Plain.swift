import ApexDSL
import Foundation

extension FakeResponse {
    /// A JSON body (`application/json`).
    public static func json(status: Int = 200, headers: [(name: String, value: String)] = [], _ value: JSONValue) -> FakeResponse {
        FakeResponse(status: status, headers: headers, content: .bytes(Data(value.compactJSON.utf8), contentType: "application/json"))
    }

    /// A UTF-8 text body (`text/plain; charset=utf-8`).
    public static func text(status: Int = 200, headers: [(name: String, value: String)] = [], _ text: String) -> FakeResponse {
        FakeResponse(status: status, headers: headers, content: .bytes(Data(text.utf8), contentType: "text/plain; charset=utf-8"))
    }

    /// Exactly these bytes, with no `content-type` unless `headers` has one.
    public static func raw(status: Int = 200, headers: [(name: String, value: String)] = [], body: Data) -> FakeResponse {
        FakeResponse(status: status, headers: headers, content: .bytes(body, contentType: nil))
    }

    /// A redirect to `location` with an empty body.
    public static func redirect(to location: String, status: Int = 302) -> FakeResponse {
        FakeResponse(status: status, headers: [("location", location)], content: .bytes(Data(), contentType: nil))
    }

    /// A body of `count` bytes (`a` to `z`, repeated), made while it is sent and sent in 64 KiB writes
    /// (or as `paced` says), for size-limit tests; `byte(at:)` tells what each byte is.
    public static func bytes(count: Int, status: Int = 200, headers: [(name: String, value: String)] = []) -> FakeResponse {
        precondition(count >= 0, "count must not be negative")
        return FakeResponse(status: status, headers: headers, content: .generated(count: count))
    }

    /// The byte at `offset` of a `bytes(count:)` body.
    public static func byte(at offset: Int) -> UInt8 {
        UInt8(ascii: "a") + UInt8(offset % 26)
    }

    /// Answers with JSON describing the request: `{"method","path","query","headers":{lowercased name: value},"body"}`,
    /// where `body` is the parsed JSON, else the text, else null when empty. Repeated headers are joined with ", ".
    public static func echo(status: Int = 200, headers: [(name: String, value: String)] = []) -> FakeResponse {
        FakeResponse(status: status, headers: headers, content: .echo)
    }

    /// Records the request, then closes the connection without answering: a provider that did the work and crashed.
    public static var hangUp: FakeResponse {
        FakeResponse(status: 0, headers: [], content: .hangUp)
    }
}
